package dev.laurel.bench;

import dev.laurel.api.AuditEvent;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.parse.ParsedRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of {@code testdata/real-enriched.log}, found from the {@code laurel.root} system
 * property (default: the working directory, or its parent when run from this module).
 */
final class Corpus {
    private Corpus() {
    }

    static Path file() {
        String root = System.getProperty("laurel.root");
        Path p = Path.of(root != null ? root : ".", "testdata", "real-enriched.log");
        if (root == null && !Files.exists(p)) {
            p = Path.of("..", "testdata", "real-enriched.log");
        }
        return p;
    }

    /** Each line without its newline. */
    static byte[][] lines() {
        try {
            byte[] all = Files.readAllBytes(file());
            List<byte[]> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == '\n') {
                    out.add(java.util.Arrays.copyOfRange(all, start, i));
                    start = i + 1;
                }
            }
            if (start < all.length) {
                out.add(java.util.Arrays.copyOfRange(all, start, all.length));
            }
            return out.toArray(new byte[0][]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file() + " (set -Dlaurel.root)", e);
        }
    }

    /** The corpus parsed and assembled into events. */
    static List<AuditEvent> events() {
        List<AuditEvent> events = new ArrayList<>();
        EventAssembler assembler = new EventAssembler(events::add);
        LineParser parser = new LineParser();
        for (byte[] line : lines()) {
            ParsedRecord r = parser.parse(line, 0, line.length);
            if (r != null) {
                assembler.accept(r);
            }
        }
        assembler.flush();
        return events;
    }
}
