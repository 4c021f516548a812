package dev.laurel.dist;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/laurel} running as auditd's child: standard input a pipe the test writes (as auditd
 * does), standard output discarded, diagnostics ({@code LAUREL_LOG=stderr}) to a file.
 */
final class RunningLaurel implements AutoCloseable {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    final Process process;
    final Path stderr;
    final OutputStream auditd;

    RunningLaurel(Path laurel, Path config, Path stderr) throws IOException {
        this.stderr = stderr;
        ProcessBuilder pb = new ProcessBuilder(laurel.toString(), "--config", config.toString());
        pb.environment().put("LAUREL_LOG", "stderr");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(stderr.toFile());
        process = pb.start();
        auditd = process.getOutputStream();
    }

    void feed(List<String> lines) throws IOException {
        for (String line : lines) {
            auditd.write((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        auditd.flush();
    }

    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    String log() throws IOException {
        return Files.readString(stderr);
    }

    /** Waits for the exit; returns the status. */
    int exit() throws Exception {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("laurel exits; stderr: %s", log()).isTrue();
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** Waits up to 60 s for {@code condition}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 60 s for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Whether {@code file} exists and holds {@code text}. */
    static boolean contains(Path file, String text) {
        try {
            return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
