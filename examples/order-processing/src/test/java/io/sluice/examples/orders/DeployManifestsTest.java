package io.sluice.examples.orders;

import static io.sluice.examples.orders.OpsFiles.DEPLOY;
import static io.sluice.examples.orders.OpsFiles.child;
import static io.sluice.examples.orders.OpsFiles.kind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Guice;
import com.google.inject.Key;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.Worker;
import io.sluice.WorkerConfig;
import io.sluice.annotations.SqsHandler;
import io.sluice.examples.orders.RecordingTransport.Call;
import io.sluice.producer.SqsProducer;
import io.sluice.runtime.SluiceSettings;
import io.sluice.runtime.WorkerEndpoints;
import io.sluice.testutil.InMemoryWorld;
import io.sluice.testutil.InMemoryWorld.Threads;
import io.sluice.testutil.VirtualStop;
import io.sluice.transport.ForwardingSqsTransport;
import io.sluice.transport.SqsTransport;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;

/**
 * {@code deploy/}: the Kubernetes Deployment, the KEDA ScaledObject and the IAM policies, parsed and held against the
 * code. The probes are requested from a running worker's endpoints; the grace period is compared with the longest stop
 * a worker with the Deployment's settings takes on virtual time; the IAM actions are those the example's worker and
 * producers were seen to call, queue by queue, through a transport that records every SPI method.
 */
class DeployManifestsTest {

    /** The IAM action that authorizes each {@link SqsTransport} request method (a batch by its single action). */
    private static final Map<String, String> IAM_ACTIONS = Map.of(
            "getQueueUrl", "sqs:GetQueueUrl",
            "createQueue", "sqs:CreateQueue",
            "getQueueAttributes", "sqs:GetQueueAttributes",
            "receiveMessage", "sqs:ReceiveMessage",
            "deleteMessageBatch", "sqs:DeleteMessage",
            "changeMessageVisibilityBatch", "sqs:ChangeMessageVisibility",
            "sendMessageBatch", "sqs:SendMessage");
    /** Every action of Amazon SQS (the Service Authorization Reference), for policies Sluice's code does not drive. */
    private static final Set<String> SQS_ACTIONS = Set.of("AddPermission", "CancelMessageMoveTask",
            "ChangeMessageVisibility", "CreateQueue", "DeleteMessage", "DeleteQueue", "GetQueueAttributes",
            "GetQueueUrl", "ListDeadLetterSourceQueues", "ListMessageMoveTasks", "ListQueueTags", "ListQueues",
            "PurgeQueue", "ReceiveMessage", "RemovePermission", "SendMessage", "SetQueueAttributes",
            "StartMessageMoveTask", "TagQueue", "UntagQueue");
    /** What the JVM needs after the worker's stop: the shutdown hook's return and the process's exit. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

    private static final List<JsonNode> DEPLOYMENT_FILE = OpsFiles.yaml(DEPLOY.resolve("deployment.yaml"));
    private static final JsonNode DEPLOYMENT = kind(DEPLOYMENT_FILE, "Deployment");
    private static final JsonNode POD = DEPLOYMENT.path("spec").path("template").path("spec");
    private static final JsonNode CONTAINER = POD.path("containers").get(0);
    private static final Map<String, String> ENV = environment(CONTAINER);
    private static final List<JsonNode> KEDA_FILE = OpsFiles.yaml(DEPLOY.resolve("keda-scaledobject.yaml"));
    private static final String REGION = ENV.get("AWS_REGION");
    /** The account of the worker's role (the service account's IRSA annotation). */
    private static final String ACCOUNT = kind(DEPLOYMENT_FILE, "ServiceAccount").path("metadata").path("annotations")
            .path("eks.amazonaws.com/role-arn").asText().split(":")[4];

    private static ScriptedWorkerRun.Result workerRun;

    private final SluiceSettings settings = OpsFiles.settings(ENV);
    private final WorkerConfig config = settings.applyTo(OrderProcessingModule.workerConfig(),
            OrderProcessingModule.queues());

    // ------------------------------------------------------------------------------------------------- Deployment

