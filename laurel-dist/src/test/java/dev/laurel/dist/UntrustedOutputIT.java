package dev.laurel.dist;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real {@code bin/laurel}, run as root, against directories an unprivileged account
 * ({@code nobody}) owns or could write: laurel never writes through a link that account planted,
 * never creates a file of root's through a dangling one, gives new files the configured mode,
 * never restores a state that account forged, and a dry run creates nothing.
 */
class UntrustedOutputIT {
    private static final Path DIST = Path.of(System.getProperty("laurel.dist", "target/laurel")).toAbsolutePath();
    private static final Path LAUREL = DIST.resolve("bin/laurel");
    private static final String SECRET = "root:secret-hash:20000:0:99999:7:::\n";

    @TempDir
    Path tmp;

    @BeforeEach
    void openTheTestDirectoryToNobody() throws IOException {
        assumeTrue(Root.is(), "these tests run laurel as root against an unprivileged account's files");
        // nobody must reach the directories it is given below
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static UserPrincipal nobody() throws IOException {
        return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }

    /** Runs {@code command} as the unprivileged account nobody. */
    private static void asNobody(String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=" + nobodyGid(),
                "--clear-groups", "--"));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("as nobody: %s: %s", argv, output).isZero();
    }

    private static String nobodyGid() throws Exception {
        Process p = new ProcessBuilder("id", "-g", "nobody").start();
        String gid = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return gid;
    }

    /** A directory of nobody's, mode 0755: nobody may put anything in it. */
    private Path nobodysDirectory(String name) throws IOException {
        Path dir = directory(name);
        Files.setOwner(dir, nobody());
        return dir;
    }

    /** A directory of root's, mode 0755. */
    private Path directory(String name) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** A root-owned file nobody would like laurel to append to. */
    private Path victim() throws IOException {
        Path victim = Files.writeString(tmp.resolve("shadow"), SECRET);
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        return victim;
    }

    private Path config(String yaml) throws IOException {
        Path file = tmp.resolve("laurel.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** Events {@code from} ... {@code to}, each a SYSCALL and its EOE. */
    private static String events(int from, int to) {
        StringBuilder lines = new StringBuilder();
        for (int n = from; n <= to; n++) {
            lines.append("type=SYSCALL msg=audit(1700000000.").append(String.format("%03d", n % 1000)).append(':')
                    .append(n).append("): arch=c000003e syscall=59 success=yes exit=0 pid=").append(1000 + n)
                    .append(" auid=1000 uid=1000 comm=\"ls\" exe=\"/usr/bin/ls\"\n");
            lines.append("type=EOE msg=audit(1700000000.").append(String.format("%03d", n % 1000)).append(':')
                    .append(n).append("):\n");
        }
        return lines.toString();
    }

    private record Run(int status, String stderr) {
    }

    private Run run(Path config, String input, String... options) throws Exception {
        List<String> argv = new ArrayList<>(List.of(LAUREL.toString()));
        argv.addAll(List.of(options));
        argv.addAll(List.of("--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("LAUREL_LOG", "stderr");
        Path stderr = tmp.resolve("stderr");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(stderr.toFile());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException exited) {
            // laurel refused to start before reading
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("laurel exits").isTrue();
        return new Run(p.exitValue(), Files.readString(stderr));
    }

    @Test
    void laurelAsRootRefusesAnOutputDirectoryOfNobodysAndWritesNothingThroughItsLinks() throws Exception {
        Path victim = victim();
        Path dir = nobodysDirectory("out");
        Path created = tmp.resolve("created-through-a-dangling-link");
        asNobody("ln", "-s", victim.toString(), dir.resolve("audit.log").toString());
        asNobody("ln", "-s", created.toString(), dir.resolve("filtered.log").toString());
        Path config = config("""
                sinks:
                  - type: json-file
                    file: %s
                  - type: json-file
                    id: filtered
                    file: %s
                    mode: "0600"
                """.formatted(dir.resolve("audit.log"), dir.resolve("filtered.log")));

        Run run = run(config, events(1, 20));

        assertThat(run.status()).as(run.stderr()).isEqualTo(78);
        assertThat(run.stderr()).contains(config + ":3:11: file: cannot open " + dir.resolve("audit.log")
                        + " for appending: " + dir + ": the directory is owned by nobody (uid ")
                .contains("not by root; another account could make laurel write through a link it puts there; "
                        + "chown root " + dir)
                .contains(config + ":6:11: file: cannot open " + dir.resolve("filtered.log"));
        assertThat(Files.readString(victim)).isEqualTo(SECRET);
        assertThat(created).doesNotExist();
    }

    @Test
    void aReopenIntoADirectoryGivenToNobodyHoldsTheEventsUntilItIsFixed() throws Exception {
        Path victim = victim();
        Path dir = directory("out");
        Path out = dir.resolve("audit.log");
        Path config = config("""
                sinks:
                  - type: json-file
                    file: %s
                    mode: "0600"
                """.formatted(out));
        ProcessBuilder pb = new ProcessBuilder(LAUREL.toString(), "--config", config.toString());
        pb.environment().put("LAUREL_LOG", "stderr");
        Path stderr = tmp.resolve("stderr");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(stderr.toFile());
        Process laurel = pb.start();
        try (OutputStream auditd = laurel.getOutputStream()) {
            auditd.write(events(1, 10).getBytes(StandardCharsets.ISO_8859_1));
            auditd.flush();
            await("the first events written", () -> contains(out, "\"1700000000.010:10\""));

            // the directory goes to nobody, who moves the file away and plants a link
            Files.setOwner(dir, nobody());
            asNobody("mv", out.toString(), dir.resolve("audit.log.old").toString());
            asNobody("ln", "-s", victim.toString(), out.toString());
            signal(laurel, "HUP");
            await("the refusal logged", () -> contains(stderr, "chown root " + dir));
            auditd.write(events(11, 20).getBytes(StandardCharsets.ISO_8859_1));
            auditd.flush();
            Thread.sleep(1000);
            assertThat(Files.readString(victim)).isEqualTo(SECRET);
            assertThat(laurel.isAlive()).isTrue();

            // fixed: the held events go to a new file of the configured mode
            Files.setOwner(dir, Files.getOwner(tmp));
            Files.delete(out);
            auditd.write(events(21, 30).getBytes(StandardCharsets.ISO_8859_1));
            auditd.flush();
            await("the held events written", () -> contains(out, "\"1700000000.030:30\""));
        } finally {
            assertThat(laurel.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        String log = Files.readString(stderr);
        assertThat(laurel.exitValue()).as(log).isZero();
        assertThat(Files.readString(victim)).isEqualTo(SECRET);
        assertThat(Files.readAllLines(dir.resolve("audit.log.old"))).hasSize(10);
        assertThat(Files.readAllLines(out)).hasSize(20).first().asString().startsWith("{\"ID\":\"1700000000.011:11\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-------");
        assertThat(log).contains("json-file " + out + ": cannot write it (" + dir + ": the directory is owned by nobody");
    }

    @Test
    void aForgedStateInAStateDirectoryOfNobodysIsNeverUsed() throws Exception {
        Path state = nobodysDirectory("state");
        Path forged = Files.write(tmp.resolve("forged.state"), forgedState(
                "type=SYSCALL msg=audit(1700000000.000:4242): arch=c000003e syscall=59 success=yes exit=0 pid=1"
                        + " auid=0 uid=0 comm=\"forged\" exe=\"/usr/bin/forged\""));
        asNobody("cp", forged.toString(), state.resolve("laurel.state").toString());
        Path out = directory("out").resolve("audit.log");
        Path config = config("""
                state: %s
                proc-root: none
                sinks:
                  - type: json-file
                    file: %s
                """.formatted(state, out));

        Run run = run(config, "type=EOE msg=audit(1700000000.000:4242):\n" + events(1, 3));

        assertThat(run.status()).as(run.stderr()).isEqualTo(78);
        assertThat(run.stderr()).contains(config + ":1:8: state: refusing the state directory, as laurel would "
                + "restore what another account wrote there: " + state + ": the directory is owned by nobody (uid ")
                .contains("chown root " + state);
        assertThat(Files.exists(out) ? Files.readString(out) : "").doesNotContain("forged");
    }

    @Test
    void aDryRunCreatesNoFileAndReportsWhatWouldFail() throws Exception {
        Path dir = directory("out");
        Path config = config("""
                diagnostics:
                  parse-error-log: %s
                sinks:
                  - type: json-file
                    file: %s
                """.formatted(dir.resolve("parse-errors.log"), dir.resolve("events.jsonl")));

        Run valid = run(config, "", "--dry-run");

        assertThat(valid.status()).as(valid.stderr()).isZero();
        assertThat(valid.stderr()).contains(config + " is valid");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }

        Path missing = tmp.resolve("missing/events.jsonl");
        Files.writeString(config, "sinks:\n  - type: json-file\n    file: " + missing + "\n");
        Run invalid = run(config, "", "--dry-run");
        assertThat(invalid.status()).isEqualTo(78);
        assertThat(invalid.stderr()).contains(config + ":3:11: file: cannot open " + missing
                + " for appending: its directory does not exist");
        assertThat(tmp.resolve("missing")).doesNotExist();
    }

    /** A valid state file (format version 2, written now) whose only content is one pending line. */
    private static byte[] forgedState(String pendingLine) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("LAURELst".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(2);
        out.writeLong(System.currentTimeMillis());
        byte[] line = pendingLine.getBytes(StandardCharsets.ISO_8859_1);
        out.writeInt(2);                  // the pending lines section
        out.writeInt(4 + 4 + line.length);
        out.writeInt(1);
        out.writeInt(line.length);
        out.write(line);
        out.writeInt(0);                  // end
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        return bytes.toByteArray();
    }

    private static void signal(Process process, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 60 s for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(file)
                    && Files.readString(file, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
