package dev.laurel.engine.testkit;

import dev.laurel.api.AuditEvent;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.parse.ParsedRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The repository's test data and a way to turn an audit log into events with the production
 * parser and assembler, for tests in every module (shipped in laurel-engine's test-jar).
 */
public final class TestData {
    /** Lines of the files read by {@link #event(Path, String)}, which tests call many times. */
    private static final Map<Path, List<byte[]>> LINES = new HashMap<>();

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

    /** LAUREL's fixture {@code testdata/laurel-fixtures/NAME.txt} ({@code "record-connect"}). */
    public static Path fixture(String name) {
        return file("laurel-fixtures/" + name + ".txt");
    }

    /** The event with this id ({@code "1795636827.767:318"}) from the real capture. */
    public static AuditEvent event(String id) {
        return event(capture(), id);
    }

    /** The event with this id from one of LAUREL's fixtures ({@code "record-connect"}). */
    public static AuditEvent fixtureEvent(String fixture, String id) {
        return event(fixture(fixture), id);
    }

    /**
     * The event with this id in {@code log}, parsed and assembled afresh on every call (enrichers
     * change events); when a user-space record shares the id of a kernel event, the kernel event.
     */
    public static AuditEvent event(Path log, String id) {
        byte[] tag = ("msg=audit(" + id + "):").getBytes(StandardCharsets.US_ASCII);
        LineParser parser = new LineParser();
        List<AuditEvent> events = new ArrayList<>();
        EventAssembler assembler = new EventAssembler(events::add);
        for (byte[] line : lines(log)) {
            if (contains(line, tag)) {
                ParsedRecord r = parser.parse(line, 0, line.length);
                if (r == null) {
                    throw new IllegalStateException(parser.lastError() + ": "
                            + new String(line, StandardCharsets.ISO_8859_1));
                }
                assembler.accept(r);
            }
        }
        assembler.flush();
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no event " + id + " in " + log);
        }
        for (AuditEvent e : events) {
            if (!e.records().get(0).type().isUserSpace()) {
                return e;
            }
        }
        return events.get(0);
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

    /** The non-empty lines of {@code file}, without their newlines, read once. */
    private static synchronized List<byte[]> lines(Path file) {
        return LINES.computeIfAbsent(file, p -> {
            byte[] all;
            try {
                all = Files.readAllBytes(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<byte[]> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= all.length; i++) {
                if (i == all.length || all[i] == '\n') {
                    if (i > start) {
                        out.add(Arrays.copyOfRange(all, start, i));
                    }
                    start = i + 1;
                }
            }
            return List.copyOf(out);
        });
    }

    private static boolean contains(byte[] line, byte[] tag) {
        outer:
        for (int i = 0; i + tag.length <= line.length; i++) {
            for (int j = 0; j < tag.length; j++) {
                if (line[i + j] != tag[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
