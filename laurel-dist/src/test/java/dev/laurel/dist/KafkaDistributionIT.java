package dev.laurel.dist;

import dev.laurel.engine.testkit.TestData;
import dev.laurel.plugins.kafka.TestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kafka sink as the distribution ships it: loaded by bin/laurel from plugins/kafka/ (its own
 * class loader), writing to a real KRaft broker in this JVM (Kafka's test kit).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaDistributionIT {
    private static final Path DIST = Path.of(System.getProperty("laurel.dist", "target/laurel")).toAbsolutePath();
    private static final Path LAUREL = DIST.resolve("bin/laurel");

    private TestBroker kafka;
    private Path tmp;

    @BeforeAll
    void startBroker() throws Exception {
        tmp = Files.createTempDirectory("laurel-kafka-dist");
        kafka = TestBroker.start(Map.of("auto.create.topics.enable", "false"));
    }

    @AfterAll
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private Path config(String name, Path out, String bootstrap, String topic, String closeTimeout) throws Exception {
        Path file = tmp.resolve(name + ".yaml");
        Files.writeString(file, String.join("\n",
                "enrichers:",
                "  - type: hex-decoder",
                "sinks:",
                "  - type: json-file",
                "    file: \"" + out + "\"",
                "  - type: kafka",
                "    id: fleet",
                "    bootstrap-servers: " + bootstrap,
                "    topic: " + topic,
                "    close-timeout: " + closeTimeout,
                ""));
        return file;
    }

    @Test
    void theCaptureThroughBinLaurelReachesKafkaAsTheJsonFileLines() throws Exception {
        assertThat(DIST.resolve("lib")).isDirectoryNotContaining("glob:**/kafka-clients-*.jar");
        assertThat(DIST.resolve("plugins/kafka")).isDirectoryContaining("glob:**/kafka-clients-*.jar")
                .isDirectoryContaining("glob:**/zstd-jni-*.jar");
        kafka.createTopic("dist", 3);
        Path out = tmp.resolve("dist.jsonl");
        Path stderr = tmp.resolve("dist.err");
        ProcessBuilder pb = new ProcessBuilder(LAUREL.toString(), "--config",
                config("dist", out, kafka.bootstrapServers(), "dist", "60s").toString());
        pb.environment().put("LAUREL_LOG", "stderr");
        pb.redirectInput(TestData.capture().toFile());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(stderr.toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(stderr);
        assertThat(p.exitValue()).as(err).isZero();
        // a loaded machine may make the first send wait for metadata longer than max.block.ms:
        // that event is retried (sent twice, written once)
        assertThat(err).containsPattern("kafka sink fleet: \\d+ sent, 1076 acknowledged, \\d+ retried \\(0 possible duplicates\\), 0 failed, "
                + "0 dropped \\(buffer full\\), 0 oversize \\(truncated\\); 0 events not delivered").doesNotContain("SLF4J");
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1076);
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAll("dist", lines.size(), Duration.ofSeconds(120))) {
            values.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        assertThat(values).containsExactlyInAnyOrderElementsOf(lines);
    }

    @Test
    void sigtermWhileTheBrokerIsAwayExitsWithinCloseTimeoutAndLogsTheUndelivered() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: no broker there
        }
        Path out = tmp.resolve("away.jsonl");
        Path stderr = tmp.resolve("away.err");
        ProcessBuilder pb = new ProcessBuilder(LAUREL.toString(), "--config",
                config("away", out, "127.0.0.1:" + port, "away", "2s").toString());
        pb.environment().put("LAUREL_LOG", "stderr");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(stderr.toFile());
        Process p = pb.start();
        try {
            OutputStream auditd = p.getOutputStream();
            auditd.write(Files.readAllBytes(TestData.capture()));
            auditd.flush(); // kept open: laurel waits for more, as under auditd
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(Files.exists(out) && Files.readAllLines(out, StandardCharsets.UTF_8).size() >= 1075)) {
                assertThat(System.nanoTime()).as("the events reach the json-file sink").isLessThan(deadline);
                Thread.sleep(50);
            }
            long start = System.nanoTime();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String err = Files.readString(stderr);
            assertThat(ms).as(err).isLessThan(3000); // close-timeout 2 s + 1 s
            assertThat(err).containsPattern("kafka sink fleet: \\d+ sent, 0 acknowledged.*; 10\\d\\d events not delivered to 127.0.0.1:" + port);
            assertThat(p.exitValue()).as(err).isEqualTo(74);
        } finally {
            p.destroyForcibly();
        }
    }
}
