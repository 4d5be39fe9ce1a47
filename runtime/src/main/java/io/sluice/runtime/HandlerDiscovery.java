package io.sluice.runtime;

import com.google.inject.Binding;
import com.google.inject.ConfigurationException;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.spi.ConstructorBinding;
import com.google.inject.spi.InstanceBinding;
import com.google.inject.spi.LinkedKeyBinding;
import com.google.inject.spi.Message;
import io.sluice.HandlerDefinitionException;
import io.sluice.SqsHandlers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Finds handler objects among an injector's explicit bindings (and its parents'): every bound class with an
 * {@code @SqsHandler} method, with no registration list to keep. A class is looked at through its binding's target (the
 * implementation of a linked binding, the class of an instance binding, the key's type for provider bindings) and
 * instantiated through the injector, so handlers get their dependencies injected.
 */
final class HandlerDiscovery {

    private HandlerDiscovery() {
    }

    /**
     * The handler objects bound in {@code injector}, one per handler class.
     *
     * @throws HandlerDefinitionException when a handler class cannot be instantiated, naming it and its binding
     */
    static List<Object> discover(Injector injector) {
        Map<Class<?>, Key<?>> candidates = new LinkedHashMap<>();
        for (Injector current = injector; current != null; current = current.getParent()) {
            for (Binding<?> binding : current.getBindings().values()) {
                Class<?> type = implementationOf(binding);
                if (type != null && !candidates.containsKey(type) && SqsHandlers.declaredBy(type)) {
                    candidates.put(type, binding.getKey());
                }
            }
        }
        List<Object> handlers = new ArrayList<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Class<?>, Key<?>> candidate : candidates.entrySet()) {
            try {
                Object handler = injector.getInstance(candidate.getValue());
                if (seen.put(handler, Boolean.TRUE) == null) {
                    handlers.add(handler);
                }
            } catch (RuntimeException e) {
                problems.add("handler class " + candidate.getKey().getName() + " (bound as " + candidate.getValue()
                        + ") cannot be instantiated: " + reasonOf(e));
            }
        }
        if (!problems.isEmpty()) {
            throw new HandlerDefinitionException(problems);
        }
        return handlers;
    }

    private static Class<?> implementationOf(Binding<?> binding) {
        if (binding instanceof InstanceBinding<?> instance) {
            return instance.getInstance().getClass();
        }
        if (binding instanceof ConstructorBinding<?> constructor) {
            return constructor.getConstructor().getDeclaringType().getRawType();
        }
        if (binding instanceof LinkedKeyBinding<?> linked) {
            return linked.getLinkedKey().getTypeLiteral().getRawType();
        }
        // Provider methods and provider bindings: all we know before provisioning is the bound type.
        return binding.getKey().getTypeLiteral().getRawType();
    }

    /**
     * Guice's own error messages (the constructor's exception, a missing binding), not the first line of its exception
     * message, which is only the header "Unable to provision, see the following errors:".
     */
    private static String reasonOf(RuntimeException e) {
        Collection<Message> messages = e instanceof ProvisionException provision ? provision.getErrorMessages()
                : e instanceof ConfigurationException configuration ? configuration.getErrorMessages() : List.of();
        if (messages.isEmpty()) {
            return firstLine(e.getMessage());
        }
        return messages.stream().map(message -> firstLine(message.getMessage())).distinct()
                .collect(Collectors.joining("; "));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline) + " ...";
    }
}
