package dev.laurel.dist;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.laurel.dist.RunningLaurel.await;
import static dev.laurel.dist.RunningLaurel.contains;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A local unprivileged user ({@code nobody}) against the real distribution ({@code bin/laurel})
 * started as root, as auditd starts it: a config that user may change is refused at SIGHUP as at
 * start-up, the config's {@code user:} is honoured however the YAML spells it (or laurel refuses
 * to start), a huge config is rejected quickly, and a {@code pipe} sink's command gets none of
 * laurel's capabilities.
 */
class UnprivilegedAttackerIT {
    private static final Path DIST = Path.of(System.getProperty("laurel.dist", "target/laurel")).toAbsolutePath();
    private static final Path LAUREL = DIST.resolve("bin/laurel");
    private static final Path CAPTURE = TestData.root().resolve("testdata/real-enriched.log");
    private static final int NOBODY = 65534;

    @TempDir
    Path tmp;

    @BeforeEach
    void asRootWithNobody() throws Exception {
        assumeTrue(Root.is(), "needs root: laurel is started as root and an attacker is another user");
        assumeTrue(run(List.of("id", "-u", "nobody")).trim().equals(Integer.toString(NOBODY)), "needs nobody (65534)");
        // nobody may reach what the tests give it, as on a real system (JUnit makes it 0700).
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** Writes {@code text} to {@code file} as nobody would: through setpriv, without root's rights. */
    private static void writeAsNobody(Path file, String text) throws Exception {
        Process p = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                "--inh-caps=-all", "--", "/bin/sh", "-c", "cat > \"$0\"", file.toString())
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("nobody writes %s: %s", file, out).isZero();
    }

    private Path dir(String name, int owner, String mode) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.setAttribute(dir, "unix:uid", owner);
        Files.setAttribute(dir, "unix:gid", owner);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    private static List<String> capture() throws IOException {
        return Files.readAllLines(CAPTURE, StandardCharsets.ISO_8859_1);
    }

    /** laurel as auditd's child: stdin a pipe we write, diagnostics to NAME.stderr. */
    private RunningLaurel running(String name, Path config) throws IOException {
        return new RunningLaurel(LAUREL, config, tmp.resolve(name + ".stderr"));
    }

    private static String jsonFileConfig(Path out) {
        return """
                proc-root: none
                sinks:
                  - type: json-file
                    file: "%s"
                """.formatted(out);
    }

    /** The running config plus a pipe sink that would leave {@code marker} behind, as the attacker writes it. */
    private static String withPipeSink(Path out, Path marker) {
        return jsonFileConfig(out) + """
                  - type: pipe
                    command: [/bin/sh, -c, "id > %s; cat > /dev/null"]
                """.formatted(marker);
    }

    /**
     * Starts laurel on {@code config}, lets the attacker act once an event is out, sends SIGHUP,
     * feeds the rest of the capture and returns the log; the events all go to the running sink.
     */
    private String reloadAfter(Path config, Path out, Attack attack) throws Exception {
        List<String> lines = capture();
        int cut = lines.size() / 2;
        while (!lines.get(cut - 1).startsWith("type=EOE")) {
            cut++;
        }
        String log;
        int status;
        try (RunningLaurel laurel = running("reload", config)) {
            laurel.feed(lines.subList(0, cut));
            await("the first events written", () -> contains(out, "\"ID\":"));
            attack.run();
            laurel.signal("HUP");
            await("the reload refused", () -> contains(laurel.stderr, "keeping the running configuration"));
            laurel.feed(lines.subList(cut, lines.size()));
            laurel.auditd.close();
            status = laurel.exit();
            log = laurel.log();
        }
        assertThat(status).as(log).isZero();
        return log;
    }

    interface Attack {
        void run() throws Exception;
    }

    @Test
    void sighupRefusesAConfigThatOthersMayWriteAndKeepsTheRunningChain() throws Exception {
        Path out = tmp.resolve("audit.jsonl");
        Path marker = tmp.resolve("pwned");
        Path config = write(tmp.resolve("laurel.yaml"), jsonFileConfig(out));

        String log = reloadAfter(config, out, () -> {
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-rw-rw-"));
            writeAsNobody(config, withPipeSink(out, marker));
        });

        assertThat(marker).as("the attacker's command never ran; log: %s", log).doesNotExist();
        assertThat(log).contains("SIGHUP: " + config + " is not trusted, keeping the running configuration")
                .contains(config + ": group or others may write the config file (mode 0666)")
                .contains("chmod go-w " + config);
        assertThat(Files.readAllLines(out)).as("the running chain took every event").hasSize(
                Files.readAllLines(TestData.root().resolve("testdata/real-enriched.laurel-0.5.1.jsonl")).size());
    }

