package io.sluice.modulepath;

import io.sluice.Worker;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import io.sluice.annotations.MessageId;
import io.sluice.annotations.SqsHandler;
import io.sluice.producer.SqsProducer;
import io.sluice.transport.SqsClientConfig;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run by {@code ModulePathIT} in a JVM of its own with {@code io.sluice.core} on the module path and this class on the
 * class path, as an application that has not moved to modules uses a modular library: the module resolves with its
 * declared dependencies, exports the API and not {@code io.sluice.internal}, and a worker binds a record payload with
 * Jackson, runs an interceptor, handles and deletes a message: on the in-memory transport, then through the AWS SDK's
 * Netty client on the SQS endpoint given as the argument. Prints {@code module path smoke: ok} and exits 0.
 */
public final class ModulePathSmoke {

    /** The payload. */
    public record Order(String id, int amount) {
    }

    /** The handler. */
    public static final class OrderHandler {
        final CountDownLatch handled = new CountDownLatch(1);
        final AtomicReference<String> seen = new AtomicReference<>();

        @SqsHandler(queue = "smoke-orders", concurrency = 2)
        public void handle(Order order, @MessageId String messageId) {
            seen.set(order.id() + ":" + order.amount());
            handled.countDown();
        }
    }

    private ModulePathSmoke() {
    }

    public static void main(String[] args) throws Exception {
        Module core = Worker.class.getModule();
        check(core.isNamed() && core.getName().equals("io.sluice.core"), "Worker is in module " + core);
        check(core.isExported("io.sluice") && core.isExported("io.sluice.transport.memory")
                && core.isExported("io.sluice.producer"), "API packages exported");
        check(!core.isExported("io.sluice.internal") && !core.isExported("io.sluice.internal.call"),
                "io.sluice.internal is not exported");

        try (InMemorySqs sqs = InMemorySqs.builder().build()) {
            drainOne(sqs, "in memory");
        }
        try (SqsTransport sdk = SqsTransport.create(SqsClientConfig.builder().endpoint(args[0]).region("us-east-1")
                .credentials("x", "x").build())) {
            drainOne(sdk, "AWS SDK at " + args[0]);
        }
        System.out.println("module path smoke: ok");
    }

    /** Sends one order with the producer, runs a worker until it is handled and deleted, and checks what the handler and interceptor saw. */
    private static void drainOne(SqsTransport sqs, String where) throws InterruptedException {
        OrderHandler handler = new OrderHandler();
        CountDownLatch deleted = new CountDownLatch(1);
        AtomicReference<String> intercepted = new AtomicReference<>();
        String url = sqs.createQueue(b -> b.queueName("smoke-orders")).join().queueUrl();
        try (SqsProducer producer = SqsProducer.create(sqs)) {
            producer.send(url, "{\"id\":\"o-1\",\"amount\":42}");
        }
        Worker worker = Worker.builder().transport(sqs).handlers(handler)
                .interceptor(chain -> {
                    intercepted.set(chain.invocation().queue());
                    return chain.proceed();
                })
                .listener(WorkerListener.on(WorkerEvent.Deleted.class, event -> deleted.countDown()))
                .build()
                .start();
        try {
            check(handler.handled.await(30, TimeUnit.SECONDS), where + ": the handler ran within 30 s");
            check(deleted.await(30, TimeUnit.SECONDS), where + ": the message was deleted within 30 s");
        } finally {
            worker.stop(Duration.ofSeconds(10));
        }
        check("o-1:42".equals(handler.seen.get()), where + ": bound the record, got " + handler.seen.get());
        check("smoke-orders".equals(intercepted.get()), where + ": the interceptor saw the call, got "
                + intercepted.get());
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            System.out.println("module path smoke: FAILED: " + what);
            System.exit(1);
        }
    }
}
