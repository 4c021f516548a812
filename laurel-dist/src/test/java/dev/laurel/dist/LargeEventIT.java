package dev.laurel.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The largest command line Linux lets through (about 44,000 arguments, 3.5 MB, split by the
 * kernel over hundreds of EXECVE records of at most 7,500 bytes), between ordinary events, through
 * the distribution's launcher with its default heap (-Xmx128m) and default limits: it comes out
 * whole, as one event, with the events around it.
 */
class LargeEventIT {
    private static final Path LAUREL = Path.of(System.getProperty("laurel.dist", "target/laurel"))
            .toAbsolutePath().resolve("bin/laurel");
    private static final int ARGS = 44_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String arg(int i) {
        // 80 bytes each, half of them hex-encoded as the kernel does for a space
        String text = String.format("argument-%05d-", i) + "x".repeat(60) + (i % 2 == 0 ? "-tail" : " tail");
        return text.substring(0, 80);
    }

    @Test
    void aCommandLineOf44000ArgumentsAnd3Point5MegabytesComesOutWhole() throws Exception {
        Path input = tmp.resolve("big.log");
        long argBytes = 0;
        try (BufferedWriter w = Files.newBufferedWriter(input, StandardCharsets.ISO_8859_1)) {
            small(w, 1);
            String h = "msg=audit(1795636900.200:2): ";
            w.write("type=SYSCALL " + h + "arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1"
                    + " ppid=1 pid=100 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1"
                    + " comm=\"big\" exe=\"/usr/bin/big\" key=(null)\n");
            StringBuilder record = new StringBuilder("type=EXECVE " + h + "argc=" + ARGS);
            for (int i = 0; i < ARGS; i++) {
                String a = arg(i);
                argBytes += a.length();
                String field = " a" + i + "=" + (a.indexOf(' ') >= 0
                        ? java.util.HexFormat.of().withUpperCase().formatHex(a.getBytes(StandardCharsets.US_ASCII))
                        : "\"" + a + "\"");
                if (record.length() + field.length() > 7500) {
                    w.write(record.append('\n').toString());
                    record = new StringBuilder("type=EXECVE " + h.trim());
                }
                record.append(field);
            }
            w.write(record.append('\n').toString());
            w.write("type=CWD " + h + "cwd=\"/root\"\n");
            w.write("type=PROCTITLE " + h + "proctitle=\"big\"\n");
            w.write("type=EOE " + h.trim() + "\n");
            small(w, 3);
        }
        assertThat(argBytes).isGreaterThan(3_500_000);
        assertThat(Files.size(input)).isGreaterThan(4_000_000);
        Path config = tmp.resolve("laurel.yaml");
        Files.writeString(config, """
                input: "%s"
                proc-root: none
                enrichers:
                  - type: hex-decoder
                sinks:
                  - type: json-file
                    file: "-"
                """.formatted(input));

        ProcessBuilder pb = new ProcessBuilder(LAUREL.toString(), "--config", config.toString());
        pb.environment().put("LAUREL_LOG", "stderr");
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        byte[] out = readAll(p.getInputStream());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(stderr).doesNotContain("OutOfMemoryError", "WARN", "ERROR").contains("0 records rejected");
        String[] lines = new String(out, StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        assertThat(JSON.readTree(lines[0]).path("ID").asText()).isEqualTo("1795636900.100:1");
        JsonNode big = JSON.readTree(lines[1]);
        assertThat(big.path("ID").asText()).isEqualTo("1795636900.200:2");
        JsonNode argv = big.path("EXECVE").path("ARGV");
        assertThat(argv.size()).isEqualTo(ARGS);
        for (int i = 0; i < ARGS; i++) {
            assertThat(argv.get(i).asText()).as("argument %d", i).isEqualTo(arg(i));
        }
        assertThat(JSON.readTree(lines[2]).path("ID").asText()).isEqualTo("1795636900.300:3");
    }

    private static void small(BufferedWriter w, int serial) throws IOException {
        String h = "msg=audit(1795636900." + serial + "00:" + serial + "): ";
        w.write("type=SYSCALL " + h + "arch=c000003e syscall=2 success=yes exit=3 a0=1 a1=2 a2=3 a3=4 items=0"
                + " ppid=1 pid=99 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1"
                + " comm=\"cat\" exe=\"/usr/bin/cat\" key=(null)\n");
        w.write("type=EOE " + h.trim() + "\n");
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
