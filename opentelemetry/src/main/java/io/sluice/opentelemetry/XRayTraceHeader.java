package io.sluice.opentelemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads AWS's {@code AWSTraceHeader} ({@code Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;
 * Sampled=1}): the X-Ray trace id is a W3C trace id (its epoch and random parts joined), and {@code Parent} the
 * sending span. A header without a parent, or malformed, gives nothing to continue.
 */
final class XRayTraceHeader {

    private static final Pattern ROOT = Pattern.compile("1-[0-9a-f]{8}-[0-9a-f]{24}");
    private static final Pattern PARENT = Pattern.compile("[0-9a-f]{16}");

    private XRayTraceHeader() {
    }

    static Optional<SpanContext> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String root = null;
        String parent = null;
        boolean sampled = false;
        for (String part : header.split(";")) {
            int equals = part.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String key = part.substring(0, equals).trim();
            String value = part.substring(equals + 1).trim();
            switch (key) {
                case "Root" -> root = value;
                case "Parent" -> parent = value;
                case "Sampled" -> sampled = value.equals("1");
                default -> {
                    // Lineage, Self and others: not part of the span's context
                }
            }
        }
        if (root == null || parent == null || !ROOT.matcher(root).matches() || !PARENT.matcher(parent).matches()) {
            return Optional.empty();
        }
        String traceId = root.substring(2, 10) + root.substring(11);
        SpanContext context = SpanContext.createFromRemoteParent(traceId, parent,
                sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
        return context.isValid() ? Optional.of(context) : Optional.empty();
    }
}
