package io.sluice.testing.faults;

/**
 * What can go wrong with one SQS call, as a client sees it. {@link FaultInjectingTransport} raises the exceptions the
 * AWS SDK raises; {@link FaultProxy} produces them on the wire, so that the SDK raises them itself.
 *
 * <p>The first five fail the call before it reaches the server: it has no effect. {@link #LATENCY} and {@link
 * #PARTIAL_BATCH} let it through, late or in part. {@link #LOST_RESPONSE} lets it through whole and then fails it: the
 * one fault after which the server did what the client believes failed.
 */
public enum Fault {

    /**
     * SQS refuses the call for its request rate: a {@code RequestThrottledException} (HTTP 400, error code {@code
     * RequestThrottled}) whose {@code isThrottlingException()} is true. The AWS SDK retries it with a longer back-off.
     */
    THROTTLING,

    /** An internal error of SQS: an {@code SqsException} with HTTP status 500 and error code {@code InternalError}. */
    SERVER_ERROR,

    /**
     * No answer: the transport fails the call with the SDK's {@code ApiCallAttemptTimeoutException} after {@link
     * FaultPlan#timeoutAfter()}; the proxy holds the request unanswered until the client gives up (its attempt
     * timeout, or its HTTP client's read timeout) or {@link FaultProxy.Builder#maxHold} passes.
     */
    TIMEOUT,

    /**
     * The connection is reset before the request reaches the server: an {@code SdkClientException} caused by a {@code
     * SocketException} ("Connection reset").
     */
    CONNECTION_RESET,

    /**
     * Nothing listens at the endpoint: an {@code SdkClientException} caused by a {@code ConnectException}. Only for
     * {@linkplain FaultControl#outage outages} (an open connection cannot be refused): plans do not take it as a rate.
     */
    CONNECTION_REFUSED,

    /** The call goes through after an added delay, drawn from {@link FaultPlan#latencyMin()}..{@link FaultPlan#latencyMax()}. */
    LATENCY,

    /**
     * Batch actions only: the call goes through for some of its entries and the others are reported in the response's
     * {@code Failed} list as SQS reports an entry it could not process ({@code SenderFault=false}, code {@code
     * InternalError}). A failed entry was not sent to the server, so nothing is both done and reported failed.
     */
    PARTIAL_BATCH,

    /**
     * The call reaches the server and takes effect, then the connection is reset before the response arrives: a delete
     * that deleted but "failed", a receive whose messages are now invisible on the server (their receive count up) and
     * never reach the caller. The client sees the same error as {@link #CONNECTION_RESET}.
     */
    LOST_RESPONSE;

    /** Whether a call with this fault reaches the server (and so may take effect). */
    public boolean reachesServer() {
        return this == LATENCY || this == PARTIAL_BATCH || this == LOST_RESPONSE;
    }

    /** Whether this fault fails the whole call (everything but {@link #LATENCY} and {@link #PARTIAL_BATCH}). */
    public boolean failsCall() {
        return this != LATENCY && this != PARTIAL_BATCH;
    }
}