    @Test
    void theProbesAreTheWorkersHealthEndpointsOnThePortItsSettingsServe() throws Exception {
        InetSocketAddress served = settings.httpAddress()
                .orElseThrow(() -> new AssertionError("the Deployment turns the HTTP endpoints off"));
        JsonNode port = single(CONTAINER.path("ports"), "a container port");
        assertThat(port.path("containerPort").asInt()).isEqualTo(served.getPort());
        assertThat(served.getAddress().isAnyLocalAddress()).as("reachable by the kubelet: %s", served).isTrue();
        Map<String, String> paths = new LinkedHashMap<>();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = CONTAINER.path(probe).path("httpGet");
            JsonNode probePort = get.path("port");
            assertThat(probePort.isInt() ? probePort.asInt() : port.path("name").asText().equals(probePort.asText())
                    ? port.path("containerPort").asInt() : -1).as("%s's port", probe).isEqualTo(served.getPort());
            paths.put(probe, get.path("path").asText());
        }
        assertThat(paths.get("livenessProbe")).isNotEqualTo(paths.get("readinessProbe"));

        try (InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 7)) {
            world.queueWithDeadLetterQueue(OrderProcessor.QUEUE, OrderProcessor.DEAD_LETTER_QUEUE, 3, Map.of());
            Worker worker = world.start(Worker.builder().handlers(new Idle()).config(config));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            try (WorkerEndpoints endpoints = WorkerEndpoints.start(worker,
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                paths.forEach((probe, path) -> assertThat(status(http, endpoints, path))
                        .as("%s %s of a running worker", probe, path).isEqualTo(200));

                VirtualStop.stop(worker, world.time, Duration.ofSeconds(5));
                paths.forEach((probe, path) -> assertThat(status(http, endpoints, path))
                        .as("%s %s of a stopped worker: a health check, not any page that answers", probe, path)
                        .isEqualTo(503));
            }
        }
    }

    @Test
    void theTerminationGracePeriodOutlastsTheLongestGracefulStop() {
        Duration longest = longestStop(config);
        Duration grace = Duration.ofSeconds(POD.path("terminationGracePeriodSeconds").asLong());

        assertThat(longest).as("the handlers' timeout, then the receive and flush graces")
                .isGreaterThan(config.shutdownTimeout());
        assertThat(grace).as("SIGKILL comes after terminationGracePeriodSeconds; the stop took %s", longest)
                .isGreaterThanOrEqualTo(longest.plus(EXIT_MARGIN));
    }

    @Test
    void theStartupProbeWaitsLongerThanTheWorkerMayTakeToStart() {
        JsonNode startup = CONTAINER.path("startupProbe");
        Duration window = Duration.ofSeconds(startup.path("initialDelaySeconds").asLong()
                + startup.path("periodSeconds").asLong(10) * startup.path("failureThreshold").asLong(3));

        assertThat(window).isGreaterThan(config.startupTimeout());
    }

    @Test
    void theExampleRunsInWorkerModeOnTheRegionsSqsWithNoCredentialsInTheManifest() {
        OrderProcessingApp app = new OrderProcessingApp(ENV, new Properties(), settings);

        assertThat(app.configuredEndpoint()).as("no endpoint would start an embedded ElasticMQ instead")
                .hasValueSatisfying(endpoint ->
                        assertThat(endpoint.url()).isEqualTo("https://sqs." + REGION + ".amazonaws.com"));
        assertThat(config.createQueues()).as("the queues come from infrastructure code").isFalse();
        assertThat(ENV.keySet()).noneMatch(name -> name.contains("ACCESS_KEY") || name.contains("SECRET")
                || name.contains("SESSION_TOKEN"));
        assertThat(POD.path("serviceAccountName").asText())
                .isEqualTo(kind(DEPLOYMENT_FILE, "ServiceAccount").path("metadata").path("name").asText());
        assertThat(ACCOUNT).matches("\\d{12}");
    }

    @Test
    void thePodRunsTheImageOfTheImageProfileAsItsNonRootUserOnAReadOnlyRoot() {
        var jib = OpsFiles.jibConfiguration();
        String version = child(OpsFiles.pom(OpsFiles.MODULE.resolve("pom.xml")), "parent/version").getTextContent();
        String image = child(jib, "to/image").getTextContent().trim().replace("${project.version}", version.trim());
        String[] user = child(jib, "container/user").getTextContent().trim().split(":");
        JsonNode pod = POD.path("securityContext");
        JsonNode container = CONTAINER.path("securityContext");

        assertThat(CONTAINER.path("image").asText()).endsWith("/" + image);
        assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("runAsUser").asText()).isEqualTo(user[0]);
        assertThat(pod.path("runAsGroup").asText()).isEqualTo(user[1]);
        assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(container.path("capabilities").path("drop").toString()).contains("\"ALL\"");
        String tmp = single(CONTAINER.path("volumeMounts"), "a volume mount").path("name").asText();
        assertThat(CONTAINER.path("volumeMounts").get(0).path("mountPath").asText())
                .as("the JVM's and Netty's temporary files").isEqualTo("/tmp");
        assertThat(single(POD.path("volumes"), "a volume").path("name").asText()).isEqualTo(tmp);
        assertThat(POD.path("volumes").get(0).has("emptyDir")).isTrue();
        assertThat(CONTAINER.path("resources").path("limits").path("memory").asText())
                .as("the heap is a percentage of the memory limit").isNotEmpty();
    }

    // ------------------------------------------------------------------------------------------------------- KEDA

    @Test
    void kedaScalesTheDeploymentOnEachQueueItConsumesByWhatOneWorkerHolds() {
        JsonNode scaled = kind(KEDA_FILE, "ScaledObject").path("spec");
        String authentication = kind(KEDA_FILE, "TriggerAuthentication").path("metadata").path("name").asText();
        Map<String, Integer> targets = new TreeMap<>();
        for (JsonNode trigger : scaled.path("triggers")) {
            JsonNode metadata = trigger.path("metadata");
            URI queue = URI.create(metadata.path("queueURL").asText());
            String name = queue.getPath().substring(queue.getPath().lastIndexOf('/') + 1);
            assertThat(trigger.path("type").asText()).isEqualTo("aws-sqs-queue");
            assertThat(queue.getHost()).isEqualTo("sqs." + REGION + ".amazonaws.com");
            assertThat(queue.getPath()).isEqualTo("/" + ACCOUNT + "/" + name);
            assertThat(metadata.path("awsRegion").asText()).isEqualTo(REGION);
            assertThat(trigger.path("authenticationRef").path("name").asText()).isEqualTo(authentication);
            assertThat(trigger.path("useCachedMetrics").asBoolean())
                    .as("the HPA's polls read KEDA's cached depth: one request per pollingInterval").isTrue();
            targets.put(name, Integer.parseInt(metadata.path("queueLength").asText()));
        }

        assertThat(scaled.path("scaleTargetRef").path("name").asText())
                .isEqualTo(DEPLOYMENT.path("metadata").path("name").asText());
        assertThat(kind(KEDA_FILE, "TriggerAuthentication").path("spec").path("podIdentity").path("provider").asText())
                .isEqualTo("aws");
        assertThat(targets).as("per queue, one worker's concurrency: what it holds in flight at once")
                .isEqualTo(OrderProcessingModule.queues().stream().collect(Collectors.toMap(queue -> queue,
                        this::concurrency, (a, b) -> a, TreeMap::new)));
        assertThat(scaled.path("minReplicaCount").asInt()).isPositive();
        assertThat(scaled.path("maxReplicaCount").asInt()).isGreaterThanOrEqualTo(scaled.path("minReplicaCount")
                .asInt());
    }

    // -------------------------------------------------------------------------------------------------------- IAM

    @Test
    void everyTransportRequestMethodHasItsIamAction() {
        assertThat(RecordingTransport.requestMethods().stream().map(Method::getName).collect(Collectors.toSet()))
                .as("a new SqsTransport method needs its IAM action here, and in the policies")
                .isEqualTo(IAM_ACTIONS.keySet());
    }

    @Test
    void theWorkerPolicyAllowsExactlyTheRequestsTheWorkerMakesOnEachQueue() {
        Set<Call> calls = workerRun().calls();
        IamPolicy policy = IamPolicy.read(DEPLOY.resolve("iam-worker-policy.json"));

        assertThat(policy.allowed("sqs")).isEqualTo(allowed(calls));
        assertKmsFor(policy, calls);
    }

    @Test
    void theCreateQueuesPolicyAddsExactlyWhatCreatingTheQueuesNeeds() {
        Map<String, String> creating = new HashMap<>(ENV);
        creating.put("SLUICE_CREATE_QUEUES", "true");
        Map<String, Set<String>> needed = allowed(ScriptedWorkerRun.run(creating).calls());
        allowed(workerRun().calls()).forEach((queue, actions) ->
                needed.computeIfPresent(queue, (ignored, all) -> {
                    all.removeAll(actions);
                    return all.isEmpty() ? null : all;
                }));

        assertThat(IamPolicy.read(DEPLOY.resolve("iam-worker-create-queues-policy.json")).allowed("sqs"))
                .isEqualTo(needed);
    }

    @Test
    void theProducerPolicyAllowsExactlyTheRequestsOfTheExamplesProducers() {
        Set<Call> calls = ConcurrentHashMap.newKeySet();
        try (InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 5)) {
            world.queueWithDeadLetterQueue(OrderProcessor.QUEUE, OrderProcessor.DEAD_LETTER_QUEUE, 3, Map.of());
            world.queueWithDeadLetterQueue(PaymentProcessor.QUEUE, PaymentProcessor.DEAD_LETTER_QUEUE, 3, Map.of());
            try (SqsProducer producer = SqsProducer.create(RecordingTransport.of(world.sqs, calls))) {
                new OrderProducer(producer, OrderProcessor.QUEUE).place(SampleOrders.newRun().next(2));
                new PaymentProducer(producer, PaymentProcessor.QUEUE).place(SamplePayments.newRun(2).next(2));
            }
        }
        IamPolicy policy = IamPolicy.read(DEPLOY.resolve("iam-producer-policy.json"));

        assertThat(policy.allowed("sqs")).isEqualTo(allowed(calls));
        assertKmsFor(policy, calls);
    }

    @Test
    void kedasPolicyReadsTheAttributesOfTheQueuesItsTriggersName() {
        Map<String, Set<String>> expected = new TreeMap<>();
        for (JsonNode trigger : kind(KEDA_FILE, "ScaledObject").path("spec").path("triggers")) {
            String url = trigger.path("metadata").path("queueURL").asText();
            expected.put(arn(url.substring(url.lastIndexOf('/') + 1)), Set.of("sqs:GetQueueAttributes"));
        }

        assertThat(IamPolicy.read(DEPLOY.resolve("iam-keda-policy.json")).allowed("sqs")).isEqualTo(expected);
    }

    @Test
    void theAdminPolicyNamesRealSqsActionsOnTheExamplesQueuesAndWhatAMoveTaskNeeds() {
        IamPolicy policy = IamPolicy.read(DEPLOY.resolve("iam-admin-policy.json"));
        Map<String, Set<String>> allowed = policy.allowed("sqs");
        Set<String> queues = new TreeSet<>();
        Set<String> deadLetterQueues = new TreeSet<>(List.of(arn(OrderProcessor.DEAD_LETTER_QUEUE),
                arn(PaymentProcessor.DEAD_LETTER_QUEUE)));
        OrderProcessingModule.queues().forEach(queue -> queues.add(arn(queue)));
        Set<String> actions = allowed.values().stream().flatMap(Set::stream).collect(Collectors.toSet());

        assertThat(actions).allSatisfy(action -> assertThat(SQS_ACTIONS).contains(action.substring(4)))
                .contains("sqs:ListQueues", "sqs:ListDeadLetterSourceQueues", "sqs:StartMessageMoveTask",
                        "sqs:PurgeQueue");
        assertThat(allowed).as("ListQueues is the one SQS action without resource-level permissions")
                .containsEntry("*", Set.of("sqs:ListQueues"));
        Set<String> resources = new TreeSet<>(queues);
        resources.addAll(deadLetterQueues);
        resources.add("*");
        assertThat(allowed.keySet()).isEqualTo(resources);
        // AWS: a move task needs, on the DLQ, ReceiveMessage, DeleteMessage and GetQueueAttributes; on the
        // destination, SendMessage.
        deadLetterQueues.forEach(dlq -> assertThat(allowed.get(dlq)).contains("sqs:StartMessageMoveTask",
                "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"));
        queues.forEach(queue -> assertThat(allowed.get(queue)).contains("sqs:SendMessage"));
        assertKms(policy, Set.of("kms:Decrypt", "kms:GenerateDataKey"));
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** The worker's scripted run with the Deployment's settings, once for the class (it runs minutes of time). */
    private static synchronized ScriptedWorkerRun.Result workerRun() {
        if (workerRun == null) {
            workerRun = ScriptedWorkerRun.run(ENV);
        }
        return workerRun;
    }

    /** Per queue ARN, the IAM actions that authorize {@code calls}. */
    private static Map<String, Set<String>> allowed(Set<Call> calls) {
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (Call call : calls) {
            String action = IAM_ACTIONS.get(call.method());
            assertThat(action).as("the IAM action of SqsTransport.%s", call.method()).isNotNull();
            allowed.computeIfAbsent(arn(call.queue()), ignored -> new TreeSet<>()).add(action);
        }
        return allowed;
    }

    /**
     * On an SSE-KMS queue, a receive needs {@code kms:Decrypt} and a send {@code kms:GenerateDataKey} and {@code
     * kms:Decrypt} on the queue's key, through SQS only.
     */
    private static void assertKmsFor(IamPolicy policy, Set<Call> calls) {
        Set<String> needed = new TreeSet<>();
        Set<String> methods = calls.stream().map(Call::method).collect(Collectors.toSet());
        if (methods.contains("receiveMessage")) {
            needed.add("kms:Decrypt");
        }
        if (methods.contains("sendMessageBatch")) {
            needed.addAll(List.of("kms:Decrypt", "kms:GenerateDataKey"));
        }
        assertKms(policy, needed);
    }

    private static void assertKms(IamPolicy policy, Set<String> actions) {
        IamPolicy.Statement kms = policy.statements("kms").get(0);
        assertThat(policy.statements("kms")).hasSize(1);
        assertThat(kms.actions()).isEqualTo(actions);
        assertThat(kms.resources()).singleElement().asString()
                .startsWith("arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/");
        assertThat(kms.condition().path("StringEquals").path("kms:ViaService").asText())
                .isEqualTo("sqs." + REGION + ".amazonaws.com");
    }

    private static String arn(String queue) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + queue;
    }

    /**
     * A queue's concurrency as the worker resolves it: its queue config (with the settings), else its handler's
     * {@code @SqsHandler(concurrency)}, else the worker's default. The handlers are found as Sluice finds them,
     * among the bindings of the example's module.
     */
    private int concurrency(String queue) {
        int annotated = Guice.createInjector(new OrderProcessingModule()).getAllBindings().keySet().stream()
                .map(Key::getTypeLiteral).flatMap(type -> Arrays.stream(type.getRawType().getMethods()))
                .map(method -> method.getAnnotation(SqsHandler.class))
                .filter(handler -> handler != null && handler.queue().equals(queue))
                .mapToInt(SqsHandler::concurrency).findFirst()
                .orElseThrow(() -> new AssertionError("no handler of " + queue));
        return config.queue(queue).concurrency().orElse(annotated > 0 ? annotated : config.concurrency());
    }

    /**
     * How long a worker with {@code config} takes to stop at worst, on virtual time: a handler that never returns
     * (cancelled at the shutdown timeout) and an SQS that never answers the release that follows (the flush waits out
     * its grace; the heartbeat's extensions are answered, else the release would wait for them and never be sent), on
     * a transport whose abandoned receives may still take messages (SQS over HTTP: the receive grace applies).
     */
    private static Duration longestStop(WorkerConfig config) {
        try (InMemoryWorld world = new InMemoryWorld(Threads.INLINE, 9)) {
            world.queueWithDeadLetterQueue(OrderProcessor.QUEUE, OrderProcessor.DEAD_LETTER_QUEUE, 3, Map.of());
            SqsTransport unanswered = new ForwardingSqsTransport(world.sqs) {
                @Override
                public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
                        ChangeMessageVisibilityBatchRequest request) {
                    boolean releases = request.entries().stream().allMatch(entry -> entry.visibilityTimeout() == 0);
                    return releases ? new CompletableFuture<>() : super.changeMessageVisibilityBatch(request);
                }

                @Override
                public boolean cancelledReceiveTakesNothing() {
                    return false;
                }
            };
            Stuck stuck = new Stuck();
            Worker worker = world.start(Worker.builder().handlers(stuck).config(config), unanswered);
            world.send(world.join(world.sqs.getQueueUrl(b -> b.queueName(OrderProcessor.QUEUE))).queueUrl(), "order",
                    Map.of());
            world.runUntil(() -> stuck.started, Duration.ofMillis(10), Duration.ofSeconds(5));
            assertThat(stuck.started).isTrue();

            Instant stopping = world.time.now();
            VirtualStop.stop(worker, world.time, config.shutdownTimeout());
            return Duration.between(stopping, world.time.now());
        }
    }

    private static int status(HttpClient http, WorkerEndpoints endpoints, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " failed", e);
        }
    }

    private static JsonNode single(JsonNode array, String what) {
        assertThat(array.size()).as("one %s", what).isEqualTo(1);
        return array.get(0);
    }

    /** The container's literal environment variables (none comes from a secret). */
    private static Map<String, String> environment(JsonNode container) {
        Map<String, String> environment = new TreeMap<>();
        for (JsonNode variable : container.path("env")) {
            assertThat(variable.has("value")).as("%s has a literal value", variable.path("name").asText()).isTrue();
            environment.put(variable.path("name").asText(), variable.path("value").asText());
        }
        return environment;
    }

    /** A handler for the probes' worker, which only needs to run. */
    static final class Idle {
        @SqsHandler(queue = OrderProcessor.QUEUE)
        public void handle(String body) {
        }
    }

    /** A handler whose call never ends. */
    static final class Stuck {
        volatile boolean started;

        @SqsHandler(queue = OrderProcessor.QUEUE)
        public CompletionStage<Void> handle(String body) {
            started = true;
            return new CompletableFuture<>();
        }
    }
}
