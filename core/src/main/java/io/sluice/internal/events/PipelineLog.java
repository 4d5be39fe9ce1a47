package io.sluice.internal.events;

import io.sluice.MessageBindingException;
import io.sluice.WorkerEvent;
import io.sluice.WorkerListener;
import io.sluice.internal.batch.BatchEntryException;
import io.sluice.time.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The pipeline's own log, written from its events like any other listener's view. A failing message's stack trace is
 * logged once, at its final outcome (dead-lettered, or left for SQS); each in-process retry and each redelivery is one
 * WARN line without a stack trace; a dead-letter send that failed is an ERROR. Never a message body or a receipt handle;
 * a poison message's reason without a stack trace (the message is wrong, not the code).
 */
public final class PipelineLog implements WorkerListener {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineLog.class);

    @Override
    public void onEvent(WorkerEvent event) {
        if (event instanceof WorkerEvent.Retried retried) {
            LOG.warn("Handler call {} failed for {}; retrying in {} ms: {}", retried.call(), retried.delivery(),
                    retried.delay().toMillis(), retried.cause().toString());
        } else if (event instanceof WorkerEvent.Redelivered redelivered) {
            LOG.warn("Handler failed for {}; it comes back in {}: {}", redelivered.delivery(),
                    Durations.format(redelivered.backoff()), redelivered.cause().toString());
        } else if (event instanceof WorkerEvent.DeadLettered dead) {
            logDeadLettered(dead);
        } else if (event instanceof WorkerEvent.DeadLetterFailed failed) {
            LOG.error("Sending {} to the dead-letter queue '{}' failed; it stays on its queue and comes back: {}",
                    failed.delivery(), failed.deadLetterQueue(), failed.error().toString());
        } else if (event instanceof WorkerEvent.Left left) {
            logLeft(left);
        } else if (event instanceof WorkerEvent.DeleteFailed failed) {
            LOG.warn("The delete of {} failed; SQS will deliver it again: {}", failed.delivery(),
                    failed.cause().toString());
        } else if (event instanceof WorkerEvent.GroupStopped stopped) {
            LOG.info("Message group {} of queue '{}' stopped at {}: {} later message(s) released unhandled; they come"
                    + " back after it", stopped.groupId(), stopped.queue(), stopped.failed(), stopped.released());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{}", event);
        }
    }

    /** The final outcome of a failing message: its stack trace, once (a body that cannot be bound needs none). */
    private static void logDeadLettered(WorkerEvent.DeadLettered dead) {
        if (dead.cause() instanceof MessageBindingException poison) {
            LOG.warn("Dead-lettered {} to '{}': {}: {}", dead.delivery(), dead.deadLetterQueue(), dead.reason(),
                    poison.getMessage());
        } else {
            LOG.warn("Dead-lettered {} to '{}': {}", dead.delivery(), dead.deadLetterQueue(), dead.reason(),
                    dead.cause());
        }
    }

    private static void logLeft(WorkerEvent.Left left) {
        if (left.cause() instanceof MessageBindingException poison) {
            LOG.warn("{}; {}: it is left for SQS to redeliver or dead-letter", poison.getMessage(), left.reason());
        } else if (left.cause() instanceof SdkException || left.cause() instanceof BatchEntryException) {
            // an SQS call of Sluice's own failed (a visibility change, a re-send, a dead-letter send): not the handler
            LOG.warn("{} is left for SQS to deliver again after its visibility timeout: {}: {}", left.delivery(),
                    left.reason(), left.cause().toString());
        } else if (left.cause() != null) {
            LOG.warn("Handler failed for {} ({}); SQS will deliver it again after its visibility timeout",
                    left.delivery(), left.reason(), left.cause());
        } else {
            LOG.warn("{} is left for SQS to deliver again after its visibility timeout: {}", left.delivery(),
                    left.reason());
        }
    }
}
