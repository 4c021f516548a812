package dev.laurel.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the unpacked distribution ({@code target/laurel/bin/laurel}) as auditd would: a separate
 * process reading standard input. Run by failsafe after {@code package}:
 * {@code mvn -o verify -pl laurel-dist -am}.
 */
class DistributionIT {
    private static final Path ROOT = TestData.root();
    private static final Path DIST = Path.of(System.getProperty("laurel.dist", "target/laurel")).toAbsolutePath();
    private static final Path LAUREL = DIST.resolve("bin/laurel");
    private static final Path CAPTURE = ROOT.resolve("testdata/real-enriched.log");
    private static final Path REFERENCE = ROOT.resolve("testdata/real-enriched.laurel-0.5.1.jsonl");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Put before a command: runs it with SIGHUP ignored, as nohup(1) starts one. */
    private static final List<String> IGNORING_SIGHUP =
            List.of("perl", "-e", "$SIG{HUP} = 'IGNORE'; exec {$ARGV[0]} @ARGV or die \"exec: $!\"");

    @TempDir
    Path tmp;

    record Run(int status, byte[] out, String err) {
        List<String> lines() {
            String s = new String(out, StandardCharsets.UTF_8);
            return s.isEmpty() ? List.of() : List.of(s.split("\n", -1)).subList(0, s.split("\n", -1).length - 1);
        }
    }

    private static Run laurel(Path stdin, String... args) throws Exception {
        return laurelWithJavaOpts(stdin, "", args);
    }

    private static Run laurelWithJavaOpts(Path stdin, String javaOpts, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(LAUREL.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LAUREL_LOG", "stderr");
        pb.environment().put("LAUREL_JAVA_OPTS", javaOpts);
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("laurel did not finish within 120 s");
        }
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS),
                new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path config(String yaml) throws IOException {
        Path file = tmp.resolve("laurel.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static List<String> ids(List<String> jsonLines) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : jsonLines) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            ids.add(event.path("ID").asText());
        }
        return ids;
    }

    @Test
    void printsTheRealCaptureAsOneJsonLinePerEventOnStdout() throws Exception {
        Path config = config("""
                enrichers:
                  - type: hex-decoder
                sinks:
                  - type: json-file
                    file: "-"
                """);

        Run run = laurel(CAPTURE, "--config", config.toString());

        assertThat(run.status()).as(run.err()).isZero();
        List<String> lines = run.lines();
        assertThat(lines).hasSize(1076);
        List<String> reference = Files.readAllLines(REFERENCE, StandardCharsets.UTF_8);
        assertThat(ids(lines)).as("the same events as LAUREL 0.5.1, in any order")
                .containsExactlyInAnyOrderElementsOf(ids(reference));
        assertThat(lines).as("byte for byte LAUREL 0.5.1's output").isEqualTo(reference);
        assertThat(run.err()).doesNotContain("ERROR", "WARN");
    }

    @Test
    void jvmWarningsNeverReachTheEventStream() throws Exception {
        Path config = config("""
                sinks:
                  - type: json-file
                    file: "-"
                """);

        // Without configured large pages the JVM warns; by default it would warn on stdout.
        Run run = laurelWithJavaOpts(CAPTURE, "-XX:+UseLargePages -XX:LargePageSizeInBytes=1g", "--config", config.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.lines()).hasSize(1076).allSatisfy(line -> assertThat(line).startsWith("{\"ID\":"));
    }

