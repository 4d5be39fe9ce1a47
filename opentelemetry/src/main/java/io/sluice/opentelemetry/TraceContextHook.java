package io.sluice.opentelemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.sluice.producer.SendHook;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Writes the current trace into a message being sent, through a {@code PRODUCER} span of its own. */
final class TraceContextHook implements SendHook {

    private static final Logger LOG = LoggerFactory.getLogger(TraceContextHook.class);

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    TraceContextHook(Tracer tracer, TextMapPropagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public void beforeSend(String queue, Map<String, MessageAttributeValue> attributes) {
        Context current = Context.current();
        if (!Span.fromContext(current).getSpanContext().isValid() || attributes.containsKey(TraceAttributes.TRACEPARENT)) {
            return; // no trace to continue, or the caller wrote its own
        }
        int room = TraceAttributes.MAX_MESSAGE_ATTRIBUTES - attributes.size();
        if (room <= 0) {
            LOG.debug("A message to queue '{}' has SQS's {} message attributes already: sent without its trace context",
                    queue, TraceAttributes.MAX_MESSAGE_ATTRIBUTES);
            return;
        }
        String name = TraceAttributes.queueName(queue);
        Span span = tracer.spanBuilder(name + " create").setSpanKind(SpanKind.PRODUCER).setParent(current)
                .setAttribute(TraceAttributes.MESSAGING_SYSTEM, TraceAttributes.AWS_SQS)
                .setAttribute(TraceAttributes.DESTINATION, name)
                .setAttribute(TraceAttributes.OPERATION_TYPE, "create")
                .setAttribute(TraceAttributes.OPERATION_NAME, "create")
                .startSpan();
        try {
            Map<String, String> carrier = new HashMap<>();
            propagator.inject(current.with(span), carrier, (map, key, value) -> map.put(key, value));
            put(attributes, TraceAttributes.TRACEPARENT, carrier.get(TraceAttributes.TRACEPARENT));
            if (room >= 2) {
                put(attributes, TraceAttributes.TRACESTATE, carrier.get(TraceAttributes.TRACESTATE));
            }
        } finally {
            span.end();
        }
    }

    private static void put(Map<String, MessageAttributeValue> attributes, String name, String value) {
        if (value != null && !value.isEmpty()) {
            attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build());
        }
    }
}