    @Test
    void sighupRefusesAConfigBehindASymlinkIntoADirectoryAnotherUserOwns() throws Exception {
        Path out = tmp.resolve("audit.jsonl");
        Path marker = tmp.resolve("pwned");
        Path real = dir("real", 0, "rwxr-xr-x");
        Path target = write(real.resolve("laurel.yaml"), jsonFileConfig(out));
        Path config = Files.createSymbolicLink(Files.createDirectories(tmp.resolve("etc")).resolve("laurel.yaml"),
                target);

        String log = reloadAfter(config, out, () -> {
            Files.setAttribute(real, "unix:uid", NOBODY);   // the directory the link points into is nobody's now
            Files.delete(target);
            writeAsNobody(target, withPipeSink(out, marker));
        });

        assertThat(marker).as("the attacker's command never ran; log: %s", log).doesNotExist();
        assertThat(log).contains("SIGHUP: " + config + " is not trusted, keeping the running configuration")
                .contains(real + ": the config file's directory is owned by uid " + NOBODY + ", not root")
                .contains(target + ": the config file is owned by uid " + NOBODY + ", not root")
                .contains("chown root " + target);
    }

    @Test
    void startRefusesAConfigBehindASymlinkIntoADirectoryAnotherUserOwns() throws Exception {
        Path real = dir("real", NOBODY, "rwxr-xr-x");
        Path target = write(real.resolve("laurel.yaml"), jsonFileConfig(tmp.resolve("audit.jsonl")));
        Path config = Files.createSymbolicLink(Files.createDirectories(tmp.resolve("etc")).resolve("laurel.yaml"),
                target);

        Result r = laurel(config, CAPTURE, Map.of());

        assertThat(r.status).as(r.err).isEqualTo(78);
        assertThat(r.err).contains(real + ": the config file's directory is owned by uid " + NOBODY + ", not root")
                .contains("chown root " + real);
    }

    record Result(int status, String err) {
    }

