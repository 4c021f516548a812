package dev.laurel.plugins.filter;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.Value;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.parse.ParsedRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only: events of the real capture and of LAUREL's fixtures, parsed and assembled by the
 * engine's own {@link LineParser} and {@link EventAssembler}, fresh for every call (enrichers
 * change them).
 */
final class AuditLines {
    private static final Map<Path, List<byte[]>> FILES = new HashMap<>();

    private AuditLines() {
    }

    static Path root() {
        String root = System.getProperty("laurel.root");
        if (root == null) {
            throw new IllegalStateException("system property laurel.root is not set (run through Maven)");
        }
        return Path.of(root);
    }

    /** The kernel event (not a user-space record) with this id from the real capture. */
    static AuditEvent event(String id) {
        return event(root().resolve("testdata/real-enriched.log"), id);
    }

    /** The event with this id from one of LAUREL's fixtures ({@code "record-connect"}). */
    static AuditEvent fixtureEvent(String fixture, String id) {
        return event(root().resolve("testdata/laurel-fixtures/" + fixture + ".txt"), id);
    }

    /** Every event of the real capture, in output order. */
    static List<AuditEvent> captureEvents() {
        return assemble(lines(root().resolve("testdata/real-enriched.log")));
    }

    private static AuditEvent event(Path file, String id) {
        byte[] tag = ("msg=audit(" + id + "):").getBytes(StandardCharsets.US_ASCII);
        List<byte[]> mine = new ArrayList<>();
        for (byte[] line : lines(file)) {
            if (contains(line, tag)) {
                mine.add(line);
            }
        }
        List<AuditEvent> events = assemble(mine);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no event " + id + " in " + file);
        }
        // a user-space record may share the id of a kernel event: prefer the kernel event
        for (AuditEvent e : events) {
            if (!e.records().get(0).type().isUserSpace()) {
                return e;
            }
        }
        return events.get(0);
    }

    private static List<AuditEvent> assemble(List<byte[]> lines) {
        LineParser parser = new LineParser();
        List<AuditEvent> events = new ArrayList<>();
        EventAssembler assembler = new EventAssembler(events::add);
        for (byte[] line : lines) {
            ParsedRecord r = parser.parse(line, 0, line.length);
            if (r == null) {
                throw new IllegalStateException(parser.lastError() + ": "
                        + new String(line, StandardCharsets.ISO_8859_1));
            }
            assembler.accept(r);
        }
        assembler.flush();
        return events;
    }

    private static synchronized List<byte[]> lines(Path file) {
        return FILES.computeIfAbsent(file, p -> {
            try {
                byte[] all = Files.readAllBytes(p);
                List<byte[]> out = new ArrayList<>();
                int start = 0;
                for (int i = 0; i <= all.length; i++) {
                    if (i == all.length || all[i] == '\n') {
                        if (i > start) {
                            out.add(java.util.Arrays.copyOfRange(all, start, i));
                        }
                        start = i + 1;
                    }
                }
                return List.copyOf(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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

    /** A token as the parser makes it, for hand-built values in tests. */
    static Value.Token token(String written, Encoding encoding) {
        return new Value.Token(written.getBytes(StandardCharsets.ISO_8859_1), encoding);
    }
}
