package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.sluice.HandlerDefinitionException;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.annotations.SqsHandler;
import io.sluice.testutil.FakeSqsTransport;
import io.sluice.time.VirtualTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerDiscoveryTest {

    /** A dependency handlers get injected. */
    public static class Inventory {
        public String reserve(String sku) {
            return "reserved " + sku;
        }
    }

    public static class OrderHandler {
        final Inventory inventory;

        @Inject
        public OrderHandler(Inventory inventory) {
            this.inventory = inventory;
        }

        @SqsHandler(queue = "orders")
        public void handle(String body) {
        }
    }

    public interface PaymentHandler {
        void handle(String body);
    }

    public static class StripePaymentHandler implements PaymentHandler {
        @Inject
        Inventory inventory;

        @Override
        @SqsHandler(queue = "payments")
        public void handle(String body) {
        }
    }

    public static class RefundHandler {
        @Inject
        Inventory inventory;

        @SqsHandler(queue = "refunds")
        public void handle(String body) {
        }
    }

    public static class ShippingHandler {
        final String carrier;

        ShippingHandler(String carrier) {
            this.carrier = carrier;
        }

        @SqsHandler(queue = "shipping")
        public void handle(String body) {
        }
    }

    public static class BrokenHandler {
        public BrokenHandler() {
            throw new IllegalStateException("no database configured");
        }

        @SqsHandler(queue = "broken")
        public void handle(String body) {
        }
    }

    /** Bound, but not a handler: must be ignored. */
    public static class Clock {
    }

    static class ShopModule extends AbstractModule {
        @Override
        protected void configure() {
            bind(OrderHandler.class);
            bind(PaymentHandler.class).to(StripePaymentHandler.class);
            bind(RefundHandler.class).toInstance(new RefundHandler());
            bind(Clock.class);
        }

        @Provides
        @Singleton
        ShippingHandler shippingHandler() {
            return new ShippingHandler("parcel-co");
        }
    }

    private static <T> T handlerOf(List<Object> handlers, Class<T> type) {
        return handlers.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new AssertionError(type.getSimpleName() + " not discovered in " + handlers));
    }

    @Test
    void discoversHandlersOfEveryKindOfBinding() {
        Injector injector = Guice.createInjector(new ShopModule());

        List<Object> handlers = HandlerDiscovery.discover(injector);

        assertThat(handlers).hasSize(4);
        assertThat(handlers).extracting(handler -> handler.getClass().getSimpleName())
                .containsExactlyInAnyOrder("OrderHandler", "StripePaymentHandler", "RefundHandler", "ShippingHandler");
    }

    @Test
    void discoveredHandlersGetTheirDependenciesInjected() {
        Injector injector = Guice.createInjector(new ShopModule());

        List<Object> handlers = HandlerDiscovery.discover(injector);

        assertThat(handlerOf(handlers, OrderHandler.class).inventory).isNotNull();
        assertThat(handlerOf(handlers, StripePaymentHandler.class).inventory).isNotNull();
        assertThat(handlerOf(handlers, RefundHandler.class).inventory).as("toInstance gets member injection").isNotNull();
        assertThat(handlerOf(handlers, ShippingHandler.class).carrier).as("built by the @Provides method")
                .isEqualTo("parcel-co");
    }

    @Test
    void toInstanceBindingYieldsThatInstance() {
        RefundHandler instance = new RefundHandler();
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(RefundHandler.class).toInstance(instance);
            }
        });

        assertThat(HandlerDiscovery.discover(injector)).singleElement().isSameAs(instance);
    }

    @Test
    void singletonBoundUnderTwoKeysIsDiscoveredOnce() {
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(StripePaymentHandler.class).in(Singleton.class);
                bind(PaymentHandler.class).to(StripePaymentHandler.class);
            }
        });

        assertThat(HandlerDiscovery.discover(injector)).singleElement().isInstanceOf(StripePaymentHandler.class);
    }

    @Test
    void discoversHandlersOfParentInjectors() {
        Injector parent = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(OrderHandler.class);
            }
        });
        Injector child = parent.createChildInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(RefundHandler.class);
            }
        });

        assertThat(HandlerDiscovery.discover(child)).extracting(handler -> handler.getClass().getSimpleName())
                .containsExactlyInAnyOrder("OrderHandler", "RefundHandler");
    }

    @Test
    void injectorWithoutHandlersYieldsNone() {
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(Clock.class);
            }
        });

        assertThat(HandlerDiscovery.discover(injector)).isEmpty();
    }

    @Test
    void handlerWhoseConstructionFailsIsReportedByClass() {
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(OrderHandler.class);
                bind(BrokenHandler.class);
            }
        });

        HandlerDefinitionException error = catchThrowableOfType(HandlerDefinitionException.class,
                () -> HandlerDiscovery.discover(injector));

        assertThat(error).isNotNull();
        assertThat(error.problems()).singleElement().asString()
                .contains(BrokenHandler.class.getName())
                .contains("cannot be instantiated")
                .contains("no database configured");
    }

    @Test
    void everyHandlerThatCannotBeBuiltIsListed() {
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(RefundHandler.class);
                bind(BrokenHandler.class);
            }

            @Provides
            ShippingHandler shippingHandler() {
                throw new IllegalArgumentException("carrier not configured");
            }
        });

        HandlerDefinitionException error = catchThrowableOfType(HandlerDefinitionException.class,
                () -> HandlerDiscovery.discover(injector));

        assertThat(error.problems()).hasSize(2);
        assertThat(error.problems()).anySatisfy(problem -> assertThat(problem)
                .contains(ShippingHandler.class.getName(), "carrier not configured"));
        assertThat(error.problems()).anySatisfy(problem -> assertThat(problem)
                .contains(BrokenHandler.class.getName(), "no database configured"));
    }

    // ---- Sluice.worker ----

    @Test
    void workerIsBuiltWithTheDiscoveredQueues() {
        Injector injector = Guice.createInjector(new ShopModule());

        Worker worker = Sluice.worker(injector)
                .transport(new FakeSqsTransport())
                .settings(SluiceSettings.of(Map.of()))
                .build();

        assertThat(worker.queues()).containsExactlyInAnyOrder("orders", "payments", "refunds", "shipping");
        assertThat(worker.handlers()).containsEntry("payments", "StripePaymentHandler.handle")
                .containsEntry("shipping", "ShippingHandler.handle");
        assertThat(worker.isRunning()).isFalse();
    }

    @Test
    void workerUsesBoundTransportAndAppliesSettingsToTheBoundConfig() {
        FakeSqsTransport transport = new FakeSqsTransport().withQueue("orders");
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(OrderHandler.class);
                bind(io.sluice.transport.SqsTransport.class).toInstance(transport);
                bind(WorkerConfig.class).toInstance(WorkerConfig.builder().concurrency(7).build());
            }
        });

        Worker worker = Sluice.worker(injector)
                .settings(SluiceSettings.of(Map.of("sluice.queues.orders.concurrency", "3")))
                .scheduler(new VirtualTime())
                .start();
        try {
            assertThat(worker.config().concurrency()).isEqualTo(7);
            assertThat(worker.config().queue("orders").concurrency()).hasValue(3);
            assertThat(transport.getQueueUrlRequests()).as("the bound transport is used").isNotEmpty();
            assertThat(transport.lastReceive().maxNumberOfMessages()).isEqualTo(3);
        } finally {
            worker.stop(java.time.Duration.ofSeconds(1));
        }
        assertThat(transport.isClosed()).as("a bound transport belongs to the application").isFalse();
    }

    public static class PlaceholderHandler {
        @SqsHandler(queue = "${shop.orders.queue}")
        public void handle(String body) {
        }
    }

    private static Injector placeholderInjector() {
        return Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(PlaceholderHandler.class);
            }
        });
    }

    @Test
    void workerResolvesQueuePlaceholdersFromTheSettingsAndAppliesTheResolvedQueuesKeys() {
        Worker worker = Sluice.worker(placeholderInjector()).transport(new FakeSqsTransport())
                .settings(SluiceSettings.of(Map.of("shop.orders.queue", "orders-dev",
                        "sluice.queues.orders-dev.concurrency", "3")))
                .build();

        assertThat(worker.queues()).containsExactly("orders-dev");
        assertThat(worker.config().queue("orders-dev").concurrency()).hasValue(3);
    }

    @Test
    void workerBuildFailsNamingTheHandlerAndTheKeyOfAPlaceholderWithoutValue() {
        assertThatThrownBy(() -> Sluice.worker(placeholderInjector()).transport(new FakeSqsTransport())
                .settings(SluiceSettings.of(Map.of())).build())
                .isInstanceOf(HandlerDefinitionException.class)
                .hasMessageContaining("PlaceholderHandler.handle: no value for key 'shop.orders.queue'")
                .hasMessageContaining("SHOP_ORDERS_QUEUE");
    }

    @Test
    void workerBuildFailsWhenNoHandlerIsBound() {
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(Clock.class);
            }
        });

        assertThatThrownBy(() -> Sluice.worker(injector).transport(new FakeSqsTransport())
                .settings(SluiceSettings.of(Map.of())).build())
                .isInstanceOf(HandlerDefinitionException.class)
                .hasMessageContaining("no @SqsHandler methods");
    }

    @Test
    void workerBuildFailsNamingAnUnknownSetting() {
        Injector injector = Guice.createInjector(new ShopModule());

        assertThatThrownBy(() -> Sluice.worker(injector).transport(new FakeSqsTransport())
                .settings(SluiceSettings.of(Map.of("sluice.queues.unknown-queue.concurrency", "3"))).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sluice.queues.unknown-queue.concurrency");
    }
}
