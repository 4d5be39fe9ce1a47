package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import io.sluice.SluiceJson;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.annotations.SqsHandler;
import io.sluice.producer.SqsProducer;
import io.sluice.testutil.CountingTransport;
import io.sluice.time.VirtualTime;
import io.sluice.transport.SqsTransport;
import io.sluice.transport.memory.InMemorySqs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** One injector, one SQS client and one mapper for a worker and a producer; and a producer-only service. */
class SluiceModuleTest {

    record Invoice(String invoiceId, long totalCents) {
    }

    public static class InvoiceHandler {
        static final List<Invoice> HANDLED = new CopyOnWriteArrayList<>();

        @SqsHandler(queue = "${invoices.queue}")
        public void handle(Invoice invoice) {
            HANDLED.add(invoice);
        }
    }

    @Test
    void aWorkerAndAProducerInOneInjectorShareTheTransportTheMapperAndThePlaceholders() {
        InvoiceHandler.HANDLED.clear();
        VirtualTime time = new VirtualTime();
        InMemorySqs sqs = InMemorySqs.builder().scheduler(time).build();
        CountingTransport transport = new CountingTransport(sqs);
        ObjectMapper snakeCase = SluiceJson.defaultMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        SluiceSettings settings = SluiceSettings.of(Map.of("invoices.queue", "invoices-dev"));
        Injector injector = Guice.createInjector(new SluiceModule(settings), new AbstractModule() {
            @Override
            protected void configure() {
                bind(InvoiceHandler.class);
                OptionalBinder.newOptionalBinder(binder(), SqsTransport.class).setBinding().toInstance(transport);
                OptionalBinder.newOptionalBinder(binder(), ObjectMapper.class).setBinding().toInstance(snakeCase);
                bind(WorkerConfig.class).toInstance(WorkerConfig.builder().createQueues(true).build());
            }
        });
        Worker worker = Sluice.worker(injector).settings(settings).scheduler(time).executor(Runnable::run).start();
        SqsProducer producer = injector.getInstance(SqsProducer.class);

        producer.send("${invoices.queue}", new Invoice("inv-7", 1250));
        for (int i = 0; i < 20 && InvoiceHandler.HANDLED.isEmpty(); i++) {
            time.advance(Duration.ofMillis(100));
        }

        assertThat(injector.getInstance(SqsProducer.class)).isSameAs(producer);
        assertThat(InvoiceHandler.HANDLED).containsExactly(new Invoice("inv-7", 1250)); // snake_case both ways
        assertThat(transport.sendCalls.get()).isEqualTo(1);
        assertThat(sqs.getQueueUrl(b -> b.queueName("invoices-dev")).join().queueUrl()).endsWith("/invoices-dev");
        worker.stop();
        producer.close();
        sqs.close();
    }

    @Test
    void aProducerOnlyServiceNeedsNothingButTheModule() {
        InMemorySqs sqs = InMemorySqs.builder().build();
        String url = sqs.createQueue(b -> b.queueName("invoices")).join().queueUrl();
        Injector injector = Guice.createInjector(new SluiceModule(SluiceSettings.of(Map.of())), new AbstractModule() {
            @Override
            protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), SqsTransport.class).setBinding().toInstance(sqs);
            }
        });

        String id = injector.getInstance(SqsProducer.class).send("invoices", new Invoice("inv-1", 1)).messageId();

        assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).join().messages()).singleElement()
                .satisfies(message -> {
                    assertThat(message.messageId()).isEqualTo(id);
                    assertThat(message.body()).isEqualTo("{\"invoiceId\":\"inv-1\",\"totalCents\":1}");
                });
        sqs.close();
    }
}
