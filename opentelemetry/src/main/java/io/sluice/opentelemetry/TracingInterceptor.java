package io.sluice.opentelemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.sluice.HandlerInterceptor;
import io.sluice.Invocation;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.slf4j.MDC;

/**
 * A {@code CONSUMER} span around each handler call, continuing the message's trace: its {@code traceparent} attribute,
 * else its {@code AWSTraceHeader}; current while the call runs on the handler's thread, with its ids in the logging
 * context; ended when the call's stage completes, as an error when it failed.
 */
final class TracingInterceptor implements HandlerInterceptor {

    /** The logging context key of the trace id while a traced call runs. */
    static final String TRACE_ID = "traceId";
    /** The logging context key of the call's span id. */
    static final String SPAN_ID = "spanId";

    private static final TextMapGetter<Map<String, String>> ATTRIBUTES = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    TracingInterceptor(Tracer tracer, TextMapPropagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public CompletionStage<Void> intercept(Chain chain) {
        Span span = start(chain.invocation());
        String traceIdBefore = MDC.get(TRACE_ID);
        String spanIdBefore = MDC.get(SPAN_ID);
        MDC.put(TRACE_ID, span.getSpanContext().getTraceId());
        MDC.put(SPAN_ID, span.getSpanContext().getSpanId());
        CompletionStage<Void> stage;
        try (Scope ignored = span.makeCurrent()) {
            stage = chain.proceed();
        } catch (RuntimeException | Error e) {
            end(span, e);
            throw e;
        } finally {
            restore(TRACE_ID, traceIdBefore);
            restore(SPAN_ID, spanIdBefore);
        }
        return stage.whenComplete((ignored, error) -> end(span, error));
    }

    private Span start(Invocation call) {
        SpanBuilder builder = tracer.spanBuilder(call.queue() + " process").setSpanKind(SpanKind.CONSUMER)
                .setAttribute(TraceAttributes.MESSAGING_SYSTEM, TraceAttributes.AWS_SQS)
                .setAttribute(TraceAttributes.DESTINATION, call.queue())
                .setAttribute(TraceAttributes.OPERATION_TYPE, "process")
                .setAttribute(TraceAttributes.OPERATION_NAME, "process")
                .setAttribute(TraceAttributes.HANDLER, call.handler())
                .setAttribute(TraceAttributes.CALL, (long) call.call());
        if (call.batch()) {
            builder.setNoParent().setAttribute(TraceAttributes.BATCH_SIZE, (long) call.messages().size());
            for (Invocation.MessageInfo message : call.messages()) {
                SpanContext sent = Span.fromContext(sentContext(message)).getSpanContext();
                if (sent.isValid()) {
                    builder.addLink(sent);
                }
            }
        } else {
            Invocation.MessageInfo message = call.messages().get(0);
            Context sent = sentContext(message);
            if (Span.fromContext(sent).getSpanContext().isValid()) {
                builder.setParent(sent);
            } else {
                builder.setNoParent();
            }
            builder.setAttribute(TraceAttributes.MESSAGE_ID, message.messageId())
                    .setAttribute(TraceAttributes.RECEIVE_COUNT, (long) message.receiveCount());
        }
        return builder.startSpan();
    }

    /** The context the message was sent in: its {@code traceparent}, else its {@code AWSTraceHeader}, else none. */
    private Context sentContext(Invocation.MessageInfo message) {
        if (message.attributes().containsKey(TraceAttributes.TRACEPARENT)) {
            Context extracted = propagator.extract(Context.root(), message.attributes(), ATTRIBUTES);
            if (Span.fromContext(extracted).getSpanContext().isValid()) {
                return extracted;
            }
        }
        return XRayTraceHeader.parse(message.system().get(TraceAttributes.AWS_TRACE_HEADER))
                .map(context -> Context.root().with(Span.wrap(context)))
                .orElse(Context.root());
    }

    private static void end(Span span, Throwable error) {
        if (error != null) {
            Throwable cause = error;
            while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            span.recordException(cause);
            span.setStatus(StatusCode.ERROR, cause.getClass().getSimpleName());
        }
        span.end();
    }

    private static void restore(String key, String before) {
        if (before == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, before);
        }
    }

    @Override
    public String toString() {
        return "OpenTelemetry tracing";
    }
}
