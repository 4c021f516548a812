package dev.laurel.dist;

import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/laurel gives a config with a kafka sink a larger young generation (its producer's objects
 * live until the brokers answer; docs/plugins/kafka.md#cost) and every other config the default
 * one. The launcher runs here with a {@code java} that prints the options it was given.
 */
@Timeout(60)
class LauncherYoungGenerationTest {

    @TempDir
    Path tmp;

    @Test
    void aConfigWithAKafkaSinkGetsTheLargerYoungGeneration() throws Exception {
        for (String sink : List.of("  - type: kafka", "  - type: \"kafka\"   # the fleet",
                "  - {type: kafka, id: fleet}", "  - { \"type\": \"kafka\" }", "    type: 'kafka'")) {
            assertThat(jvmOptions("sinks:\n" + sink + "\n")).as(sink)
                    .contains(" -Xms24m -Xmn8m ").doesNotContain("-Xmn3m");
        }
    }

    @Test
    void everyOtherConfigKeepsTheDefaultYoungGeneration() throws Exception {
        for (String config : List.of(
                "sinks:\n  - type: json-file\n    file: /var/log/kafka/audit.log\n",
                "sinks:\n# - type: kafka\n  - type: json-file\n    file: /tmp/x\n",
                "sinks:\n  - type: kafka-bridge\n    topic: kafka\n")) {
            assertThat(jvmOptions(config)).as(config)
                    .contains(" -Xms16m -Xmn3m ").doesNotContain("-Xmn8m");
        }
        assertThat(jvmOptions(null)).as("no config file").contains(" -Xms16m -Xmn3m ");
    }

    /** The options bin/laurel hands to java for {@code config} (null: a file that does not exist). */
    private String jvmOptions(String config) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory(tmp, "home");
        Files.createDirectories(home.resolve("lib"));
        Path jdk = Files.createDirectories(home.resolve("jdk/bin"));
        Path java = jdk.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \" $* \"\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = home.resolve("laurel.yaml");
        if (config != null) {
            Files.writeString(file, config, StandardCharsets.UTF_8);
        }
        ProcessBuilder pb = new ProcessBuilder("sh", TestData.root().resolve("laurel-dist/src/main/dist/bin/laurel").toString(),
                "--config", file.toString());
        pb.environment().put("LAUREL_HOME", home.toString());
        pb.environment().put("JAVA_HOME", home.resolve("jdk").toString());
        pb.environment().put("LAUREL_CDS", "off");
        pb.environment().remove("LAUREL_JAVA_OPTS");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
