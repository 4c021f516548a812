package dev.laurel.dist;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Installs the built {@code laurel-java} package with {@code dpkg -i} beside Debian's own
 * {@code laurel}, runs it on the real capture, reinstalls it over a changed conffile and purges
 * it, checking that nothing is left. Needs root (as the tests run here and in CI); skipped
 * otherwise. Changes the machine while it runs, and purges the package however it ends.
 */
class DebPackageIT {
    private static final Path DEB = Path.of(System.getProperty("laurel.deb", "target/laurel-java_0.1.0-SNAPSHOT_all.deb"))
            .toAbsolutePath();
    private static final Path CAPTURE = TestData.root().resolve("testdata/real-enriched.log");
    private static final Path REFERENCE = TestData.root().resolve("testdata/real-enriched.laurel-0.5.1.jsonl");
    private static final String PACKAGE = "laurel-java";
    private static final String USER = "_laurel-java";
    private static final Path LOG_DIR = Path.of("/var/log/laurel-java");
    private static final Path STATE_DIR = Path.of("/var/lib/laurel-java");
    private static final Path CONFIG = Path.of("/etc/laurel-java/laurel.yaml");
    private static final Path PLUGIN_FILE = Path.of("/etc/audit/plugins.d/laurel-java.conf");
    private static final Path DEBIAN_PLUGIN_FILE = Path.of("/etc/audit/plugins.d/laurel.conf");
    private static final Path APPARMOR_PROFILE = Path.of("/etc/apparmor.d/usr.sbin.laurel-java");
    /** Everything the package puts on the machine, by itself or through its scripts. */
    private static final List<Path> EVERYTHING = List.of(Path.of("/usr/lib/laurel-java"), Path.of("/usr/sbin/laurel-java"),
            Path.of("/etc/laurel-java"), PLUGIN_FILE, LOG_DIR, STATE_DIR, Path.of("/usr/share/man/man8/laurel-java.8"),
            Path.of("/usr/share/doc/laurel-java"), APPARMOR_PROFILE, Path.of("/etc/apparmor.d/local/usr.sbin.laurel-java"));
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int status, String out) {
    }

    private static Run run(String... command) throws Exception {
        return run(null, command);
    }

    private static Run run(Path stdin, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 300 s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static boolean installed(String pkg) throws Exception {
        Run r = run("dpkg-query", "-W", "-f=${db:Status-Status}", pkg);
        return r.status() == 0 && r.out().trim().equals("installed");
    }

    @BeforeAll
    static void rootWithDpkg() throws Exception {
        assumeTrue(Root.is(), "DebPackageIT installs a package: run it as root (CI does)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "DebPackageIT needs dpkg (a Debian system)");
        assertThat(DEB).as("the package built by jdeb in package").isRegularFile();
        if (installed(PACKAGE) || Files.exists(Path.of("/var/lib/dpkg/info/" + PACKAGE + ".list"))) {
            run("dpkg", "--purge", PACKAGE);   // left by an earlier run that was killed
        }
    }

    @AfterAll
    static void purge() throws Exception {
        if (Root.is() && Files.isExecutable(Path.of("/usr/bin/dpkg")) && installed(PACKAGE)) {
            run("dpkg", "--purge", PACKAGE);
        }
    }

    private static String mode(Path p) throws IOException {
        return String.format("%04o", (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
    }

    private static String owner(Path p) throws IOException {
        return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName() + ":"
                + Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .group().getName();
    }

    /** The files (not directories) a package owns. */
    private static Set<String> filesOf(String pkg) throws Exception {
        Run r = run("dpkg", "-L", pkg);
        assertThat(r.status()).as(r.out()).isZero();
        Set<String> files = new HashSet<>();
        for (String line : r.out().lines().toList()) {
            if (!line.isBlank() && !Files.isDirectory(Path.of(line), LinkOption.NOFOLLOW_LINKS)) {
                files.add(line);
            }
        }
        return files;
    }

    @Test
    void installsBesideDebiansLaurelRunsOnTheCaptureKeepsConffilesAndPurgesWithoutLeftovers() throws Exception {
        boolean reference = installed("laurel");
        String debianFiles = reference ? run("dpkg", "-L", "laurel").out() : null;
        byte[] debianPluginFile = Files.exists(DEBIAN_PLUGIN_FILE) ? Files.readAllBytes(DEBIAN_PLUGIN_FILE) : null;
        assertThat(run("getent", "passwd", USER).status()).as("no " + USER + " before installing").isNotZero();

        Run install = run("dpkg", "-i", DEB.toString());
        assertThat(install.status()).as(install.out()).isZero();

        // The files, with the owners and modes an admin expects.
        assertThat(owner(Path.of("/usr/sbin/laurel-java"))).isEqualTo("root:root");
        assertThat(mode(Path.of("/usr/sbin/laurel-java"))).isEqualTo("0755");
        assertThat(mode(Path.of("/usr/lib/laurel-java/bin/laurel"))).isEqualTo("0755");
        assertThat(Path.of("/usr/lib/laurel-java/lib")).isDirectoryContaining("glob:**/laurel-engine-*.jar");
        assertThat(mode(CONFIG)).isEqualTo("0644");
        assertThat(owner(CONFIG)).isEqualTo("root:root");
        assertThat(mode(PLUGIN_FILE)).isEqualTo("0640");
        assertThat(Files.readString(PLUGIN_FILE)).contains("path = /usr/sbin/laurel-java", "active = yes");
        assertThat(Path.of("/usr/share/man/man8/laurel-java.8")).isRegularFile();
        assertThat(Path.of("/usr/share/doc/laurel-java/examples/laurel.rules")).content()
                .contains("-a never,exit -F uid=" + USER);
        assertThat(mode(LOG_DIR)).isEqualTo("2750");
        assertThat(owner(LOG_DIR)).isEqualTo(USER + ":adm");
        assertThat(mode(STATE_DIR)).isEqualTo("0700");
        assertThat(owner(STATE_DIR)).isEqualTo(USER + ":" + USER);
        assertThat(Path.of("/usr/lib/laurel-java/lib/laurel.jsa")).as("class-data archive made by postinst").isRegularFile();
        assertThat(mode(Path.of("/usr/lib/laurel-java/lib/laurel.jsa"))).isEqualTo("0644");
        Run conffiles = run("dpkg-query", "-W", "-f=${Conffiles}", PACKAGE);
        assertThat(conffiles.out()).contains(CONFIG.toString(), PLUGIN_FILE.toString(), APPARMOR_PROFILE.toString());
        // Where the kernel has AppArmor on, postinst loaded the profile (complain mode).
        Path enabled = Path.of("/sys/module/apparmor/parameters/enabled");
        boolean apparmor = Files.isReadable(enabled) && Files.readString(enabled).trim().equals("Y");
        if (apparmor) {
            assertThat(Files.readString(Path.of("/sys/kernel/security/apparmor/profiles")))
                    .contains("laurel-java (complain)");
        } else {
            System.err.println("DebPackageIT: the kernel has no AppArmor; laurel-java does not run confined here");
        }
        Set<String> kernelLogBefore = apparmor ? apparmorLines() : Set.of();

        // A system account without a login.
        String[] passwd = run("getent", "passwd", USER).out().trim().split(":");
        assertThat(passwd).hasSize(7);
        assertThat(Integer.parseInt(passwd[2])).as("a system uid").isLessThan(1000);
        assertThat(passwd[6]).isEqualTo("/usr/sbin/nologin");

        // Nothing shared with Debian's laurel, which still works.
        if (reference) {
            Set<String> shared = new HashSet<>(filesOf("laurel"));
            shared.retainAll(filesOf(PACKAGE));
            assertThat(shared).as("files owned by both packages").isEmpty();
            assertThat(run("dpkg", "-L", "laurel").out()).isEqualTo(debianFiles);
            Run debian = run("/usr/sbin/laurel", "--version");
            assertThat(debian.status()).isZero();
            assertThat(debian.out()).contains("0.5.1");
            assertThat(run("getent", "passwd", "_laurel").status()).as("Debian's user is still there").isZero();
        } else {
            System.err.println("DebPackageIT: Debian's laurel is not installed; its coexistence is not checked");
        }

        // The installed command, in auditd's empty environment: runs as _laurel-java, writes the log.
        Run valid = run("env", "-i", "/usr/sbin/laurel-java", "--dry-run");
        assertThat(valid.status()).as(valid.out()).isZero();
        Run capture = run(CAPTURE, "env", "-i", "/usr/sbin/laurel-java");
        assertThat(capture.status()).as(capture.out()).isZero();
        Path log = LOG_DIR.resolve("audit.log");
        assertThat(owner(log)).isEqualTo(USER + ":adm");
        assertThat(mode(log)).isEqualTo("0640");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(ids(lines)).as("every event of the capture, once")
                .containsExactlyInAnyOrderElementsOf(ids(Files.readAllLines(REFERENCE, StandardCharsets.UTF_8)));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"PARENT_INFO\":"));
        if (apparmor) {
            // Confined (complain mode logs what enforce mode would refuse): nothing logged.
            Set<String> denials = apparmorLines();
            denials.removeAll(kernelLogBefore);
            assertThat(denials).as("AppArmor messages for laurel-java in the kernel log").isEmpty();
        }

        // A changed conffile survives a reinstall (as on upgrade).
        Files.writeString(CONFIG, Files.readString(CONFIG) + "# changed by the admin\n");
        Run reinstall = run("dpkg", "-i", "--force-confold", DEB.toString());
        assertThat(reinstall.status()).as(reinstall.out()).isZero();
        assertThat(Files.readString(CONFIG)).endsWith("# changed by the admin\n");
        assertThat(LOG_DIR.resolve("audit.log")).as("logs kept on upgrade").exists();

        Run purge = run("dpkg", "--purge", PACKAGE);
        assertThat(purge.status()).as(purge.out()).isZero();
        for (Path p : EVERYTHING) {
            assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).as(p + " after purge").isFalse();
        }
        assertThat(run("getent", "passwd", USER).status()).as(USER + " after purge").isNotZero();
        assertThat(run("getent", "group", USER).status()).as("group " + USER + " after purge").isNotZero();
        if (reference) {
            assertThat(run("dpkg", "-L", "laurel").out()).as("Debian's laurel untouched").isEqualTo(debianFiles);
            assertThat(Files.readAllBytes(DEBIAN_PLUGIN_FILE)).isEqualTo(debianPluginFile);
        }
    }

    /** The kernel log's AppArmor messages about laurel-java (with auditd running they go to its log instead). */
    private static Set<String> apparmorLines() throws Exception {
        Set<String> out = new HashSet<>();
        for (String line : run("dmesg").out().lines().toList()) {
            if (line.contains("profile=\"laurel-java\"")) {
                out.add(line);
            }
        }
        return out;
    }

    private static List<String> ids(List<String> lines) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            ids.add(JSON.readTree(line).path("ID").asText());
        }
        return ids;
    }
}
