package io.sluice.internal.lease;

/** How a {@link MessageLease} ended, once SQS answered its terminal action. */
public enum LeaseOutcome {
    /** Deleted after its handler succeeded. */
    DELETED,
    /** Its delete failed for good: the message comes back (a duplicate, never a loss). */
    DELETE_FAILED,
    /** Made invisible for its redelivery back-off. */
    REDELIVERED,
    /** Made visible again at once. */
    RELEASED,
    /** Not due yet: made invisible until nearer its due time, or sent again with a fresh delay (then deleted). */
    POSTPONED,
    /** Sent to the dead-letter queue (its delete from the source was submitted). */
    DEAD_LETTERED,
    /** Nothing done: it reappears when its visibility runs out (a failed release or dead-letter send lands here too). */
    LEFT;

    /** Whether the message is off its queue for good: a later message of its FIFO group may be deleted after it. */
    public boolean gone() {
        return this == DELETED || this == DEAD_LETTERED;
    }
}
