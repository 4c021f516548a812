package dev.laurel.dist;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SELinux policy module source (laurel-dist/src/main/dist/selinux, shipped in the archive as
 * contrib/selinux) builds into a policy package with the reference policy's development files
 * (Debian's selinux-policy-dev; CI installs it), as an RPM-based user would build it.
 */
class SelinuxPolicyTest {
    private static final Path SOURCE = TestData.root().resolve("laurel-dist/src/main/dist/selinux");
    private static final Path MAKEFILE = Path.of("/usr/share/selinux/devel/Makefile");

    @TempDir
    Path tmp;

    private static String make(Path dir) throws Exception {
        assertThat(MAKEFILE).as("the SELinux policy development files are missing: install Debian's"
                + " selinux-policy-dev (apt-get install selinux-policy-dev)").isRegularFile();
        Process p = new ProcessBuilder("make", "-f", MAKEFILE.toString(), "laurel-java.pp")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("make did not finish within 240 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.exitValue() + "\n" + out;
    }

    private void copySource(Path to) throws Exception {
        for (String name : new String[] {"laurel-java.te", "laurel-java.fc", "laurel-java.if"}) {
            Files.copy(SOURCE.resolve(name), to.resolve(name));
        }
    }

    @Test
    void theModuleBuildsIntoAPolicyPackage() throws Exception {
        copySource(tmp);
        String result = make(tmp);
        assertThat(result).as(result).startsWith("0\n");
        assertThat(tmp.resolve("laurel-java.pp")).isNotEmptyFile();
    }

    @Test
    void aBrokenRuleFailsTheBuildSoTheCheckCanFail() throws Exception {
        copySource(tmp);
        Path te = tmp.resolve("laurel-java.te");
        Files.writeString(te, Files.readString(te).replace("allow laurel_java_t auditd_t:fd use;",
                "allow laurel_java_t no_such_type_t:fd use;"));
        assertThat(make(tmp)).doesNotStartWith("0\n");
    }

    @Test
    void auditdsSocketpairIsUsableAndTheDebLayoutIsLabelled() throws Exception {
        String te = Files.readString(SOURCE.resolve("laurel-java.te"));
        assertThat(te).contains("allow laurel_java_t auditd_t:unix_stream_socket",
                "allow laurel_java_t auditd_t:fd use;", "domtrans_pattern(auditd_t, laurel_java_exec_t, laurel_java_t)");
        assertThat(Files.readString(SOURCE.resolve("laurel-java.fc"))).contains("/usr/sbin/laurel-java",
                "/etc/laurel-java(/.*)?", "/var/log/laurel-java(/.*)?", "/var/lib/laurel-java(/.*)?");
    }
}
