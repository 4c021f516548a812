package dev.laurel.plugins.kafka;

import dev.laurel.api.ConfigException;
import dev.laurel.api.SinkFactory;
import dev.laurel.plugins.testkit.MapConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/** The kafka sink's settings, checked without a broker. */
class KafkaSinkFactoryTest {

    private static Map<String, Object> base() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("bootstrap-servers", "127.0.0.1:9");
        o.put("topic", "audit");
        return o;
    }

    @Test
    void isFoundByServiceLoaderAsKafka() {
        SinkFactory found = null;
        for (SinkFactory f : ServiceLoader.load(SinkFactory.class)) {
            if (f.type().equals("kafka")) {
                found = f;
            }
        }
        assertThat(found).isInstanceOf(KafkaSinkFactory.class);
        assertThat(KafkaSinkFactory.ACKS.defaultValue()).isEqualTo("all");
        assertThat(KafkaSinkFactory.IDEMPOTENCE.defaultValue()).isTrue();
    }

    @Test
    void producerOptionsTheSinkSetsItselfAreRefusedWithTheSettingToUse() {
        Map<String, Object> o = base();
        o.put("producer", Map.of("acks", "1", "delivery.timeout.ms", "1000", "request.timeout.ms", "5000"));
        assertThatThrownBy(() -> MapConfig.create(new KafkaSinkFactory(), o))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigException.Problem::setting, ConfigException.Problem::message)
                        .containsExactlyInAnyOrder(
                                tuple("producer", "acks is set by the kafka sink itself; use the sink's acks instead"),
                                tuple("producer", "delivery.timeout.ms is set by the kafka sink itself; remove it "
                                        + "(the sink's delivery guarantees depend on it)")));
    }

    @Test
    void idempotenceNeedsAcksAllAndEveryProblemIsReportedAtOnce() {
        Map<String, Object> o = base();
        o.put("acks", "1");
        o.put("ca-file", "/nonexistent/ca.pem");
        o.put("username", "laurel");
        assertThatThrownBy(() -> MapConfig.create(new KafkaSinkFactory(), o))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigException.Problem::setting, ConfigException.Problem::message)
                        .contains(
                                tuple("idempotence", "needs acks: all; set idempotence: false to use acks: 1"),
                                tuple("ca-file", "applies with tls: true only"),
                                tuple("username", "applies with sasl-mechanism plain, scram-sha-256 or scram-sha-512 only")));
    }

    @Test
    void aPasswordFileOthersCanReadIsRefusedWithTheChmodToRun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.password");
        Files.writeString(file, "s3cret-pass\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, Object> o = base();
        o.put("sasl-mechanism", "scram-sha-512");
        o.put("username", "laurel");
        o.put("password-file", file.toString());
        assertThatThrownBy(() -> MapConfig.create(new KafkaSinkFactory(), o))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).extracting(ConfigException.Problem::setting, ConfigException.Problem::message)
                            .containsExactly(tuple("password-file", file + " can be read or changed by other users "
                                    + "(mode rw-r--r--); chmod 600 " + file));
                    assertThat(e.getMessage()).doesNotContain("s3cret");
                });
    }

    @Test
    void dryRunChecksTheConfigWithoutPrintingThePassword(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.password");
        Files.writeString(file, "s3cret-pass\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Path config = dir.resolve("laurel.yaml");
        Files.writeString(config, String.join("\n",
                "input: stdin",
                "sinks:",
                "  - type: kafka",
                "    id: fleet",
                "    bootstrap-servers: 127.0.0.1:9",
                "    topic: audit",
                "    sasl-mechanism: scram-sha-256",
                "    username: laurel",
                "    password-file: \"" + file + "\"",
                ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = dev.laurel.engine.cli.Main.run(new String[] {"--config", config.toString(), "--dry-run"},
                new PrintStream(out, true), new PrintStream(err, true));
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString() + err).doesNotContain("s3cret");
        assertThat(new KafkaSinkFactory.SecretText("s3cret").toString()).isEqualTo("[hidden]");
    }

    @Test
    void truncationKeepsWholeUtf8Characters() {
        byte[] b = "ab\u00e9cd".getBytes(java.nio.charset.StandardCharsets.UTF_8); // é is 2 bytes at 2..3
        assertThat(KafkaSink.utf8Boundary(b, 3)).isEqualTo(2);
        assertThat(KafkaSink.utf8Boundary(b, 4)).isEqualTo(4);
    }

    @Test
    void zstdCompressesAtLevelOneUnlessProducerOptionsSayOtherwise() {
        Map<String, Object> zstd = new LinkedHashMap<>();
        KafkaSinkFactory.tuneProducer(zstd, "zstd");
        assertThat(zstd).containsEntry("compression.zstd.level", "1").containsEntry("buffer.memory", "8388608");

        Map<String, Object> chosen = new LinkedHashMap<>(Map.of("compression.zstd.level", "3", "buffer.memory", "65536"));
        KafkaSinkFactory.tuneProducer(chosen, "zstd");
        assertThat(chosen).containsEntry("compression.zstd.level", "3").containsEntry("buffer.memory", "65536");

        Map<String, Object> lz4 = new LinkedHashMap<>();
        KafkaSinkFactory.tuneProducer(lz4, "lz4");
        assertThat(lz4).doesNotContainKey("compression.zstd.level");
    }
}
