package io.sluice.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.sluice.HandlerInterceptor;
import io.sluice.producer.SendHook;
import java.util.Objects;

/**
 * A trace that follows each message from its send to its handler, on the OpenTelemetry API:
 *
 * <pre>{@code
 * SluiceTracing tracing = SluiceTracing.create(openTelemetry);
 * SqsProducer producer = SqsProducer.builder().transport(transport).hook(tracing.sendHook()).build();
 * Worker worker = Worker.builder()...interceptor(tracing.interceptor()).build();
 * }</pre>
 *
 * With Guice, bind {@link #sendHook()} with {@code Multibinder.newSetBinder(binder(), SendHook.class)} (the
 * {@code SqsProducer} of {@code SluiceModule} picks it up) and {@link #interceptor()} with {@code
 * Multibinder.newSetBinder(binder(), HandlerInterceptor.class)}, first, so that the other interceptors' logs carry the
 * trace.
 *
 * <ul>
 *   <li><b>Sending</b>, when a span is current: a {@code PRODUCER} span {@code "<queue> create"} (a child of the current
 *   one, ended at once), whose context goes into the message attribute {@value TraceAttributes#TRACEPARENT} (and
 *   {@value TraceAttributes#TRACESTATE} when there is one and room for it), W3C Trace Context, readable by any
 *   consumer. When the message already has SQS's 10 attributes, nothing is added and the send goes on untraced. No span
 *   is current: nothing is added (Sluice does not start traces on its own).</li>
 *   <li><b>Handling</b>: a {@code CONSUMER} span {@code "<queue> process"} around each handler call, the child of the
 *   message's {@code traceparent}, else of AWS's {@code AWSTraceHeader} system attribute (X-Ray's format, set by AWS
 *   services and X-Ray-instrumented senders), else a new trace. A batch handler's call gets one span linked to every
 *   message's context. A failed call marks the span as an error with the exception. While the call runs on the
 *   handler's thread the span is current and the logging context holds {@value TracingInterceptor#TRACE_ID} and
 *   {@value TracingInterceptor#SPAN_ID}.</li>
 * </ul>
 *
 * <p>Why OpenTelemetry's API rather than Micrometer Tracing: it is the vendor-neutral standard the W3C propagation
 * and the messaging conventions come from, every tracing backend (and Micrometer Tracing's own bridge) accepts it, and
 * the API alone is small, with a no-op default when no SDK is installed. The module is optional: the core has no
 * tracing dependency.
 */
public final class SluiceTracing {

    /** The instrumentation scope of Sluice's spans. */
    public static final String INSTRUMENTATION_SCOPE = "io.sluice";

    private final Tracer tracer;

    private SluiceTracing(OpenTelemetry openTelemetry) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(INSTRUMENTATION_SCOPE);
    }

    /** Tracing on {@code openTelemetry}'s tracer; propagation is W3C Trace Context, whatever it is configured with. */
    public static SluiceTracing create(OpenTelemetry openTelemetry) {
        return new SluiceTracing(openTelemetry);
    }

    /** The hook that writes the trace context of a send into the message. */
    public SendHook sendHook() {
        return new TraceContextHook(tracer, W3CTraceContextPropagator.getInstance());
    }

    /** The interceptor that continues the message's trace around each handler call. */
    public HandlerInterceptor interceptor() {
        return new TracingInterceptor(tracer, W3CTraceContextPropagator.getInstance());
    }
}
