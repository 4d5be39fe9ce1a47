package io.sluice.runtime.admin;

import java.util.List;

/**
 * What a redrive did.
 *
 * @param moved         messages moved back (for a dry run: that would be)
 * @param failed        messages that matched but stayed in the DLQ (or, sent but not deleted, are in both queues)
 * @param unmatched     messages left alone because they did not match {@code --filter-exception}
 * @param withoutTarget messages left because nothing tells where they go
 * @param planned       for a dry run, what would move where
 * @param how           how they were moved, for the summary
 */
record MoveReport(long moved, int failed, int unmatched, int withoutTarget, List<Planned> planned, String how) {

    /** A message a dry run would move, and where. */
    record Planned(DlqMessage message, QueueRef target) {
    }

    /** Whether every message that should have moved did. */
    boolean complete() {
        return failed == 0 && withoutTarget == 0;
    }
}
