package dev.laurel.plugins.ocsf;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The numbers the format names syscalls by agree with the translate enricher's tables (ausyscall's). */
class SyscallNamesTest {

    private static Map<String, Integer> table(String arch) throws IOException {
        Path f = TestData.root().resolve(
                "laurel-plugins/translate/src/main/resources/dev/laurel/plugins/translate/syscalls-" + arch + ".txt");
        Map<String, Integer> byName = new HashMap<>();
        for (String line : Files.readAllLines(f)) {
            String[] p = line.split(" ");
            if (p.length == 2 && !line.startsWith("#")) {
                byName.put(p[1], Integer.parseInt(p[0]));
            }
        }
        return byName;
    }

    @Test
    void everyMappedSyscallOfX8664AndAarch64HasTranslatesNumber() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (var arch : Map.of("x86_64", SyscallNames.X86_64, "aarch64", SyscallNames.AARCH64).entrySet()) {
            Map<String, Integer> table = table(arch.getKey());
            for (String name : OcsfClass.syscallTable().keySet()) {
                Integer nr = table.get(name);
                String ours = nr == null ? null : SyscallNames.name(arch.getValue(), nr);
                if (nr != null && !name.equals(ours)) {
                    wrong.add(arch.getKey() + " " + nr + ": " + ours + ", translate says " + name);
                }
                checked += nr == null ? 0 : 1;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isEqualTo(SyscallNames.all().size());
        assertThat(SyscallNames.name(SyscallNames.X86_64, 59)).isEqualTo("execve");
        assertThat(SyscallNames.name(SyscallNames.AARCH64, 221)).isEqualTo("execve");
        assertThat(SyscallNames.name(0x40000003L, 11)).isNull();    // i386: left to translate
    }
}
