package io.sluice.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import io.sluice.SluiceJson;
import io.sluice.producer.SendHook;
import io.sluice.producer.SqsProducer;
import io.sluice.transport.SqsTransport;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Binds what a worker and a producer in one injector share, so that they use one SQS client and one JSON mapping:
 *
 * <ul>
 *   <li>{@link SqsTransport}, a singleton: over a bound {@link SqsAsyncClient} when there is one, else a client from
 *   Sluice's settings ({@code sluice.endpoint}, {@code sluice.region}, ...). Override it with {@code
 *   OptionalBinder.newOptionalBinder(binder(), SqsTransport.class).setBinding().toInstance(...)} (the in-memory
 *   transport in tests).</li>
 *   <li>{@link ObjectMapper}: {@link SluiceJson#defaultMapper()}, one instance; override it the same way.</li>
 *   <li>{@link SqsProducer}, a singleton on those two, with the {@code sluice.producer.*} settings, whose queue
 *   placeholders ({@code ${orders.queue}}) take their values from Sluice's settings as the worker's do, and with the
 *   {@link SendHook}s bound with {@code Multibinder.newSetBinder(binder(), SendHook.class)} (a trace context, say), in
 *   binding order.</li>
 * </ul>
 *
 * <p>A service that only sends installs this module and injects {@code SqsProducer}; a worker started with {@link
 * Sluice#worker(Injector)} over the same injector picks up the bound transport and mapper. The transport this module
 * creates is closed by whoever ends the application ({@code injector.getInstance(SqsTransport.class).close()}), after
 * the producer's {@link SqsProducer#close()} and the worker's stop.
 */
public final class SluiceModule extends AbstractModule {


    private final SluiceSettings settings;

    /** With the settings of this process: {@code sluice.*} system properties and {@code SLUICE_*} variables. */
    public SluiceModule() {
        this(SluiceSettings.fromEnvironment());
    }

    public SluiceModule(SluiceSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), SqsTransport.class).setDefault()
                .toProvider(new TransportFromSettings(settings)).in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), ObjectMapper.class).setDefault()
                .toProvider(SluiceJson::defaultMapper).in(Singleton.class);
        Multibinder.newSetBinder(binder(), SendHook.class); // none unless the application binds some
    }

    @Provides
    @Singleton
    SqsProducer producer(SqsTransport transport, ObjectMapper mapper, Set<SendHook> hooks) {
        SqsProducer.Builder producer = SqsProducer.builder().transport(transport).objectMapper(mapper);
        hooks.forEach(producer::hook);
        return settings.applyTo(producer).build();
    }

    /**
     * The default transport: over a bound {@link SqsAsyncClient}, else a client from the settings. A provider instance,
     * so Guice injects the injector it asks for a bound client.
     */
    static final class TransportFromSettings implements Provider<SqsTransport> {
        private final SluiceSettings settings;
        @Inject
        private Injector injector;

        TransportFromSettings(SluiceSettings settings) {
            this.settings = settings;
        }

        @Override
        public SqsTransport get() {
            return ClientTransport.of(injector, settings).transport();
        }
    }
}
