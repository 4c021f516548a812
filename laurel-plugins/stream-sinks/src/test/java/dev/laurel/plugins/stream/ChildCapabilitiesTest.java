package dev.laurel.plugins.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildCapabilitiesTest {
    private static final List<String> COMMAND = List.of("/usr/bin/logger", "-t", "laurel");

    @TempDir
    Path dir;

    private ChildCapabilities status(String uid, String inh, String prm, String eff, String amb) throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, """
                Name:\tjava
                Uid:\t%s\t%s\t%s\t%s
                CapInh:\t%s
                CapPrm:\t%s
                CapEff:\t%s
                CapBnd:\t000001ffffffffff
                CapAmb:\t%s
                """.formatted(uid, uid, uid, uid, inh, prm, eff, amb));
        return ChildCapabilities.of(status);
    }

    @Test
    void laurelRunAsItsUserWithAmbientCapabilitiesStartsTheCommandThroughSetprivClearingThem() throws Exception {
        // bin/laurel's setpriv: --inh-caps=+sys_ptrace,+dac_read_search --ambient-caps=(same)
        ChildCapabilities caps = status("65534", "0000000000080004", "0000000000080004", "0000000000080004",
                "0000000000080004");

        assertThat(caps.argv(COMMAND, "/usr/bin/setpriv")).containsExactly("/usr/bin/setpriv", "--inh-caps=-all",
                "--ambient-caps=-all", "--", "/usr/bin/logger", "-t", "laurel");
    }

    @Test
    void laurelRunAsRootAlsoClearsTheBoundingSetSoARootChildHasNoCapabilities() throws Exception {
        ChildCapabilities caps = status("0", "0000000000000000", "000001ffffffffff", "000001ffffffffff",
                "0000000000000000");

        assertThat(caps.argv(COMMAND, "/usr/bin/setpriv")).containsExactly("/usr/bin/setpriv", "--inh-caps=-all",
                "--ambient-caps=-all", "--bounding-set=-all", "--", "/usr/bin/logger", "-t", "laurel");
    }

    @Test
    void withoutCapabilitiesToLoseTheCommandStartsAsItIs() throws Exception {
        ChildCapabilities caps = status("1000", "0000000000000000", "0000000000000000", "0000000000000000",
                "0000000000000000");

        assertThat(caps.argv(COMMAND, null)).isEqualTo(COMMAND);
    }

    @Test
    void capabilitiesToLoseWithoutSetprivAreRefused() throws Exception {
        ChildCapabilities caps = status("65534", "0000000000080004", "0000000000080004", "0000000000080004",
                "0000000000080004");

        assertThat(caps.childWouldHaveAny()).isTrue();
        assertThatThrownBy(() -> caps.argv(COMMAND, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void setprivIsFoundInPathOrWhereDebianPutsIt() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path setpriv = Files.createFile(bin.resolve("setpriv"));
        assertThat(setpriv.toFile().setExecutable(true)).isTrue();

        assertThat(ChildCapabilities.findSetpriv(bin + ":/nowhere")).isEqualTo(setpriv.toString());
        assertThat(ChildCapabilities.findSetpriv("/nowhere"))
                .isIn(null, "/usr/bin/setpriv", "/bin/setpriv");
    }
}
