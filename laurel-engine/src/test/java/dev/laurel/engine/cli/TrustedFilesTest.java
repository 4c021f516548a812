package dev.laurel.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TrustedFilesTest {
    @TempDir
    Path dir;

    private Path config() throws Exception {
        Path config = dir.resolve("laurel.yaml");
        Files.writeString(config, "sinks:\n  - type: json-file\n    file: \"-\"\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return config;
    }

    private Path plugin(String name) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path plugin = Files.createDirectories(plugins.resolve(name));
        Path jar = Files.write(plugin.resolve(name + ".jar"), new byte[0]);
        Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        return jar;
    }

    private static void assumeRoot() {
        assumeTrue(TrustedFiles.effectiveUid() == 0, "these cases need files owned by root: run the tests as root");
    }

    @Test
    void rootsOwnFilesThatOnlyRootMayWritePass() throws Exception {
        assumeRoot();
        Path config = config();
        plugin("tagger");

        assertThat(TrustedFiles.problems(config, dir.resolve("plugins"))).isEmpty();
    }

    @Test
    void refusesAConfigFileOthersMayWrite() throws Exception {
        Path config = config();
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThat(TrustedFiles.problems(config, null))
                .anySatisfy(p -> assertThat(p).startsWith(config + ": group or others may write the config file (mode 0666)")
                        .contains("chmod go-w " + config));
    }

    @Test
    void refusesAConfigInADirectoryOthersMayWriteUnlessItIsSticky() throws Exception {
        Path config = config();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(TrustedFiles.problems(config, null))
                .anySatisfy(p -> assertThat(p).startsWith(dir + ": group or others may write the config file's directory"));

        Process sticky = new ProcessBuilder("chmod", "1777", dir.toString()).start();
        assertThat(sticky.waitFor()).isZero();
        assertThat(TrustedFiles.problems(config, null)).noneSatisfy(p -> assertThat(p).startsWith(dir + ":"));
    }

    @Test
    void refusesAPluginDirectoryAndJarOthersMayWriteNamingEach() throws Exception {
        Path jar = plugin("tagger");
        Path pluginDir = jar.getParent();
        Files.setPosixFilePermissions(pluginDir, PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--rw-"));

        assertThat(TrustedFiles.problems(null, dir.resolve("plugins")))
                .anySatisfy(p -> assertThat(p).startsWith(pluginDir + ": group or others may write a plugin directory (mode 0775)"))
                .anySatisfy(p -> assertThat(p).startsWith(jar + ": group or others may write a plugin jar (mode 0646)"));
    }

    @Test
    void refusesAPluginJarOwnedByAnotherUser() throws Exception {
        assumeRoot();
        Path jar = plugin("tagger");
        Process chown = new ProcessBuilder("chown", "65534", jar.toString()).start();
        assertThat(chown.waitFor()).isZero();

        assertThat(TrustedFiles.problems(null, dir.resolve("plugins")))
                .singleElement().satisfies(p -> assertThat(p)
                        .startsWith(jar + ": a plugin jar is owned by uid 65534, not root")
                        .endsWith("chown root " + jar));
    }

    @Test
    void refusesAConfigBelowADirectoryOthersMayWriteHigherUp() throws Exception {
        assumeRoot();
        Path above = Files.createDirectories(dir.resolve("etc"));
        Path below = Files.createDirectories(above.resolve("laurel"));
        Path config = Files.writeString(below.resolve("laurel.yaml"), "sinks: []\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(below, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(above, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(TrustedFiles.problems(config, null)).singleElement().satisfies(p -> assertThat(p)
                .startsWith(above + ": group or others may write a directory above the config file (mode 0777)")
                .endsWith("chmod go-w " + above));
    }

    @Test
    void refusesAConfigBehindASymbolicLinkIntoADirectoryAnotherUserOwns() throws Exception {
        assumeRoot();
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Path target = Files.writeString(theirs.resolve("laurel.yaml"), "sinks: []\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("etc")).resolve("laurel.yaml"),
                Path.of("../theirs/laurel.yaml"));
        Process chown = new ProcessBuilder("chown", "65534", theirs.toString()).start();
        assertThat(chown.waitFor()).isZero();

        assertThat(TrustedFiles.problems(link, null)).singleElement().satisfies(p -> assertThat(p)
                .startsWith(theirs + ": the config file's directory is owned by uid 65534, not root")
                .endsWith("chown root " + theirs));
    }

    @Test
    void refusesASymbolicLinkAnotherUserOwns() throws Exception {
        assumeRoot();
        Path config = config();
        Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), config);
        Process chown = new ProcessBuilder("chown", "-h", "65534", link.toString()).start();
        assertThat(chown.waitFor()).isZero();

        assertThat(TrustedFiles.problems(link, null)).singleElement().satisfies(p -> assertThat(p)
                .startsWith(link + ": a symbolic link on the way to the config file is owned by uid 65534, not root")
                .endsWith("chown -h root " + link));
    }

    @Test
    void aLoopOfSymbolicLinksIsLeftToTheLoader() throws Exception {
        Path a = dir.resolve("a.yaml");
        Files.createSymbolicLink(a, dir.resolve("b.yaml"));
        Files.createSymbolicLink(dir.resolve("b.yaml"), a);

        assertThat(TrustedFiles.problems(a, null)).isEmpty();
    }

    @Test
    void filesThatDoNotExistAreLeftToTheLoader() {
        assertThat(TrustedFiles.problems(dir.resolve("absent.yaml"), dir.resolve("no-plugins"))).isEmpty();
    }

    @Test
    void laurelRunningAsRootExits78WithoutLoadingAnUntrustedConfig() throws Exception {
        assumeRoot();
        Path config = config();
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-rw-r--"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"--config", config.toString(), "--dry-run"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(78);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("laurel: " + config + ": group or others may write the config file (mode 0664)")
                .doesNotContain("is valid");
    }
}
