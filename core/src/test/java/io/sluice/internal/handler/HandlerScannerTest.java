package io.sluice.internal.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.HandlerDefinitionException;
import io.sluice.annotations.MessageAttribute;
import io.sluice.annotations.MessageId;
import io.sluice.annotations.ReceiveCount;
import io.sluice.annotations.SqsHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HandlerScannerTest {

    private static final Function<String, Optional<String>> VALUES = key -> Optional.ofNullable(Map.of(
            "orders.queue", "orders-prod", "account", "123456789012").get(key));

    private final HandlerScanner scanner = new HandlerScanner(io.sluice.SluiceJson.defaultMapper(), VALUES);

    record Order(String id) {
    }

    static class OrderHandler {
        @SqsHandler(queue = "orders", concurrency = 7)
        public void handle(Order order) {
        }

        public void notAHandler(Order order) {
        }
    }

    static class BaseHandler {
        @SqsHandler(queue = "inherited")
        public void onMessage(String body) {
        }
    }

    static class SubHandler extends BaseHandler {
    }

    static class TwoQueues {
        @SqsHandler(queue = "first")
        public void first(String body) {
        }

        @SqsHandler(queue = "second.fifo")
        public void second(String body) {
        }
    }

    @Test
    void findsAnnotatedMethodsWithQueueNameAndConcurrency() {
        List<HandlerMethod> handlers = scanner.scan(List.of(new OrderHandler()));

        assertThat(handlers).singleElement().satisfies(handler -> {
            assertThat(handler.queue()).isEqualTo("orders");
            assertThat(handler.name()).isEqualTo("OrderHandler.handle");
            assertThat(handler.concurrency()).isEqualTo(7);
            assertThat(handler.method().getName()).isEqualTo("handle");
        });
    }

    @Test
    void findsHandlerInheritedFromSuperclass() {
        SubHandler bean = new SubHandler();

        List<HandlerMethod> handlers = scanner.scan(List.of(bean));

        assertThat(handlers).singleElement().satisfies(handler -> {
            assertThat(handler.queue()).isEqualTo("inherited");
            assertThat(handler.bean()).isSameAs(bean);
        });
        assertThat(HandlerScanner.hasHandlers(SubHandler.class)).isTrue();
        assertThat(HandlerScanner.hasHandlers(String.class)).isFalse();
    }

    @Test
    void findsEveryHandlerOfEveryBean() {
        List<HandlerMethod> handlers = scanner.scan(List.of(new TwoQueues(), new OrderHandler()));

        assertThat(handlers).extracting(HandlerMethod::queue).containsExactly("first", "second.fifo", "orders");
        assertThat(HandlerScanner.queueNames(List.of(new TwoQueues(), new OrderHandler()), VALUES))
                .containsExactly("first", "second.fifo", "orders");
    }

    static class AsyncHandlers {
        @SqsHandler(queue = "stage")
        public CompletionStage<Void> stage(String body) {
            return CompletableFuture.completedFuture(null);
        }

        @SqsHandler(queue = "future")
        public CompletableFuture<String> future(String body) {
            return CompletableFuture.completedFuture(body);
        }

        @SqsHandler(queue = "sync")
        public void sync(String body) {
        }
    }

    @Test
    void acceptsVoidCompletionStageAndCompletableFutureReturns() {
        assertThat(scanner.scan(List.of(new AsyncHandlers())))
                .extracting(HandlerMethod::queue).containsExactlyInAnyOrder("stage", "future", "sync");
    }

    static class UnannotatedInt {
        @SqsHandler(queue = "counts")
        public void handle(int count) {
        }
    }

    @Test
    void rejectsPrimitiveParameterWithoutAnnotation() {
        HandlerDefinitionException error = scanFailure(new UnannotatedInt());

        assertThat(error.problems()).singleElement().asString()
                .contains("UnannotatedInt.handle", "queue 'counts'", "parameter #1", "int", "@ReceiveCount");
    }

    static class MessageIdOnInt {
        @SqsHandler(queue = "ids")
        public void handle(@MessageId int id, String body) {
        }
    }

    @Test
    void rejectsMessageIdOnNonStringParameter() {
        HandlerDefinitionException error = scanFailure(new MessageIdOnInt());

        assertThat(error.problems()).singleElement().asString()
                .contains("MessageIdOnInt.handle", "queue 'ids'", "parameter #1", "@MessageId must annotate a String");
    }

    static class ReceiveCountOnString {
        @SqsHandler(queue = "counted")
        public void handle(String body, @ReceiveCount String count) {
        }
    }

    @Test
    void rejectsReceiveCountOnStringParameter() {
        HandlerDefinitionException error = scanFailure(new ReceiveCountOnString());

        assertThat(error.problems()).singleElement().asString()
                .contains("ReceiveCountOnString.handle", "queue 'counted'", "parameter #2", "@ReceiveCount");
    }

    static class AttributeOnInt {
        @SqsHandler(queue = "attributes")
        public void handle(String body, @MessageAttribute("tenant") Integer tenant) {
        }
    }

    @Test
    void rejectsMessageAttributeOnUnsupportedType() {
        HandlerDefinitionException error = scanFailure(new AttributeOnInt());

        assertThat(error.problems()).singleElement().asString()
                .contains("AttributeOnInt.handle", "queue 'attributes'", "parameter #2", "@MessageAttribute");
    }

    static class TwoPayloads {
        @SqsHandler(queue = "payloads")
        public void handle(Order order, String body) {
        }
    }

    @Test
    void rejectsTwoPayloadParameters() {
        HandlerDefinitionException error = scanFailure(new TwoPayloads());

        assertThat(error.problems()).singleElement().asString()
                .contains("TwoPayloads.handle", "queue 'payloads'", "second payload parameter", "parameter #2");
    }

    static class OtherOrderHandler {
        @SqsHandler(queue = "orders")
        public void process(Order order) {
        }
    }

    @Test
    void rejectsTwoHandlersForOneQueueAcrossBeans() {
        HandlerDefinitionException error = scanFailure(new OrderHandler(), new OtherOrderHandler());

        assertThat(error.problems()).singleElement().asString()
                .contains("queue 'orders'", "OrderHandler.handle", "OtherOrderHandler.process", "two handlers");
    }

    static class StaticHandler {
        @SqsHandler(queue = "static-queue")
        public static void handle(String body) {
        }
    }

    @Test
    void rejectsStaticMethod() {
        HandlerDefinitionException error = scanFailure(new StaticHandler());

        assertThat(error.problems()).singleElement().asString()
                .contains("StaticHandler.handle", "queue 'static-queue'", "static");
    }

    static class ReturnsString {
        @SqsHandler(queue = "returns")
        public String handle(String body) {
            return body;
        }
    }

    @Test
    void rejectsReturnTypeOtherThanVoidOrCompletionStage() {
        HandlerDefinitionException error = scanFailure(new ReturnsString());

        assertThat(error.problems()).singleElement().asString()
                .contains("ReturnsString.handle", "queue 'returns'", "void or a CompletionStage", "not String");
    }

    static class UrlQueue {
        @SqsHandler(queue = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders")
        public void handle(String body) {
        }
    }

    @Test
    void acceptsAQueueUrlNamedByItsLastSegment() {
        assertThat(scanner.scan(List.of(new UrlQueue()))).singleElement().satisfies(handler -> {
            assertThat(handler.queue()).isEqualTo("orders");
            assertThat(handler.queueRef().url()).isEqualTo("https://sqs.eu-west-1.amazonaws.com/123456789012/orders");
        });
        assertThat(HandlerScanner.queueNames(List.of(new UrlQueue()), VALUES)).containsExactly("orders");
    }

    static class UrlWithoutQueueName {
        @SqsHandler(queue = "http://localhost:9324/000000000000/orders.txt")
        public void handle(String body) {
        }
    }

    @Test
    void rejectsAUrlThatDoesNotEndInAQueueName() {
        HandlerDefinitionException error = scanFailure(new UrlWithoutQueueName());

        assertThat(error.problems()).singleElement().asString()
                .contains("UrlWithoutQueueName.handle", "queue 'http://localhost:9324/000000000000/orders.txt'",
                        "must be an SQS queue name", "or a queue URL ending in one");
    }

    static class PlaceholderQueues {
        @SqsHandler(queue = "${orders.queue}")
        public void orders(String body) {
        }

        @SqsHandler(queue = "https://sqs.eu-west-1.amazonaws.com/${account}/${payments.queue:payments}")
        public void payments(String body) {
        }
    }

    @Test
    void resolvesPlaceholdersInNamesAndUrls() {
        List<HandlerMethod> handlers = scanner.scan(List.of(new PlaceholderQueues()));

        assertThat(handlers).extracting(HandlerMethod::queue).containsExactly("orders-prod", "payments");
        assertThat(handlers.get(0).queueRef().hasUrl()).isFalse();
        assertThat(handlers.get(1).queueRef().url())
                .isEqualTo("https://sqs.eu-west-1.amazonaws.com/123456789012/payments");
        assertThat(HandlerScanner.queueNames(List.of(new PlaceholderQueues()), VALUES))
                .containsExactly("orders-prod", "payments");
    }

    static class UnresolvedQueue {
        @SqsHandler(queue = "${shipping.queue}")
        public void handle(String body) {
        }
    }

    @Test
    void aPlaceholderWithoutValueFailsNamingTheHandlerAndTheKey() {
        HandlerDefinitionException error = scanFailure(new UnresolvedQueue());

        assertThat(error.problems()).singleElement().asString()
                .startsWith("UnresolvedQueue.handle: no value for key 'shipping.queue' in '${shipping.queue}'")
                .contains("SHIPPING_QUEUE");
        assertThatThrownBy(() -> HandlerScanner.queueNames(List.of(new OrderHandler(), new UnresolvedQueue()),
                VALUES))
                .isInstanceOf(HandlerDefinitionException.class)
                .hasMessageContaining("UnresolvedQueue.handle")
                .hasMessageContaining("'shipping.queue'");
    }

    static class BlankQueue {
        @SqsHandler(queue = " ")
        public void handle(String body) {
        }
    }

    @Test
    void rejectsBlankQueueName() {
        HandlerDefinitionException error = scanFailure(new BlankQueue());

        assertThat(error.problems()).singleElement().asString()
                .contains("BlankQueue.handle", "queue ' '", "must be a name or a URL");
    }

    static class NegativeConcurrency {
        @SqsHandler(queue = "negative", concurrency = -1)
        public void handle(String body) {
        }
    }

    @Test
    void rejectsNegativeConcurrency() {
        HandlerDefinitionException error = scanFailure(new NegativeConcurrency());

        assertThat(error.problems()).singleElement().asString()
                .contains("NegativeConcurrency.handle", "queue 'negative'", "concurrency", "-1");
    }

    @Test
    void rejectsObjectsWithoutHandlers() {
        HandlerDefinitionException error = scanFailure(new Object(), "not a handler");

        assertThat(error.problems()).singleElement().asString().contains("no @SqsHandler methods", "2 handler objects");
    }

    @Test
    void rejectsEmptyHandlerList() {
        assertThatThrownBy(() -> scanner.scan(List.of()))
                .isInstanceOf(HandlerDefinitionException.class)
                .hasMessageContaining("no @SqsHandler methods");
    }

    static class ManyProblems {
        @SqsHandler(queue = "bad queue")
        public String first(int count) {
            return "";
        }

        @SqsHandler(queue = "fine")
        public static void second(@MessageId long id) {
        }
    }

    @Test
    void collectsEveryProblemBeforeFailing() {
        HandlerDefinitionException error = scanFailure(new ManyProblems(), new ReturnsString());

        assertThat(error.problems()).hasSizeGreaterThan(1);
        assertThat(error.problems()).anySatisfy(problem -> assertThat(problem).contains("ManyProblems.first",
                "queue 'bad queue'", "must be an SQS queue name"));
        assertThat(error.problems()).anySatisfy(problem -> assertThat(problem).contains("ManyProblems.first",
                "not String"));
        assertThat(error.problems()).anySatisfy(problem -> assertThat(problem).contains("ManyProblems.first",
                "parameter #1"));
        assertThat(error.problems()).anySatisfy(problem -> assertThat(problem).contains("ManyProblems.second",
                "queue 'fine'", "static"));
        assertThat(error.problems()).anySatisfy(problem -> assertThat(problem).contains("ManyProblems.second",
                "@MessageId"));
        assertThat(error.problems()).anySatisfy(problem -> assertThat(problem).contains("ReturnsString.handle"));
        assertThat(error.getMessage()).contains(error.problems().size() + " problems");
        error.problems().forEach(problem -> assertThat(error.getMessage()).contains(problem));
    }

    private HandlerDefinitionException scanFailure(Object... beans) {
        HandlerDefinitionException error = catchThrowableOfType(HandlerDefinitionException.class,
                () -> scanner.scan(List.of(beans)));
        assertThat(error).as("scan should fail with HandlerDefinitionException").isNotNull();
        return error;
    }
}
