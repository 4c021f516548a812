package dev.laurel.dist;

import dev.laurel.engine.cli.Main;
import dev.laurel.engine.testkit.TestData;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** laurel's command line run in-process, with every built-in plugin on the class path. */
final class InProcessLaurel {
    static final Path CAPTURE = TestData.root().resolve("testdata/real-enriched.log");
    static final Path REFERENCE = TestData.root().resolve("testdata/real-enriched.laurel-0.5.1.jsonl");

    private InProcessLaurel() {
    }

    record Result(int status, String out, String err, String systemErr) {
    }

    /** Runs laurel with these arguments; System.err is captured too. */
    static Result laurel(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setErr(previous);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                systemErr.toString(StandardCharsets.UTF_8));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The event's SYSCALL.key, or "" without one. */
    static String syscallKey(String jsonLine) {
        try {
            return JSON.readTree(jsonLine).path("SYSCALL").path("key").asText("");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
