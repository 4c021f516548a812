package dev.laurel.engine.state;

import dev.laurel.api.AuditEvent;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.parse.ParsedRecord;
import dev.laurel.engine.process.ProcessTracker;








import dev.laurel.engine.testkit.Accounts;
import dev.laurel.engine.testkit.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class StateFileTest {
    private static final String LOGGER = StateFile.class.getName();
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private LogCapture captured;

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        captured = LogCapture.levelAndMessage(LOGGER);
    }

    @AfterEach
    void release() {
        captured.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ProcessTracker table() {
        ProcessTracker t = new ProcessTracker();
        t.seed(1, 0, 10, bytes("systemd"), bytes("/usr/lib/systemd/systemd"));
        t.seed(300, 1, 20, bytes("bash"), bytes("/usr/bin/bash"));
        t.label(300, "software_mgmt", true);
        return t;
    }

    private StateFile at(ProcessTracker t, Instant now, Duration maxAge) {
        return new StateFile(dir, t, maxAge, InstantSource.fixed(now));
    }

    private static final List<byte[]> PENDING = List.of(
            bytes("node=h1 type=SYSCALL msg=audit(1000.000:1): arch=c000003e syscall=59 success=yes pid=300"),
            bytes("type=CWD msg=audit(1000.000:1): cwd=\"/\""));

    @Test
    void restoresTheProcessTableAndThePendingLines() throws IOException {
        assertThat(at(table(), T0, Duration.ofHours(1)).save(PENDING)).isTrue();

        ProcessTracker restored = new ProcessTracker();
        List<byte[]> lines = at(restored, T0.plusSeconds(60), Duration.ofHours(1)).restore();

        assertThat(lines).containsExactlyElementsOf(PENDING);
        assertThat(restored.size()).isEqualTo(2);
        assertThat(restored.get(300).ppid()).isEqualTo(1);
        assertThat(restored.get(300).comm()).isEqualTo(bytes("bash"));
        assertThat(restored.get(300).exe()).isEqualTo(bytes("/usr/bin/bash"));
        assertThat(restored.get(300).labels()).containsExactly("software_mgmt");
        assertThat(restored.get(1).labels()).isEmpty();
        assertThat(captured.lines).anySatisfy(l -> assertThat(l).startsWith("INFO restored the state of")
                .contains("2 processes, 2 records of unfinished events"));
    }

    @Test
    void labelsPropagateAfterRestoring() throws IOException {
        at(table(), T0, Duration.ofHours(1)).save(List.of());
        ProcessTracker restored = new ProcessTracker();
        at(restored, T0, Duration.ofHours(1)).restore();
        // bash (300) forks 301: the propagating label must have survived the restart
        byte[] line = bytes("type=SYSCALL msg=audit(1000.000:2): arch=c000003e syscall=57 success=yes exit=301"
                + " ppid=1 pid=300 comm=\"bash\" exe=\"/usr/bin/bash\"");
        ParsedRecord fork = new LineParser().parse(line, 0, line.length);
        AuditEvent event = new AuditEvent(fork.id(), fork.node());
        event.records().add(fork.record());
        restored.observe(event);
        assertThat(restored.get(301).labels()).containsExactly("software_mgmt");
    }

    @Test
    void isWrittenWithMode0600AndLeavesNoTemporaryFile() throws IOException {
        at(table(), T0, Duration.ofHours(1)).save(PENDING);
        Path file = dir.resolve(StateFile.NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(StateFile.NAME);
        }
        byte[] data = Files.readAllBytes(file);
        assertThat(new String(data, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("LAURELst");
    }

    @Test
    void aNewSaveReplacesTheOld() throws IOException {
        at(table(), T0, Duration.ofHours(1)).save(PENDING);
        at(table(), T0.plusSeconds(5), Duration.ofHours(1)).save(List.of(PENDING.get(1)));
        List<byte[]> lines = at(new ProcessTracker(), T0.plusSeconds(6), Duration.ofHours(1)).restore();
        assertThat(lines).containsExactly(PENDING.get(1));
    }

    @Test
    void ignoresAStateOlderThanMaxAgeWithALogLine() throws IOException {
        at(table(), T0, Duration.ofHours(1)).save(PENDING);
        ProcessTracker restored = new ProcessTracker();
        restored.seed(77, 1, 5, bytes("sshd"), bytes("/usr/sbin/sshd"));

        List<byte[]> lines = at(restored, T0.plus(Duration.ofMinutes(61)), Duration.ofHours(1)).restore();

        assertThat(lines).isEmpty();
        assertThat(restored.size()).isEqualTo(1);
        assertThat(restored.get(77)).isNotNull();
        assertThat(captured.lines).containsExactly("WARN ignoring the state file " + dir.resolve(StateFile.NAME)
                + ": written 2026-11-25T12:00:00Z, 3660 s ago, longer than state-max-age 3600 s");
    }

    @Test
    void ignoresACorruptStateWithALogLine() throws IOException {
        at(table(), T0, Duration.ofHours(1)).save(PENDING);
        Path file = dir.resolve(StateFile.NAME);
        byte[] data = Files.readAllBytes(file);
        data[data.length / 2] ^= 0x40;
        Files.write(file, data);
        ProcessTracker restored = new ProcessTracker();

        assertThat(at(restored, T0, Duration.ofHours(1)).restore()).isEmpty();

        assertThat(restored.size()).isZero();
        assertThat(captured.lines).containsExactly(
                "WARN ignoring the state file " + file + ": corrupt (checksum mismatch)");
    }

    @Test
    void ignoresEveryTruncationOfAState() throws IOException {
        at(table(), T0, Duration.ofHours(1)).save(PENDING);
        Path file = dir.resolve(StateFile.NAME);
        byte[] data = Files.readAllBytes(file);
        for (int n = 0; n < data.length; n++) {
            Files.write(file, java.util.Arrays.copyOf(data, n));
            ProcessTracker restored = new ProcessTracker();
            assertThat(at(restored, T0, Duration.ofHours(1)).restore()).as("first %d bytes", n).isEmpty();
            assertThat(restored.size()).as("first %d bytes", n).isZero();
        }
        assertThat(captured.lines).hasSize(data.length).allSatisfy(l -> assertThat(l).startsWith("WARN ignoring"));
    }

    @Test
    void ignoresAnotherFormatVersionWithALogLine() throws IOException {
        Path file = dir.resolve(StateFile.NAME);
        Files.write(file, file(1, T0.toEpochMilli(), new byte[0]));

        assertThat(at(new ProcessTracker(), T0, Duration.ofHours(1)).restore()).isEmpty();

        assertThat(captured.lines).containsExactly("WARN ignoring the state file " + file
                + ": format version 1, this laurel reads version 2");
    }

    @Test
    void ignoresAFileThatIsNotAState() throws IOException {
        Path file = dir.resolve(StateFile.NAME);
        Files.writeString(file, "type=SYSCALL msg=audit(1000.000:1): pid=1 and more text than a header\n");
        assertThat(at(new ProcessTracker(), T0, Duration.ofHours(1)).restore()).isEmpty();
        assertThat(captured.lines).containsExactly("WARN ignoring the state file " + file
                + ": not a laurel state file");
    }

    @Test
    void skipsSectionsItDoesNotKnow() throws IOException {
        ByteArrayOutputStream sections = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(sections);
        out.writeInt(99);
        out.writeInt(3);
        out.write(new byte[] {1, 2, 3});
        out.writeInt(StateFile.PENDING);
        out.writeInt(4 + 4 + 5);
        out.writeInt(1);
        out.writeInt(5);
        out.write(bytes("hello"));
        out.writeInt(StateFile.END);
        Path file = dir.resolve(StateFile.NAME);
        Files.write(file, file(StateFile.VERSION, T0.toEpochMilli(), sections.toByteArray()));

        assertThat(at(new ProcessTracker(), T0, Duration.ofHours(1)).restore()).containsExactly(bytes("hello"));
    }

    @Test
    void noFileMeansAFreshStartWithoutAWarning() {
        assertThat(at(new ProcessTracker(), T0, Duration.ofHours(1)).restore()).isEmpty();
        assertThat(captured.lines).noneSatisfy(l -> assertThat(l).startsWith("WARN"));
    }

    @Test
    void aSaveIntoAMissingDirectoryFailsWithALogLine() {
        StateFile state = new StateFile(dir.resolve("gone"), table(), Duration.ofHours(1), InstantSource.fixed(T0));
        assertThat(state.save(PENDING)).isFalse();
        assertThat(captured.lines).singleElement().satisfies(l ->
                assertThat(l).startsWith("ERROR cannot write the state file " + dir.resolve("gone/laurel.state")));
    }

    @Test
    void aStateInADirectoryOfAnotherAccountIsNotRestored() throws IOException {
        assumeTrue(Accounts.isRoot(), "giving a directory to nobody needs root");
        at(table(), T0, Duration.ofHours(1)).save(PENDING);
        Files.setOwner(dir, Accounts.nobody());
        ProcessTracker restored = new ProcessTracker();

        assertThat(at(restored, T0, Duration.ofHours(1)).restore()).isEmpty();

        assertThat(restored.size()).isZero();
        assertThat(captured.lines).singleElement().satisfies(l -> assertThat(l)
                .startsWith("ERROR ignoring the state file: " + dir + ": the directory is owned by nobody (uid ")
                .endsWith("chown root " + dir));
    }

    @Test
    void aStateFileGroupOrOthersMayWriteIsNotRestored() throws IOException {
        at(table(), T0, Duration.ofHours(1)).save(PENDING);
        Path file = dir.resolve(StateFile.NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThat(at(new ProcessTracker(), T0, Duration.ofHours(1)).restore()).isEmpty();

        assertThat(captured.lines).containsExactly("ERROR ignoring the state file: " + file
                + ": group or others may write it (mode 0666), and so change what laurel wrote; chmod go-w " + file);
    }

    @Test
    void aStateFileThatIsALinkIsNotRestored() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        new StateFile(elsewhere, table(), Duration.ofHours(1), InstantSource.fixed(T0)).save(PENDING);
        Path file = dir.resolve(StateFile.NAME);
        Files.createSymbolicLink(file, elsewhere.resolve(StateFile.NAME));

        assertThat(at(new ProcessTracker(), T0, Duration.ofHours(1)).restore()).isEmpty();

        assertThat(captured.lines).singleElement().satisfies(l -> assertThat(l)
                .startsWith("ERROR ignoring the state file: " + file + ": is a symbolic link"));
    }

    @Test
    void aSaveIntoADirectoryOthersMayWriteIsRefusedAndWritesNothing() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(at(table(), T0, Duration.ofHours(1)).save(PENDING)).isFalse();

        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
        assertThat(captured.lines).singleElement().satisfies(l -> assertThat(l)
                .startsWith("ERROR cannot write the state file " + dir.resolve(StateFile.NAME))
                .contains("group or others may write the directory (mode 0777)").endsWith("chmod go-w " + dir));
    }

    /** A state file with this header, the given sections and a correct checksum. */
    private static byte[] file(int version, long written, byte[] sections) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(StateFile.MAGIC);
        out.writeInt(version);
        out.writeLong(written);
        out.write(sections);
        if (sections.length == 0) {
            out.writeInt(StateFile.END);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        return bytes.toByteArray();
    }
}
