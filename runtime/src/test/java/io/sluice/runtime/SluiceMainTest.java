package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import java.util.List;
import org.junit.jupiter.api.Test;

class SluiceMainTest {

    /** A module with handlers bound but nothing wrong with it, to load by name. */
    public static final class EmptyModule extends AbstractModule {
    }

    @Test
    void loadsModulesByClassName() {
        assertThat(SluiceMain.loadModules(List.of(EmptyModule.class.getName())))
                .singleElement().isInstanceOf(EmptyModule.class);
    }

    @Test
    void unknownModuleClassIsNamedInTheError() {
        assertThatThrownBy(() -> SluiceMain.loadModules(List.of("com.example.NoSuchModule")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("com.example.NoSuchModule")
                .hasMessageContaining("not on the classpath");
    }

    @Test
    void classThatIsNotAModuleIsRejected() {
        assertThatThrownBy(() -> SluiceMain.loadModules(List.of(String.class.getName())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String")
                .hasMessageContaining("not a com.google.inject.Module");
    }

    @Test
    void aFirstArgumentAdminRunsTheAdminCliWithTheRestAndReturnsItsStatus() throws InterruptedException {
        assertThat(SluiceMain.run(new String[] {"admin", "--version"})).isZero();
        assertThat(SluiceMain.run(new String[] {"admin"})).as("no admin command: a usage error").isEqualTo(2);
    }

    @Test
    void startupErrorsExitWithStatusTwoInsteadOfThrowing() throws InterruptedException {
        assertThat(SluiceMain.run(new String[] {"com.example.NoSuchModule"})).isEqualTo(2);
        // A module without handlers: discovery reports that no @SqsHandler method exists.
        assertThat(SluiceMain.run(new String[] {EmptyModule.class.getName()})).isEqualTo(2);
    }

    @Test
    void theShutdownHookStopsTheWorkerThenHaltsWithStatusZero() {
        io.sluice.Worker worker = io.sluice.Worker.builder()
                .transport(new io.sluice.testutil.FakeSqsTransport().withQueue("orders"))
                .handlers(new Object() {
                    @io.sluice.annotations.SqsHandler(queue = "orders")
                    public void handle(String body) {
                    }
                })
                .scheduler(new io.sluice.time.VirtualTime())
                .build()
                .start();
        java.util.List<Integer> statuses = new java.util.ArrayList<>();

        SluiceMain.shutdownHook(worker, status -> {
            assertThat(worker.isRunning()).as("halted only after the stop").isFalse();
            statuses.add(status);
        }).run();

        assertThat(statuses).containsExactly(0);
    }
}
