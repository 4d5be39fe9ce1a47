package io.sluice.benchmarks;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;

/** The SQS clients of a benchmark: the same Netty settings as {@code SqsClientConfig} gives Sluice by default. */
final class Clients {

    private Clients() {
    }

    static SqsAsyncClient create(URI endpoint, ExecutionInterceptor interceptor) {
        return create(endpoint, interceptor, false);
    }

    /**
     * @param crt the AWS CRT HTTP client with the settings {@code SqsClientConfig.HttpClient.CRT} gives Sluice, instead
     *            of Netty
     */
    static SqsAsyncClient create(URI endpoint, ExecutionInterceptor interceptor, boolean crt) {
        SqsAsyncClientBuilder builder = SqsAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")));
        if (crt) {
            builder.httpClientBuilder(software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient.builder()
                    .maxConcurrency(256)
                    .connectionTimeout(Duration.ofSeconds(10))
                    .connectionAcquisitionTimeout(Duration.ofSeconds(30)));
        } else {
            builder.httpClientBuilder(NettyNioAsyncHttpClient.builder()
                    .maxConcurrency(256)
                    .readTimeout(Duration.ofSeconds(40))
                    .connectionAcquisitionTimeout(Duration.ofSeconds(30)));
        }
        if (interceptor != null) {
            builder.overrideConfiguration(config -> config.addExecutionInterceptor(interceptor));
        }
        return builder.build();
    }
}
