package dev.laurel.engine.testkit;

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
import java.util.function.Consumer;

/**
 * The repository's test data and a way to turn an audit log into events with the production
 * parser and assembler, for tests in every module (shipped in laurel-engine's test-jar).
 */
public final class TestData {
    private TestData() {
    }

    /** The repository root (surefire sets {@code laurel.root}). */
    public static Path root() {
        String root = System.getProperty("laurel.root");
        if (root == null) {
            throw new IllegalStateException("system property laurel.root is not set (run through Maven)");
        }
        return Path.of(root);
    }

    /** {@code testdata/NAME}. */
    public static Path file(String name) {
        return root().resolve("testdata").resolve(name);
    }

    /** The real capture, {@code testdata/real-enriched.log}. */
    public static Path capture() {
        return file("real-enriched.log");
    }

    /** Parses and assembles every line of {@code log}; fails on a line the parser rejects. */
    public static List<AuditEvent> events(Path log) {
        List<AuditEvent> out = new ArrayList<>();
        events(log, out::add);
        return out;
    }

    /** As {@link #events(Path)}, handing each event to {@code sink} as it completes. */
    public static void events(Path log, Consumer<AuditEvent> sink) {
        byte[] all;
        try {
            all = Files.readAllBytes(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LineParser parser = new LineParser();
        EventAssembler assembler = new EventAssembler(sink);
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                if (i > start) {
                    ParsedRecord r = parser.parse(all, start, i - start);
                    if (r == null) {
                        throw new IllegalArgumentException(log + ": " + parser.lastError());
                    }
                    assembler.accept(r);
                }
                start = i + 1;
            }
        }
        assembler.flush();
    }
}
