package io.sluice.runtime.admin;

import io.sluice.runtime.SluiceSettings;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every command that calls SQS takes: where to connect, over the worker's own settings (a picocli mixin).
 */
final class ConnectionOptions {

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "SQS endpoint, e.g. http://localhost:9324 (overrides sluice.endpoint / SLUICE_ENDPOINT and"
                    + " the AWS SDK's AWS_ENDPOINT_URL_SQS)")
    String endpoint;

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region (overrides sluice.region / SLUICE_REGION and AWS_REGION)")
    String region;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "AWS profile for credentials and region (overrides sluice.profile / SLUICE_PROFILE)")
    String profile;

    @Option(names = {"-v", "--verbose"}, description = "print an error's stack trace too")
    boolean verbose;

    /** {@code settings} with the options given here on top. */
    SluiceSettings applyTo(SluiceSettings settings) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("sluice.endpoint", endpoint);
        overrides.put("sluice.region", region);
        overrides.put("sluice.profile", profile);
        return settings.with(overrides);
    }
}
