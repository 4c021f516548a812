package dev.laurel.plugins.jsonfile;

import dev.laurel.api.ConfigException;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Sink;
import dev.laurel.plugins.testkit.MapConfig;
import dev.laurel.plugins.testkit.RecordingLogger;
import dev.laurel.plugins.testkit.TestOutputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * json-file writes only where no other account can redirect it: never through a symbolic link
 * (existing or dangling), a new file created exclusively with the configured mode, and only in a
 * directory owned by root or laurel's account that others cannot write. A refusal is a config
 * error at start; on a reopen or a rotation it is logged and the events are held, not written
 * through the link, until the directory is fixed.
 */
class JsonFileTrustTest {

    @TempDir
    Path tmp;

    private final RecordingLogger log = new RecordingLogger();
    private final List<String> logged = log.lines();

    private PluginContext context(boolean dryRun) {
        return new PluginContext() {
            @Override
            public System.Logger logger() {
                return log;
            }

            @Override
            public boolean dryRun() {
                return dryRun;
            }
        };
    }

    private static PluginConfig config(Map<String, Object> values) {
        return MapConfig.of("json-file", values);
    }

    private Sink create(Path file) throws ConfigException {
        return new JsonFileSinkFactory().create(config(Map.of("file", file.toString())), context(false));
    }

