package io.sluice.examples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sluice.runtime.SluiceSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The files that run this example as a service, read the way the tests check them: the {@code image} profile of
 * pom.xml (Jib), {@code deploy/} (Kubernetes, KEDA, IAM) and the root's {@code docs/}; and a container's {@code
 * SLUICE_*} environment turned into the Sluice settings it means.
 */
final class OpsFiles {

    /** Surefire runs in the module's directory. */
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path ROOT = MODULE.resolve("../..").normalize();
    static final Path DEPLOY = MODULE.resolve("deploy");
    static final Path DOCS = ROOT.resolve("docs");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String ENV_PREFIX = "SLUICE_";
    static final String JIB = "jib-maven-plugin";

    private OpsFiles() {
    }

    /** A JSON file (an IAM policy, the dashboard). */
    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every document of a YAML file ({@code ---} separated). */
    static List<JsonNode> yaml(Path file) {
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            return documents.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The one document of {@code kind} in {@code documents}. */
    static JsonNode kind(List<JsonNode> documents, String kind) {
        List<JsonNode> found = documents.stream().filter(document -> document.path("kind").asText().equals(kind))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static Element pom(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("cannot parse " + file, e);
        }
    }

    /** The child elements of {@code parent} named {@code name}, in order. */
    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    /** The one child of {@code parent} at {@code path} ({@code build/plugins}), failing with the path when missing. */
    static Element child(Element parent, String path) {
        Element current = parent;
        for (String name : path.split("/")) {
            List<Element> found = children(current, name);
            if (found.size() != 1) {
                throw new AssertionError("expected one <" + name + "> in <" + current.getTagName() + "> (" + path
                        + "), found " + found.size());
            }
            current = found.get(0);
        }
        return current;
    }

    /** The texts of the children of {@code parent}: a list ({@code <jvmFlags><jvmFlag>}). */
    static List<String> texts(Element parent) {
        List<String> texts = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                texts.add(element.getTextContent().trim());
            }
        }
        return texts;
    }

    /** The children of {@code parent} by tag: a map ({@code <environment><KEY>value</KEY>}). */
    static Map<String, String> entries(Element parent) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                entries.put(element.getTagName(), element.getTextContent().trim());
            }
        }
        return entries;
    }

    /** The {@code <configuration>} of Jib in the {@code image} profile of this module's pom.xml. */
    static Element jibConfiguration() {
        Element profile = children(child(pom(MODULE.resolve("pom.xml")), "profiles"), "profile").stream()
                .filter(candidate -> child(candidate, "id").getTextContent().trim().equals("image"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("pom.xml has no profile 'image'"));
        return child(plugin(child(profile, "build/plugins"), JIB), "configuration");
    }

    /** The {@code <plugin>} of {@code artifactId} among {@code plugins}. */
    static Element plugin(Element plugins, String artifactId) {
        return children(plugins, "plugin").stream()
                .filter(plugin -> child(plugin, "artifactId").getTextContent().trim().equals(artifactId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no plugin " + artifactId));
    }

    /**
     * The Sluice settings a container's environment gives: each {@code SLUICE_*} variable must name exactly one key
     * Sluice knows, for the queues of this example ({@code SLUICE_HTTP_HOST} is {@code sluice.http.host}). An
     * unknown variable is only logged by a running worker, so here it fails, naming it.
     */
    static SluiceSettings settings(Map<String, String> environment) {
        return SluiceSettings.of(settingKeys(environment));
    }

    /** The keys of {@link #settings}: {@code sluice.http.host=0.0.0.0} for {@code SLUICE_HTTP_HOST=0.0.0.0}. */
    static Map<String, String> settingKeys(Map<String, String> environment) {
        Map<String, String> keys = new TreeMap<>();
        environment.forEach((variable, value) -> {
            if (variable.startsWith(ENV_PREFIX)) {
                keys.put(settingKey(variable), value);
            }
        });
        try {
            SluiceSettings settings = SluiceSettings.of(keys);
            settings.applyTo(OrderProcessingModule.workerConfig(), OrderProcessingModule.queues());
            settings.httpAddress();
        } catch (IllegalArgumentException e) {
            throw new AssertionError("not valid settings: " + keys + ": " + e.getMessage(), e);
        }
        return keys;
    }

    /** The one setting an environment variable names ({@code sluice.http.host} for {@code SLUICE_HTTP_HOST}). */
    static String settingKey(String variable) {
        List<String> known = candidateKeys(variable).stream().filter(OpsFiles::isSetting).toList();
        if (known.size() != 1) {
            throw new AssertionError(variable + " must name exactly one Sluice setting, but names " + known);
        }
        return known.get(0);
    }

    /** Each way of reading the variable's {@code _} as {@code .} or {@code -}, lower case. */
    private static List<String> candidateKeys(String variable) {
        List<String> keys = new ArrayList<>(List.of("sluice."));
        for (char c : variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).toCharArray()) {
            List<String> next = new ArrayList<>();
            for (String key : keys) {
                if (c == '_') {
                    next.add(key + '.');
                    next.add(key + '-');
                } else {
                    next.add(key + c);
                }
            }
            keys = next;
        }
        return keys;
    }

    /**
     * Whether the worker knows {@code key} (for this example's queues): it refuses an unknown key by name, and any
     * other refusal is of the value.
     */
    static boolean isSetting(String key) {
        try {
            SluiceSettings.of(Map.of(key, "1")).applyTo(OrderProcessingModule.workerConfig(),
                    OrderProcessingModule.queues());
            return true;
        } catch (IllegalArgumentException e) {
            return e.getMessage() == null || !e.getMessage().startsWith("unknown Sluice setting");
        }
    }
}
