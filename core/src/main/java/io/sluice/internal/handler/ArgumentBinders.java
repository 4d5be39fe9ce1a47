package io.sluice.internal.handler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.sluice.annotations.MessageAttribute;
import io.sluice.annotations.MessageAttributes;
import io.sluice.annotations.MessageId;
import io.sluice.annotations.ReceiveCount;
import io.sluice.internal.support.SystemAttributes;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The built-in {@link ArgumentBinder.Factory} list, in the order they are asked. */
final class ArgumentBinders {

    private static final int MAX_REASON_LENGTH = 300;

    static final List<ArgumentBinder.Factory> FACTORIES = List.of(
            ArgumentBinders::messageId,
            ArgumentBinders::receiveCount,
            ArgumentBinders::messageAttribute,
            ArgumentBinders::messageAttributes,
            ArgumentBinders::rawMessage,
            ArgumentBinders::payload);

    private ArgumentBinders() {
    }

    private static ArgumentBinder messageId(Parameter parameter, ObjectMapper mapper) {
        if (!parameter.isAnnotationPresent(MessageId.class)) {
            return null;
        }
        require(parameter.getType() == String.class, "@MessageId must annotate a String parameter");
        return Message::messageId;
    }

    private static ArgumentBinder receiveCount(Parameter parameter, ObjectMapper mapper) {
        if (!parameter.isAnnotationPresent(ReceiveCount.class)) {
            return null;
        }
        Class<?> type = parameter.getType();
        if (type == int.class || type == Integer.class) {
            return ArgumentBinders::receiveCountOf;
        }
        if (type == long.class || type == Long.class) {
            return message -> (long) receiveCountOf(message);
        }
        throw new IllegalArgumentException("@ReceiveCount must annotate an int, long, Integer or Long parameter");
    }