    private Result laurel(Path config, Path stdin, Map<String, String> env, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUREL.toString(), "--config", config.toString()));
        command.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LAUREL_LOG", "stderr");
        pb.environment().putAll(env);
        pb.redirectInput(stdin.toFile());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Path err = tmp.resolve("laurel.stderr");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("laurel exits").isTrue();
            return new Result(p.exitValue(), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    /** A config whose {@code user:} is written as {@code userLines}; its events go to a directory nobody owns. */
    private Path configWithUser(String name, String userLines, Path out) throws IOException {
        return write(tmp.resolve(name + ".yaml"), userLines + "\n" + jsonFileConfig(out));
    }

    private void runsAsNobody(String name, String userLines) throws Exception {
        Path outDir = dir(name, NOBODY, "rwxr-xr-x");
        Path out = outDir.resolve("audit.jsonl");
        Result r = laurel(configWithUser(name, userLines, out), CAPTURE, Map.of());
        assertThat(r.status).as(r.err).isZero();
        assertThat(Files.getAttribute(out, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                .as("the events were written by laurel running as nobody (%s)", userLines).isEqualTo(NOBODY);
    }

    @Test
    void runsAsTheUserOfThePlainSpelling() throws Exception {
        runsAsNobody("plain", "user: nobody   # the account");
    }

    @Test
    void runsAsTheUserOfAQuotedKey() throws Exception {
        runsAsNobody("quoted", "\"user\": 'nobody'");
    }

    @Test
    void runsAsTheUserOfAKeyWithASpaceBeforeTheColon() throws Exception {
        runsAsNobody("spaced", "user : nobody");
    }

    @Test
    void runsAsTheUserOfAValueOnTheNextLine() throws Exception {
        runsAsNobody("next-line", "user:\n  nobody");
    }

    @Test
    void runsAsTheUserOfAnEscapedKey() throws Exception {
        runsAsNobody("escaped", "\"\\x75ser\": nobody");
    }

    @Test
    void anUnknownUserIsAConfigErrorNotARunAsRoot() throws Exception {
        Path out = tmp.resolve("audit.jsonl");
        Result r = laurel(configWithUser("unknown", "user: no-such-account-here", out), CAPTURE, Map.of());
        assertThat(r.status).as(r.err).isEqualTo(78);
        assertThat(r.err).contains("user \"no-such-account-here\" does not exist");
        assertThat(out).doesNotExist();
    }

    @Test
    void aUserWithoutSetprivIsAConfigErrorNotARunAsRoot() throws Exception {
        // A PATH with what the launcher needs but setpriv (it keeps a PATH that has a /usr/bin).
        Path bin = Files.createDirectories(tmp.resolve("no-setpriv/usr/bin"));
        for (String tool : List.of("id", "grep", "rm", "mv")) {
            Path wrapper = Files.writeString(bin.resolve(tool),
                    "#!/bin/sh\nexec " + run(List.of("sh", "-c", "command -v " + tool)).trim() + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path out = tmp.resolve("audit.jsonl");
        Result r = laurel(configWithUser("no-setpriv", "user: nobody", out), CAPTURE,
                Map.of("PATH", bin.toString(), "JAVA_HOME", System.getProperty("java.home")));
        assertThat(r.status).as(r.err).isEqualTo(78);
        assertThat(r.err).contains("cannot run as user \"nobody\": setpriv(1) is missing; install util-linux");
        assertThat(out).doesNotExist();
    }

    @Test
    void theJavaProcessRefusesToRunAsRootWhenTheConfigNamesAnotherUser() throws Exception {
        // What the launcher would do if it missed the user: (an older launcher, or java run by hand).
        Path out = tmp.resolve("audit.jsonl");
        Path config = configWithUser("direct", "user: nobody", out);
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java",
                "-cp", DIST.resolve("lib") + "/*", "dev.laurel.engine.cli.Main", "--config", config.toString());
        pb.environment().put("LAUREL_LOG", "stderr");
        pb.redirectInput(CAPTURE.toFile());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Path err = tmp.resolve("direct.stderr");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(err);
        assertThat(p.exitValue()).as(log).isEqualTo(78);
        assertThat(log).contains("user: nobody, but laurel runs as root");
        assertThat(out).doesNotExist();
    }

    @Test
    void aHugeConfigIsRejectedWithoutTheLauncherReadingItLineByLine() throws Exception {
        Path config = tmp.resolve("huge.yaml");
        try (RandomAccessFile f = new RandomAccessFile(config.toFile(), "rw")) {
            byte[] comment = ("#" + "x".repeat(78) + "\n").getBytes(StandardCharsets.US_ASCII);
            byte[] block = new byte[comment.length * 1024];
            for (int i = 0; i < 1024; i++) {
                System.arraycopy(comment, 0, block, i * comment.length, comment.length);
            }
            f.write(jsonFileConfig(tmp.resolve("audit.jsonl")).getBytes(StandardCharsets.US_ASCII));
            for (long written = 0; written < 100L << 20; written += block.length) {
                f.write(block);
            }
            f.write("user: nobody\n".getBytes(StandardCharsets.US_ASCII));
        }
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

        long start = System.nanoTime();
        Result r = laurel(config, CAPTURE, Map.of());
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        assertThat(r.status).as(r.err).isEqualTo(78);
        assertThat(r.err).contains(config.toString()).contains("a config is at most 3 MiB");
        assertThat(seconds).as("a generous bound: a line-by-line read in shell took minutes").isLessThan(20);
    }

    /** The Cap* lines of the /proc/self/status of a pipe sink's command, laurel run with {@code userLine}. */
    private Map<String, String> pipeCommandCapabilities(String userLine, int outDirOwner) throws Exception {
        Path outDir = dir("caps", outDirOwner, "rwxr-xr-x");
        Path caps = outDir.resolve("caps.txt");
        Path config = write(tmp.resolve("caps.yaml"), userLine + """

                proc-root: none
                sinks:
                  - type: pipe
                    command: [/bin/sh, -c, "grep ^Cap /proc/self/status > %s.tmp && mv %s.tmp %s; cat > /dev/null"]
                """.formatted(caps, caps, caps));

        Result r = laurel(config, CAPTURE, Map.of());

        assertThat(r.status).as(r.err).isZero();
        return Files.readAllLines(caps).stream()
                .map(l -> l.split(":\\s*", 2)).collect(Collectors.toMap(f -> f[0], f -> f[1]));
    }

    @Test
    void aPipeSinksCommandGetsNoneOfLaurelsCapabilities() throws Exception {
        Map<String, String> status = pipeCommandCapabilities("user: nobody", NOBODY);

        assertThat(status).as("the command's own /proc/self/status")
                .containsEntry("CapInh", "0000000000000000")
                .containsEntry("CapPrm", "0000000000000000")
                .containsEntry("CapEff", "0000000000000000")
                .containsEntry("CapAmb", "0000000000000000");
    }

    @Test
    void aPipeSinksCommandStartedByLaurelAsRootHasNoCapabilitiesEitherNotEvenInItsBoundingSet() throws Exception {
        Map<String, String> status = pipeCommandCapabilities("# no user: laurel runs as root", 0);

        assertThat(status).as("the command's own /proc/self/status")
                .containsEntry("CapInh", "0000000000000000")
                .containsEntry("CapPrm", "0000000000000000")
                .containsEntry("CapEff", "0000000000000000")
                .containsEntry("CapAmb", "0000000000000000")
                .containsEntry("CapBnd", "0000000000000000");
    }
}