    @Test
    void appendsToAFileAndFinishesPendingEventsOnSigterm() throws Exception {
        Path out = tmp.resolve("audit.jsonl");
        Path config = config("""
                enrichers:
                  - type: hex-decoder
                sinks:
                  - type: json-file
                    file: "%s"
                """.formatted(out));
        ProcessBuilder pb = new ProcessBuilder(LAUREL.toString(), "--config", config.toString());
        pb.environment().put("LAUREL_LOG", "stderr");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        Process p = pb.start();
        // The first 100 lines, without closing stdin: laurel keeps waiting for more.
        List<String> head = Files.readAllLines(CAPTURE, StandardCharsets.ISO_8859_1).subList(0, 100);
        OutputStream auditd = p.getOutputStream();
        for (String line : head) {
            auditd.write((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        auditd.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((!Files.exists(out) || Files.size(out) == 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(out).as("events flushed while the input is open").isNotEmptyFile();

        p.destroy();   // SIGTERM, as auditd stops its plugins

        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("stderr.txt"))).isZero();
        long eoe = head.stream().filter(l -> l.startsWith("type=EOE ")).count();
        assertThat(Files.readAllLines(out)).as("at least every event that had its EOE")
                .hasSizeGreaterThanOrEqualTo((int) eoe);
        assertThat(Files.getPosixFilePermissions(out)).doesNotContain(
                java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
    }

    @Test
    void reopensItsFileOnSighupAfterLogrotateMovedIt() throws Exception {
        reopensOnSighupAfterLogrotate(List.of(LAUREL.toString()));
    }

    /**
     * nohup(1), or a supervisor that ignores SIGHUP, passes the ignored signal on through exec,
     * and a JVM started so cannot catch it: bin/laurel gives SIGHUP its default back first.
     */
    @Test
    void reopensOnSighupEvenWhenStartedWithSighupIgnored() throws Exception {
        List<String> command = new ArrayList<>(IGNORING_SIGHUP);
        command.add(LAUREL.toString());
        reopensOnSighupAfterLogrotate(command);
    }

    /** The JVM started without bin/laurel with SIGHUP ignored: laurel says what it cannot do. */
    @Test
    void warnsThatSighupStaysIgnoredWhenTheJvmIsStartedWithItIgnored() throws Exception {
        Path config = config("""
                sinks:
                  - type: json-file
                    file: "%s"
                """.formatted(tmp.resolve("audit.jsonl")));
        List<String> command = new ArrayList<>(IGNORING_SIGHUP);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", DIST.resolve("lib") + "/*", "dev.laurel.engine.cli.Main", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LAUREL_LOG", "stderr");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(tmp.resolve("stderr.txt"));
        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(stderr).contains("WARN").contains("SIGHUP was ignored when laurel started")
                .contains("will not reopen the sinks' files after logrotate");
    }

    private void reopensOnSighupAfterLogrotate(List<String> laurel) throws Exception {
        Path out = tmp.resolve("audit.jsonl");
        Path rotated = tmp.resolve("audit.jsonl.1");
        Path config = config("""
                enrichers:
                  - type: hex-decoder
                sinks:
                  - type: json-file
                    file: "%s"
                """.formatted(out));
        List<String> command = new ArrayList<>(laurel);
        command.addAll(List.of("--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LAUREL_LOG", "stderr");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        Process p = pb.start();
        List<String> capture = Files.readAllLines(CAPTURE, StandardCharsets.ISO_8859_1);
        OutputStream auditd = p.getOutputStream();
        for (String line : capture.subList(0, 2000)) {
            auditd.write((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        auditd.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((!Files.exists(out) || Files.size(out) == 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(out).as("events flushed while the input is open").isNotEmptyFile();

        Files.move(out, rotated);   // logrotate: rename, then SIGHUP
        Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
        assertThat(hup.waitFor(10, TimeUnit.SECONDS)).isTrue();
        while (!Files.exists(out) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(out).as("a new file after SIGHUP").exists();
        for (String line : capture.subList(2000, capture.size())) {
            auditd.write((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        auditd.close();

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(tmp.resolve("stderr.txt"));
        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(stderr).contains("SIGHUP: reopening").doesNotContain("SIGHUP was ignored");
        List<String> before = Files.readAllLines(rotated);
        List<String> after = Files.readAllLines(out);
        assertThat(before).isNotEmpty();
        assertThat(after).isNotEmpty();
        List<String> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(all).as("every event once, in order, across the two files")
                .isEqualTo(Files.readAllLines(REFERENCE, StandardCharsets.UTF_8));
    }

    @Test
    void aBadConfigExits78WithEveryProblemAsFileLineColumn() throws Exception {
        Path config = config("""
                enrichers:
                  - type: hex-decoder
                    no-such-option: 1
                sinks:
                  - type: no-such-sink
                  - type: json-file
                """);

        Run run = laurel(null, "--config", config.toString(), "--dry-run");

        assertThat(run.status()).isEqualTo(78);
        assertThat(run.out()).isEmpty();
        List<String> errors = run.err().lines().toList();
        assertThat(errors).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(line -> assertThat(line).matches(java.util.regex.Pattern.quote(config.toString())
                        + ":\\d+:\\d+: .+"));
    }

    @Test
    void theShippedConfigIsValid() throws Exception {
        Run run = laurel(null, "--config", DIST.resolve("etc/laurel/laurel.yaml").toString(), "--dry-run");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
    }

    @Test
    void listsTheBuiltInPluginsWithTheirOptions() throws Exception {
        Run run = laurel(null, "plugins");
        assertThat(run.status()).as(run.err()).isZero();
        String text = new String(run.out(), StandardCharsets.UTF_8);
        assertThat(text).contains("  hex-decoder - ", "  json-file - ", "      file (string, required)", "  unix-socket - ", "  pipe - ",
                DIST.resolve("lib").toString());
    }

    @Test
    void theLauncherRunsFromItsOwnDirectoryAndPrintsTheVersion() throws Exception {
        Run run = laurel(null, "--version");
        assertThat(run.status()).isZero();
        assertThat(new String(run.out(), StandardCharsets.UTF_8)).startsWith("laurel 0.");
        assertThat(DIST.resolve("plugins/README.txt")).isRegularFile();
        assertThat(Files.isExecutable(LAUREL)).isTrue();
        assertThat(DIST.resolveSibling("laurel-" + System.getProperty("laurel.version", "0.1.0-SNAPSHOT") + ".tar.gz"))
                .isRegularFile();
    }
}
