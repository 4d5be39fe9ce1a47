package io.sluice.testutil;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which a log line at INFO or above showed a message body, a receipt handle or a secret ({@link
 * LogGuard}). Registered for every test of a module by JUnit's extension auto-detection ({@code
 * junit.jupiter.extensions.autodetection.enabled} in its {@code junit-platform.properties}).
 */
public final class LogGuardExtension implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        LogGuard.takeFound(); // what an earlier test's stray threads logged is that test's business
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> found = LogGuard.takeFound();
        if (!found.isEmpty()) {
            throw new AssertionError("sensitive data logged at INFO or above during "
                    + context.getDisplayName() + ":\n  " + String.join("\n  ", found));
        }
    }
}
