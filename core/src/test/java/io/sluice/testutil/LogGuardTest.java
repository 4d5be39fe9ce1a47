package io.sluice.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The guard that fails a test logging sensitive data finds what it must, and only at INFO or above. */
class LogGuardTest {

    private static final Logger LOG = LoggerFactory.getLogger("io.sluice.LogGuardTest");

    @Test
    void aRegisteredBodyAReceiptHandleOrATokenAtInfoOrAboveIsFound() {
        String body = "{\"order_id\":\"guard-1\",\"card\":\"4242\"}";
        SensitiveValues.body(body);
        SensitiveValues.secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        LogGuard.takeFound();

        LOG.debug("at debug the body may show: {}", body);
        assertThat(LogGuard.takeFound()).isEmpty();

        LOG.info("processing {}", body);
        LOG.warn("client secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        LOG.warn("delete failed for handle 8f3a9c0d1e2b4a67-12-3");
        LOG.error("token AQoDYXdzEJr" + "Ab1".repeat(40));
        LOG.warn("failed", new IllegalStateException("bad body " + body));

        assertThat(LogGuard.takeFound()).hasSize(5);
    }

    @Test
    void ordinaryLinesAndFillerAreNotFound() {
        LogGuard.takeFound();

        LOG.warn("Handler failed for message 3bc6ad53-0eb8-4d9c-a8e4-4d67dce20dde from queue 'orders': {}",
                "x".repeat(500));
        LOG.info("ok {}", "{}");

        assertThat(LogGuard.takeFound()).isEmpty();
    }
}
