package io.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySuggestionsTest {

    private static final List<String> KNOWN = List.of("sluice.concurrency", "sluice.pollers", "sluice.wait-time");

    @Test
    void suggestsTheNearestKeyForATypo() {
        assertThat(KeySuggestions.closest("sluice.concurency", KNOWN)).hasValue("sluice.concurrency");
        assertThat(KeySuggestions.closest("SLUICE.POLLER", KNOWN)).hasValue("sluice.pollers");
        assertThat(KeySuggestions.closest("sluice.wait_time", KNOWN)).hasValue("sluice.wait-time");
    }

    @Test
    void suggestsNothingForSomethingElseEntirely() {
        assertThat(KeySuggestions.closest("sluice.home", KNOWN)).isEmpty();
        assertThat(KeySuggestions.closest("x", KNOWN)).isEmpty();
    }
}
