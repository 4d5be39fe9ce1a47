package io.sluice.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TableTest {

    private static String print(Table table) {
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text));
        return text.toString();
    }

    @Test
    void padsEachColumnToItsWidestCellAlignsNumbersRightAndLeavesTheLastColumnUnpadded() {
        Table table = Table.of("QUEUE", "VISIBLE", "NOTE").alignRight(1)
                .row("orders", 12, "a long note that does not widen anything")
                .row("payments.fifo", 3, null);

        assertThat(print(table)).isEqualTo("""
                QUEUE          VISIBLE  NOTE
                orders              12  a long note that does not widen anything
                payments.fifo        3  -
                """);
    }

    @Test
    void aCellIsOneLineAndAnInstantIsShownToTheSecond() {
        assertThat(Table.cell("two\nlines\tand a tab")).isEqualTo("two lines and a tab");
        assertThat(Table.cell(Instant.parse("2026-11-30T08:00:00.123Z"))).isEqualTo("2026-11-30T08:00:00Z");
        assertThat(Table.cell("")).isEqualTo("-");
        assertThat(Table.cell(null)).isEqualTo("-");
    }

    @Test
    void shortenCutsLongTextWithAnEllipsis() {
        assertThat(Table.shorten("abcdefghij", 8)).isEqualTo("abcde...");
        assertThat(Table.shorten("abc", 8)).isEqualTo("abc");
        assertThat(Table.shorten(null, 8)).isNull();
    }

    @Test
    void aRowMustHaveOneCellPerColumn() {
        assertThatThrownBy(() -> Table.of("A", "B").row("only one"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a row needs 2 cells, but had 1");
    }
}