    /** The message's ApproximateReceiveCount, or 0 when the message does not carry it. */
    static int receiveCountOf(Message message) {
        String count = SystemAttributes.get(message, MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        if (count == null) {
            return 0;
        }
        try {
            return Integer.parseInt(count);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static ArgumentBinder messageAttribute(Parameter parameter, ObjectMapper mapper) {
        MessageAttribute annotation = parameter.getAnnotation(MessageAttribute.class);
        if (annotation == null) {
            return null;
        }
        String name = annotation.value();
        require(!name.isBlank(), "@MessageAttribute needs an attribute name");
        boolean asString = parameter.getType() == String.class;
        require(asString || parameter.getType() == MessageAttributeValue.class,
                "@MessageAttribute must annotate a String or MessageAttributeValue parameter");
        boolean required = annotation.required();
        return message -> {
            MessageAttributeValue value = message.messageAttributes().get(name);
            if (value == null) {
                if (required) {
                    throw new ArgumentBinder.BindingFailure("required message attribute '" + name + "' is missing", null);
                }
                return null;
            }
            return asString ? stringOf(value) : value;
        };
    }

    /** A message's attributes as strings (binary values base64), for batch items and invocations. */
    static Map<String, String> attributesAsStrings(Message message) {
        Map<String, String> values = new LinkedHashMap<>();
        message.messageAttributes().forEach((key, value) -> {
            String text = stringOf(value);
            if (text != null) {
                values.put(key, text);
            }
        });
        return values;
    }

    private static ArgumentBinder messageAttributes(Parameter parameter, ObjectMapper mapper) {
        if (!parameter.isAnnotationPresent(MessageAttributes.class)) {
            return null;
        }
        Type valueType = mapValueType(parameter.getParameterizedType());
        if (valueType == String.class) {
            return ArgumentBinders::attributesAsStrings;
        }
        if (valueType == MessageAttributeValue.class) {
            return Message::messageAttributes;
        }
        throw new IllegalArgumentException(
                "@MessageAttributes must annotate a Map<String, String> or Map<String, MessageAttributeValue> parameter");
    }

    private static ArgumentBinder rawMessage(Parameter parameter, ObjectMapper mapper) {
        if (parameter.getType() != Message.class) {
            return null;
        }
        return message -> message;
    }

    private static ArgumentBinder payload(Parameter parameter, ObjectMapper mapper) {
        return payload(parameter.getType(), parameter.getParameterizedType(), mapper);
    }

    /**
     * The binder of a {@code Batch<T>}'s items: {@code T} bound from each message's body like a payload parameter
     * ({@code String} raw, the SDK {@code Message} itself, anything else from JSON).
     *
     * @throws IllegalArgumentException when {@code Batch} has no usable type argument
     */
    static ArgumentBinder batchItem(Parameter parameter, ObjectMapper mapper) {
        if (!(parameter.getParameterizedType() instanceof ParameterizedType batch)
                || batch.getActualTypeArguments()[0] instanceof java.lang.reflect.TypeVariable<?>
                || batch.getActualTypeArguments()[0] instanceof java.lang.reflect.WildcardType) {
            throw new IllegalArgumentException("a Batch parameter needs its item type, e.g. Batch<Invoice>");
        }
        Type item = batch.getActualTypeArguments()[0];
        Class<?> raw = mapper.getTypeFactory().constructType(item).getRawClass();
        if (raw == Message.class) {
            return message -> message;
        }
        return payload(raw, item, mapper);
    }

    private static ArgumentBinder payload(Class<?> rawType, Type genericType, ObjectMapper mapper) {
        if (rawType == String.class) {
            return new PayloadBinder() {
                @Override
                public Object bind(Message message) {
                    return message.body();
                }
            };
        }
        if (rawType.isPrimitive()) {
            throw new IllegalArgumentException("a payload parameter cannot be primitive (" + rawType
                    + "); did you forget @ReceiveCount?");
        }
        JavaType type = mapper.getTypeFactory().constructType(genericType);
        ObjectReader reader = mapper.readerFor(type);
        String typeName = rawType.getSimpleName();
        // A List (or array) payload binds ONE message whose body is a JSON array; say so when a body is not one.
        String hint = java.util.Collection.class.isAssignableFrom(rawType) || rawType.isArray()
                ? "; a " + typeName + " parameter binds one message whose body is a JSON array, take a Batch<T> to"
                        + " receive several messages per call"
                : "";
        return new PayloadBinder() {
            @Override
            public Object bind(Message message) throws ArgumentBinder.BindingFailure {
                String body = message.body();
                if (body == null || body.isEmpty()) {
                    throw new ArgumentBinder.BindingFailure("the body is empty, expected JSON for " + typeName, null);
                }
                try {
                    Object value = reader.readValue(body);
                    if (value == null) {
                        throw new ArgumentBinder.BindingFailure("the body is JSON null, expected " + typeName, null);
                    }
                    return value;
                } catch (JsonProcessingException e) {
                    throw new ArgumentBinder.BindingFailure(
                            "the body is not valid JSON for " + typeName + " (" + describe(e) + ")" + hint, e);
                }
            }
        };
    }

    /**
     * What is wrong with the body, where, and for which type, shortened. Never Jackson's own message: it quotes the
     * offending token or value ("Unrecognized token 'x'", "from String \"x\""), which is body content.
     */
    private static String describe(JsonProcessingException e) {
        StringBuilder reason = new StringBuilder();
        if (e instanceof StreamConstraintsException limit) {
            // Jackson's words here name only the bound and the numbers, never content.
            reason.append("it exceeds a reading bound: ").append(limit.getOriginalMessage());
        } else if (e instanceof InvalidTypeIdException) {
            reason.append("a type id that is not allowed (a class name is never resolved from a body)");
        } else if (String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
            reason.append("a field is given twice");
        } else if (e instanceof UnrecognizedPropertyException) {
            reason.append("unknown property");
        } else if (e instanceof InvalidFormatException invalid) {
            reason.append("a value cannot be read as ").append(simpleName(invalid.getTargetType()));
        } else if (e instanceof MismatchedInputException mismatch) {
            reason.append("a value has the wrong JSON type");
            if (mismatch.getTargetType() != null) {
                reason.append(" for ").append(simpleName(mismatch.getTargetType()));
            }
        } else if (e instanceof JsonMappingException) {
            reason.append("it cannot be mapped (").append(e.getClass().getSimpleName()).append(')');
        } else {
            reason.append("malformed JSON");
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            reason.append(" at $");
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    reason.append('.').append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    reason.append('[').append(reference.getIndex()).append(']');
                }
            }
        }
        if (e.getLocation() != null) {
            reason.append(" at line ").append(e.getLocation().getLineNr())
                    .append(", column ").append(e.getLocation().getColumnNr());
        }
        if (reason.length() > MAX_REASON_LENGTH) {
            reason.setLength(MAX_REASON_LENGTH);
            reason.append("...");
        }
        return reason.toString();
    }

    private static String simpleName(Class<?> type) {
        return type == null ? "?" : type.getSimpleName();
    }

    private static String stringOf(MessageAttributeValue value) {
        if (value.stringValue() != null) {
            return value.stringValue();
        }
        if (value.binaryValue() != null) {
            return Base64.getEncoder().encodeToString(value.binaryValue().asByteArray());
        }
        return null;
    }

    private static Type mapValueType(Type type) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == Map.class
                && parameterized.getActualTypeArguments()[0] == String.class) {
            return parameterized.getActualTypeArguments()[1];
        }
        return null;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private abstract static class PayloadBinder implements ArgumentBinder {
        @Override
        public boolean bindsPayload() {
            return true;
        }
    }
}
