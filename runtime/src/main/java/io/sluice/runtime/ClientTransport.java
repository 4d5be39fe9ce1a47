package io.sluice.runtime;

import com.google.inject.Binding;
import com.google.inject.Injector;
import com.google.inject.Key;
import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.SqsTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The transport when none is bound: over a bound {@link SqsAsyncClient} (the application's; {@code owned} false), else
 * over a new client from Sluice's settings and the SDK's standard configuration ({@code owned} true: whoever asked
 * closes it). The one place the worker launcher and {@link SluiceModule} make that choice.
 */
record ClientTransport(SqsTransport transport, boolean owned) {

    private static final Logger LOG = LoggerFactory.getLogger(ClientTransport.class);

    static ClientTransport of(Injector injector, SluiceSettings settings) {
        Binding<SqsAsyncClient> client = injector.getExistingBinding(Key.get(SqsAsyncClient.class));
        if (client != null) {
            return new ClientTransport(SqsTransport.of(client.getProvider().get()), false);
        }
        SqsClientConfig config = settings.clientConfig();
        LOG.info("Sluice SQS client: {}", config);
        return new ClientTransport(SqsTransport.create(config), true);
    }
}
