package io.sluice.transport;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;

/**
 * How to build the AWS SDK client behind {@link SqsTransport#create(SqsClientConfig)}.
 *
 * <p>Every setting is optional. What is not set comes from the AWS SDK's standard configuration: {@code AWS_REGION},
 * {@code AWS_ENDPOINT_URL_SQS} / {@code AWS_ENDPOINT_URL}, {@code AWS_PROFILE}, the shared config files and the default
 * credentials chain. Credentials never appear in {@link #toString()}.
 */
public final class SqsClientConfig {

    /** Connections the Netty client may open; long polls hold one each, so this bounds pollers across all queues. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;

    /** The HTTP client under the SDK client. */
    public enum HttpClient {
        /** The AWS SDK's Netty client: pure Java, the default. */
        NETTY,
        /**
         * The AWS Common Runtime's client ({@code software.amazon.awssdk:aws-crt-client}, which the application adds):
         * a native library (about 20 MB, built for Linux, macOS and Windows on x86-64 and arm64), faster and lighter
         * on CPU, at the cost of native code in the process.
         */
        CRT
    }

    private final URI endpoint;
    private final String region;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final String profile;
    private final int maxConnections;
    private final HttpClient httpClient;

    private SqsClientConfig(Builder builder) {
        this.endpoint = builder.endpoint;
        this.region = builder.region;
        this.accessKeyId = builder.accessKeyId;
        this.secretAccessKey = builder.secretAccessKey;
        this.profile = builder.profile;
        this.maxConnections = builder.maxConnections;
        this.httpClient = builder.httpClient;
    }

    /** A config that takes everything from the AWS SDK's standard configuration. */
    public static SqsClientConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint override, or {@code null} for the SDK's own resolution. */
    public URI endpoint() {
        return endpoint;
    }

    /** The region override, or {@code null} for the SDK's own resolution. */
    public String region() {
        return region;
    }

    /** The profile name, or {@code null}. */
    public String profile() {
        return profile;
    }

    /** Whether static credentials were given. */
    public boolean hasStaticCredentials() {
        return accessKeyId != null;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public HttpClient httpClient() {
        return httpClient;
    }

    /**
     * A new AWS SDK client built from this config, on the chosen HTTP client (at most {@link #maxConnections()}
     * connections; on Netty, a read timeout above the longest long poll): the one place Sluice builds a client, behind
     * {@link SqsTransport#create(SqsClientConfig)} and the admin CLI. The caller owns the client and closes it.
     *
     * @throws SqsUnavailableException when no region is set here nor found by the AWS SDK's chain
     * @throws IllegalStateException   when the CRT client is chosen and not on the class path
     */
    public SqsAsyncClient newClient() {
        SqsAsyncClientBuilder builder = SqsAsyncClient.builder();
        if (httpClient == HttpClient.CRT) {
            builder.httpClientBuilder(CrtClient.builder(maxConnections));
        } else {
            builder.httpClientBuilder(NettyNioAsyncHttpClient.builder()
                    .maxConcurrency(maxConnections)
                    // Long polls wait up to 20 s for the first byte; leave room above that.
                    .readTimeout(Duration.ofSeconds(40))
                    .connectionAcquisitionTimeout(Duration.ofSeconds(30)));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        builder.region(resolveRegion());
        credentialsProvider().ifPresent(builder::credentialsProvider);
        return builder.build();
    }

    /**
     * The region set here, else the AWS SDK's own chain (AWS_REGION, aws.region, the profile, instance metadata); a
     * missing region fails with one line naming the settings that give one, not with the SDK's stack trace.
     */
    private Region resolveRegion() {
        if (region != null) {
            return Region.of(region);
        }
        try {
            return DefaultAwsRegionProviderChain.builder().profileName(profile).build().getRegion();
        } catch (SdkClientException e) {
            throw new SqsUnavailableException("no AWS region is configured for the SQS client: set AWS_REGION, the"
                    + " system property aws.region, sluice.region (SLUICE_REGION) or a region in the AWS profile"
                    + (endpoint == null ? "" : "; an endpoint (" + endpoint + ") needs a region too, any one for a"
                            + " local server: AWS_REGION=us-east-1"), e);
        }
    }

    private java.util.Optional<AwsCredentialsProvider> credentialsProvider() {
        if (accessKeyId != null) {
            return java.util.Optional.of(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
        }
        if (profile != null) {
            return java.util.Optional.of(ProfileCredentialsProvider.create(profile));
        }
        return java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return "SqsClientConfig{endpoint=" + (endpoint == null ? "<sdk default>" : endpoint)
                + ", region=" + (region == null ? "<sdk default>" : region)
                + ", credentials=" + (accessKeyId != null ? "static" : profile != null ? "profile " + profile : "<sdk default chain>")
                + ", maxConnections=" + maxConnections + (httpClient == HttpClient.NETTY ? "" : ", httpClient=" + httpClient)
                + '}';
    }

    /** Builds an {@link SqsClientConfig}; {@link #build()} rejects incomplete credentials. */
    public static final class Builder {
        private URI endpoint;
        private String region;
        private String accessKeyId;
        private String secretAccessKey;
        private String profile;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private HttpClient httpClient = HttpClient.NETTY;

        private Builder() {
        }

        /** The HTTP client under the SDK client: {@link HttpClient#NETTY} (default) or {@link HttpClient#CRT}. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = java.util.Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** An explicit endpoint, for example {@code http://localhost:9324} for ElasticMQ. */
        public Builder endpoint(URI endpoint) {
            if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
                throw new IllegalArgumentException(
                        "endpoint must be an absolute URI such as http://localhost:9324, but was " + endpoint);
            }
            this.endpoint = endpoint;
            return this;
        }

        public Builder endpoint(String endpoint) {
            return endpoint(endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim()));
        }

        public Builder region(String region) {
            this.region = region == null || region.isBlank() ? null : region.trim();
            return this;
        }

        /** Static credentials; both parts are required together. */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.accessKeyId = accessKeyId;
            this.secretAccessKey = secretAccessKey;
            return this;
        }

        public Builder profile(String profile) {
            this.profile = profile == null || profile.isBlank() ? null : profile.trim();
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, but was " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        public SqsClientConfig build() {
            if ((accessKeyId == null) != (secretAccessKey == null)
                    || (accessKeyId != null && (accessKeyId.isBlank() || secretAccessKey.isBlank()))) {
                throw new IllegalArgumentException(
                        "credentials need both an access key id and a secret access key, but "
                                + (accessKeyId == null || accessKeyId.isBlank() ? "the access key id" : "the secret access key")
                                + " is missing");
            }
            if (accessKeyId != null && profile != null) {
                throw new IllegalArgumentException(
                        "set either static credentials or a profile, not both (profile was " + profile + ")");
            }
            return new SqsClientConfig(this);
        }
    }
}
