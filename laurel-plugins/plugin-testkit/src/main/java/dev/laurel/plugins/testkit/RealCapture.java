package dev.laurel.plugins.testkit;

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
 * The events of {@code testdata/real-enriched.log} (1,076 events of a real auditd 3.0.9 ENRICHED
 * capture) through laurel's own line parser and event assembler, fresh on every call.
 */
public final class RealCapture {
    private RealCapture() {
    }

    /** The repository root, as surefire sets it. */
    public static Path root() {
        String root = System.getProperty("laurel.root");
        if (root == null) {
            throw new IllegalStateException("system property laurel.root is not set (run through Maven)");
        }
        return Path.of(root);
    }

    public static List<AuditEvent> events() {
        byte[] all;
        try {
            all = Files.readAllBytes(root().resolve("testdata/real-enriched.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<AuditEvent> events = new ArrayList<>();
        EventAssembler assembler = new EventAssembler(events::add);
        LineParser parser = new LineParser();
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                if (i > start) {
                    ParsedRecord r = parser.parse(all, start, i - start);
                    if (r != null) {
                        assembler.accept(r);
                    }
                }
                start = i + 1;
            }
        }
        assembler.flush();
        return events;
    }
}
