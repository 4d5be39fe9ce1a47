package io.sluice.runtime.admin;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A text table: columns padded to their widest cell, two spaces apart, numbers aligned right; the last column is not
 * padded, so a long last cell (an error message) does not widen the others. A missing value shows as {@code -}.
 */
final class Table {

    private final List<String> headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    private Table(List<String> headers) {
        this.headers = headers;
        this.right = new boolean[headers.size()];
    }

    static Table of(String... headers) {
        return new Table(List.of(headers));
    }

    /** Aligns the columns at {@code indexes} (from 0) to the right, as numbers are. */
    Table alignRight(int... indexes) {
        for (int index : indexes) {
            right[index] = true;
        }
        return this;
    }

    /** Adds a row of {@code cells}, one per column, each shown as {@link #cell(Object)} shows it. */
    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row needs " + headers.size() + " cells, but had " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(Table::cell).toArray(String[]::new));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        out.println(line(headers.toArray(String[]::new), widths));
        rows.forEach(row -> out.println(line(row, widths)));
        out.flush();
    }

    private String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            boolean last = i == cells.length - 1;
            int pad = widths[i] - cells[i].length();
            if (right[i]) {
                line.append(" ".repeat(pad)).append(cells[i]);
            } else {
                line.append(cells[i]).append(last ? "" : " ".repeat(pad));
            }
            if (!last) {
                line.append("  ");
            }
        }
        return line.toString().stripTrailing();
    }

    /**
     * A value as a cell: {@code -} for none, an instant to the second ({@code 2026-11-30T08:00:00Z}), anything else as
     * its text on one line (line breaks and other control characters become spaces).
     */
    static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Instant instant) {
            return instant.truncatedTo(ChronoUnit.SECONDS).toString();
        }
        String text = value.toString();
        StringBuilder cell = new StringBuilder(text.length());
        text.codePoints().forEach(c -> cell.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return cell.isEmpty() ? "-" : cell.toString();
    }

    /** {@code text} cut to {@code max} characters, ending in {@code ...} when cut. */
    static String shorten(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max - 3) + "...";
    }
}
