package dev.laurel.dist;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AppArmor profile the .deb installs compiles with the real {@code apparmor_parser} (Debian's
 * {@code apparmor} package; CI installs it), without loading it into a kernel, and covers the
 * paths the package and its shipped config use.
 */
class AppArmorProfileTest {
    private static final Path PROFILE = TestData.root().resolve("laurel-dist/src/deb/apparmor/usr.sbin.laurel-java");
    private static final Path PARSER = Path.of("/usr/sbin/apparmor_parser");

    @TempDir
    Path tmp;

    record Result(int status, String out) {
    }

    /** apparmor_parser, compiling only: no kernel load (-Q), no cache read or write (-K -T). */
    private static Result parse(String option, Path profile) throws Exception {
        assertThat(PARSER).as("apparmor_parser is missing: install Debian's apparmor package (apt-get install apparmor)")
                .isExecutable();
        List<String> command = new ArrayList<>(List.of(PARSER.toString(), "-Q", "-K", "-T"));
        if (option != null) {
            command.add(option);
        }
        command.add(profile.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("apparmor_parser did not finish within 60 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void apparmorParserCompilesTheProfile() throws Exception {
        Result r = parse(null, PROFILE);
        assertThat(r.status()).as(r.out()).isZero();
        Result names = parse("-N", PROFILE);
        assertThat(names.out().lines()).as(names.out()).contains("laurel-java");
    }

    @Test
    void apparmorParserRejectsABrokenCopySoTheCheckCanFail() throws Exception {
        Path broken = tmp.resolve("usr.sbin.laurel-java");
        Files.writeString(broken, Files.readString(PROFILE).replace("capability setuid,", "capability setuid"));
        Result r = parse(null, broken);
        assertThat(r.status()).as(r.out()).isNotZero();
    }

    @Test
    void attachesToTheInstalledCommandAndAllowsThePathsThePackageUses() throws IOException {
        String profile = Files.readString(PROFILE);
        assertThat(profile).contains("profile laurel-java /usr/sbin/laurel-java ")
                .contains("include if exists <local/usr.sbin.laurel-java>");
        // the shipped config's state directory and log, the auditd plugin's command
        String config = Files.readString(TestData.root().resolve("laurel-dist/src/deb/etc/laurel.yaml"));
        assertThat(config).contains("state: /var/lib/laurel-java\n", "file: /var/log/laurel-java/audit.log\n");
        assertThat(profile).contains("/var/lib/laurel-java/** rwk,", "/var/log/laurel-java/** rwk,",
                "/etc/laurel-java/** r,", "/usr/lib/laurel-java/lib/laurel.jsa mr,", "/usr/lib/jvm/*/bin/java mrix,");
        assertThat(Files.readString(TestData.root().resolve("laurel-dist/src/deb/etc/laurel-java.conf")))
                .contains("path = /usr/sbin/laurel-java");
    }
}