    /** A file of root's (or of whoever runs the test) that another account wants laurel to write. */
    private Path victim() throws IOException {
        Path victim = Files.writeString(tmp.resolve("shadow"), "root:secret\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        return victim;
    }

    private Path directory(String name) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private static String message(ConfigException e) {
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).setting()).isEqualTo("file");
        return e.problems().get(0).message();
    }

    @Test
    void refusesToAppendThroughASymbolicLinkToAnotherFile() throws Exception {
        Path victim = victim();
        Path file = directory("log").resolve("audit.log");
        Files.createSymbolicLink(file, victim);

        assertThatThrownBy(() -> create(file).close()).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(message(e)).isEqualTo("cannot open " + file + " for appending: " + file
                        + ": is a symbolic link; laurel never writes through one (another account may have pointed "
                        + "it at a file of root's); remove it: rm " + file));
        assertThat(Files.readString(victim)).isEqualTo("root:secret\n");
    }

    @Test
    void neverCreatesAFileThroughADanglingLink() throws Exception {
        Path target = tmp.resolve("created-by-root");
        Path file = directory("log").resolve("audit.log");
        Files.createSymbolicLink(file, target);

        assertThatThrownBy(() -> create(file).close()).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(message(e)).contains("is a symbolic link"));
        assertThat(target).doesNotExist();
    }

    @Test
    void createsANewFileWithExactlyTheConfiguredMode() throws Exception {
        Path file = directory("log").resolve("audit.log");
        Sink sink = new JsonFileSinkFactory().create(config(Map.of("file", file.toString(), "mode", "0604")),
                context(false));
        sink.close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw----r--");
    }

    @Test
    void refusesADirectoryGroupOrOthersMayWrite() throws Exception {
        Path dir = directory("log");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path file = dir.resolve("audit.log");

        assertThatThrownBy(() -> create(file).close()).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(message(e)).isEqualTo("cannot open " + file + " for appending: " + dir
                        + ": group or others may write the directory (mode 0777); another account could make "
                        + "laurel write through a link it puts there; chmod go-w " + dir));
        assertThat(file).doesNotExist();
    }

    @Test
    void acceptsAStickyDirectorySuchAsTmp() throws Exception {
        Path dir = directory("sticky");
        Files.setAttribute(dir, "unix:mode", 01777);
        Path file = dir.resolve("audit.log");
        try (Sink sink = create(file)) {
            sink.write(TestOutputs.of("{\"a\":1}"));
        }
        assertThat(Files.readString(file)).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void refusesADirectoryOwnedByAnotherAccount() throws Exception {
        assumeTrue(isRoot(), "giving a directory to nobody needs root");
        Path dir = directory("log");
        Files.setOwner(dir, nobody());
        Path file = dir.resolve("audit.log");

        assertThatThrownBy(() -> create(file).close()).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(message(e)).startsWith("cannot open " + file + " for appending: " + dir
                        + ": the directory is owned by nobody (uid ").endsWith(
                        "), not by root; another account could make laurel write through a link it puts there; "
                                + "chown root " + dir));
        assertThat(file).doesNotExist();
    }

    @Test
    void aReopenIntoADirectoryThatBecameAnotherAccountsHoldsTheEventsUntilItIsFixed() throws Exception {
        Path victim = victim();
        Path dir = directory("log");
        Path file = dir.resolve("audit.log");
        Path moved = tmp.resolve("audit.log.rotated");
        Sink sink = create(file);
        sink.write(TestOutputs.of("{\"n\":1}"));
        sink.flush();

        // logrotate moves the file away; meanwhile the directory is opened to others, who plant a link
        Files.move(file, moved);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createSymbolicLink(file, victim);
        assertThatThrownBy(sink::reopen).hasMessageContaining("chmod go-w " + dir);
        sink.write(TestOutputs.of("{\"n\":2}"));
        sink.flush();
        assertThat(Files.readString(victim)).isEqualTo("root:secret\n");
        assertThat(logged).anySatisfy(l -> assertThat(l).startsWith("WARNING json-file " + file + ": cannot write it ("
                + dir + ": group or others may write the directory (mode 0777)").contains("holding events in memory"));

        // fixed: the held event goes to a new file, none through the link
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.delete(file);
        sink.write(TestOutputs.of("{\"n\":3}"));
        sink.flush();
        sink.close();
        assertThat(Files.readString(moved)).isEqualTo("{\"n\":1}\n");
        assertThat(Files.readString(file)).isEqualTo("{\"n\":2}\n{\"n\":3}\n");
        assertThat(Files.readString(victim)).isEqualTo("root:secret\n");
    }

    @Test
    void aRotationInADirectoryThatBecameWritableByOthersHoldsTheEvents() throws Exception {
        Path victim = victim();
        Path dir = directory("log");
        Path file = dir.resolve("audit.log");
        Sink sink = new JsonFileSinkFactory().create(config(Map.of("file", file.toString(), "size", 20L)),
                context(false));
        sink.write(TestOutputs.of("{\"n\":1}"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createSymbolicLink(dir.resolve("audit.log.1"), victim);

        sink.write(TestOutputs.of("{\"n\":\"reaches the size\"}"));   // the rotation: refused
        sink.write(TestOutputs.of("{\"n\":3}"));
        sink.flush();

        assertThat(Files.readString(victim)).isEqualTo("root:secret\n");
        assertThat(Files.isSymbolicLink(dir.resolve("audit.log.1"))).isTrue();
        assertThat(Files.readString(file)).isEqualTo("{\"n\":1}\n{\"n\":\"reaches the size\"}\n");
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("chmod go-w " + dir));

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.delete(dir.resolve("audit.log.1"));
        sink.flush();
        sink.close();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).endsWith("{\"n\":3}\n");
        assertThat(Files.readString(victim)).isEqualTo("root:secret\n");
    }

    @Test
    void aDryRunCreatesNothingAndReportsWhatWouldFail() throws Exception {
        Path dir = directory("log");
        Path file = dir.resolve("audit.log");
        Sink sink = new JsonFileSinkFactory().create(config(Map.of("file", file.toString())), context(true));
        sink.close();
        assertThat(file).doesNotExist();

        Path missing = tmp.resolve("no/such/audit.log");
        assertThatThrownBy(() -> new JsonFileSinkFactory().create(config(Map.of("file", missing.toString())),
                context(true))).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(message(e))
                .isEqualTo("cannot open " + missing + " for appending: its directory does not exist"));

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> new JsonFileSinkFactory().create(config(Map.of("file", file.toString())),
                context(true))).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(message(e)).endsWith("chmod go-w " + dir));
        assertThat(file).doesNotExist();
    }

    private static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static UserPrincipal nobody() throws IOException {
        return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }
}
