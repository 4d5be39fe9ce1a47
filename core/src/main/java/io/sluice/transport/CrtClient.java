package io.sluice.transport;

import java.time.Duration;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * The AWS CRT HTTP client, in a class of its own: it is loaded only when {@link SqsClientConfig.HttpClient#CRT} is
 * chosen, so the optional {@code aws-crt-client} jar is needed only then, and its absence is reported in words.
 */
final class CrtClient {

    private CrtClient() {
    }

    static SdkAsyncHttpClient.Builder<?> builder(int maxConnections) {
        try {
            Class.forName("software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient", false,
                    CrtClient.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("the AWS CRT HTTP client was chosen (httpClient CRT, sluice.http-client=crt)"
                    + " but is not on the class path: add software.amazon.awssdk:aws-crt-client (its version from the AWS"
                    + " SDK's bom)", e);
        }
        return Loaded.builder(maxConnections);
    }

    /** The only code that names the CRT classes: verified and loaded once the check above passed. */
    private static final class Loaded {
        static SdkAsyncHttpClient.Builder<?> builder(int maxConnections) {
            return software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient.builder()
                    .maxConcurrency(maxConnections)
                    .connectionTimeout(Duration.ofSeconds(10))
                    .connectionAcquisitionTimeout(Duration.ofSeconds(30));
        }
    }
}
