package dev.laurel.dist;

import dev.laurel.engine.cli.Main;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher and laurel itself fall back to the same config file, in laurel's own directory:
 * {@code /etc/laurel/} belongs to Debian's laurel package, which laurel is installed beside.
 */
class DefaultConfigPathTest {

    @Test
    void theLauncherFallsBackToTheConfigLaurelItselfNames() throws Exception {
        String launcher = Files.readString(TestData.root().resolve("laurel-dist/src/main/dist/bin/laurel"));
        Matcher m = Pattern.compile("LAUREL_CONFIG:-([^}\\s)]+)").matcher(launcher);
        List<String> defaults = new ArrayList<>();
        while (m.find()) {
            defaults.add(m.group(1));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(defaults).containsOnly("/etc/laurel-java/laurel.yaml");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("(default: /etc/laurel-java/laurel.yaml)");
        assertThat(launcher).doesNotContain("/etc/laurel/");
    }
}
