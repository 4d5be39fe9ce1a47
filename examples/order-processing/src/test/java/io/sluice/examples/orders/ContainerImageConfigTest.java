package io.sluice.examples.orders;

import static io.sluice.examples.orders.OpsFiles.child;
import static io.sluice.examples.orders.OpsFiles.children;
import static io.sluice.examples.orders.OpsFiles.entries;
import static io.sluice.examples.orders.OpsFiles.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * The container image of the example (the {@code image} profile of pom.xml, built by Jib): read from the pom and held
 * against the code it packages. Building the image needs its base image, which cannot be pulled everywhere, so the
 * build itself is a documented command (docs/OPERATIONS.md), not a test.
 */
class ContainerImageConfigTest {

    private static final Pattern RELEASE = Pattern.compile("\\d+(\\.\\d+)+");
    private final Element jib = OpsFiles.jibConfiguration();
    private final Element container = child(jib, "container");

    @Test
    void jibIsPinnedInTheRootPomAndOnlyThisModuleBuildsAnImage() {
        Element rootJib = OpsFiles.plugin(child(OpsFiles.pom(OpsFiles.ROOT.resolve("pom.xml")),
                "build/pluginManagement/plugins"), OpsFiles.JIB);

        assertThat(child(rootJib, "groupId").getTextContent().trim()).isEqualTo("com.google.cloud.tools");
        assertThat(child(rootJib, "version").getTextContent().trim()).as("a release, not a range or a snapshot")
                .matches(RELEASE);
        assertThat(child(rootJib, "configuration/skip").getTextContent().trim())
                .as("every other module of an -am build skips containerization").isEqualTo("true");
        assertThat(children((Element) jib.getParentNode(), "version")).as("the version comes from the root pom")
                .isEmpty();
        assertThat(child(jib, "skip").getTextContent().trim()).isEqualTo("false");
    }

    @Test
    void theImageRunsAsANumericNonRootUser() {
        String user = child(container, "user").getTextContent().trim();

        assertThat(user).as("uid:gid, numeric so that Kubernetes' runAsNonRoot can check it").matches("\\d+:\\d+");
        assertThat(Integer.parseInt(user.split(":")[0])).isPositive();
        assertThat(Integer.parseInt(user.split(":")[1])).isPositive();
    }

    @Test
    void theHeapIsAShareOfTheContainersMemoryLimitAndAnOutOfMemoryJvmExits() {
        List<String> flags = texts(child(container, "jvmFlags"));

        assertThat(flags).contains("-XX:+UseContainerSupport", "-XX:+ExitOnOutOfMemoryError");
        assertThat(flags).filteredOn(flag -> flag.startsWith("-XX:MaxRAMPercentage=")).singleElement()
                .satisfies(flag -> assertThat(Double.parseDouble(flag.substring(flag.indexOf('=') + 1)))
                        .as("room for the metaspace, threads and direct buffers (Netty)").isBetween(50.0, 80.0));
        assertThat(flags).as("a fixed heap would ignore the container's limit")
                .noneMatch(flag -> flag.startsWith("-Xmx") || flag.startsWith("-Xms")
                        || flag.startsWith("-XX:MaxHeapSize"));
    }

    @Test
    void theEntryPointIsTheExamplesMainMethod() throws Exception {
        Class<?> mainClass = Class.forName(child(container, "mainClass").getTextContent().trim());
        Method main = mainClass.getMethod("main", String[].class);

        assertThat(mainClass).isEqualTo(OrderProcessingApp.class);
        assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
        assertThat(main.getReturnType()).isEqualTo(void.class);
    }

    @Test
    void theExposedPortIsWhereTheImagesEnvironmentServesTheEndpointsReachableFromOutsideTheContainer() {
        List<String> ports = texts(child(container, "ports"));
        InetSocketAddress served = OpsFiles.settings(entries(child(container, "environment"))).httpAddress()
                .orElseThrow(() -> new AssertionError("the image turns the HTTP endpoints off"));

        assertThat(ports).singleElement().satisfies(port ->
                assertThat(Integer.parseInt(port.replace("/tcp", ""))).isEqualTo(served.getPort()));
        assertThat(served.getAddress().isAnyLocalAddress())
                .as("bound to every interface: the kubelet's probes and Prometheus come from outside the container, "
                        + "but was %s", served.getHostString())
                .isTrue();
    }

    @Test
    void theBaseImagesJavaRunsTheCompiledClasses() throws IOException {
        String base = child(jib, "from/image").getTextContent().trim();
        Matcher tag = Pattern.compile("^eclipse-temurin:(\\d+)-jre").matcher(base);

        assertThat(tag.find()).as("a Temurin JRE, pinned by its Java version: %s", base).isTrue();
        assertThat(Integer.parseInt(tag.group(1)))
                .isGreaterThanOrEqualTo(classFileJavaVersion(OrderProcessingApp.class));
        assertThat(entries(child(container, "labels"))).containsEntry("org.opencontainers.image.base.name", base)
                .containsKey("org.opencontainers.image.version");
    }

    /**
     * IRSA (deploy/deployment.yaml's service account): the SDK's default credentials chain turns a web identity token
     * into credentials through the STS module, with a synchronous HTTP client; without them it skips the token.
     */
    @Test
    @SuppressWarnings({"rawtypes", "unchecked"})
    void theClassPathCanUseAWebIdentityTokenForCredentials() throws Exception {
        Class.forName("software.amazon.awssdk.services.sts.internal.StsWebIdentityCredentialsProviderFactory");
        AwsClientBuilder builder = (AwsClientBuilder) Class.forName("software.amazon.awssdk.services.sts.StsClient")
                .getMethod("builder").invoke(null);
        builder.region(Region.EU_WEST_1).credentialsProvider(AnonymousCredentialsProvider.create());

        try (SdkClient sts = (SdkClient) ((SdkBuilder) builder).build()) { // fails without a synchronous HTTP client
            assertThat(sts.serviceName()).isEqualTo("sts");
        }
    }

    /** The Java feature version a class was compiled for, from its class file's major version. */
    private static int classFileJavaVersion(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class");
             DataInputStream data = new DataInputStream(in)) {
            data.readInt(); // 0xCAFEBABE
            data.readUnsignedShort(); // minor
            return data.readUnsignedShort() - 44;
        }
    }
}
