package dev.laurel.plugins.translate;

import dev.laurel.api.Record;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.parse.ParsedRecord;
import dev.laurel.engine.testkit.TestData;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Lines of testdata/real-enriched.log and records parsed from them by the production parser. */
final class RealLines {

    private RealLines() {
    }

    /** Every line of the real capture, as bytes without the newline. */
    static List<byte[]> lines() throws IOException {
        byte[] all = Files.readAllBytes(TestData.capture());
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        return lines;
    }

    /** The record of one line (with its ENRICHED tail, if any), parsed by {@link LineParser}. */
    static Record record(String line) {
        return record(line.getBytes(StandardCharsets.UTF_8));
    }

    static Record record(byte[] line) {
        LineParser parser = new LineParser();
        ParsedRecord p = parser.parse(line, 0, line.length);
        if (p == null) {
            throw new IllegalArgumentException(parser.lastError() + ": " + new String(line, StandardCharsets.UTF_8));
        }
        return p.record();
    }
}
