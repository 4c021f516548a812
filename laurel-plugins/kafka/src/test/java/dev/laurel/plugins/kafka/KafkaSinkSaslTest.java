package dev.laurel.plugins.kafka;

import dev.laurel.api.OutputEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.capture;
import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.sink;
import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kafka sink against a real broker whose listener wants SASL (PLAIN, the mechanism Kafka's
 * test kit sets up): the right password from a password-file delivers, a wrong one gives one
 * clear error naming the sink.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaSinkSaslTest {
    private TestBroker kafka;

    @BeforeAll
    void startBroker() throws Exception {
        kafka = TestBroker.start(Map.of("auto.create.topics.enable", "false"), SecurityProtocol.SASL_PLAINTEXT);
        kafka.createTopic("sasl", 1);
    }

    @AfterAll
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private Map<String, Object> options(Path dir, String password) throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, password + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("bootstrap-servers", kafka.bootstrapServers());
        o.put("topic", "sasl");
        o.put("sasl-mechanism", "plain");
        o.put("username", "plain-admin"); // the test kit's super user: plain-user1 has no ACLs
        o.put("password-file", file.toString());
        return o;
    }

    @Test
    void theRightPasswordFromAPasswordFileDelivers(@TempDir Path dir) throws Exception {
        Map<String, Object> o = options(dir, "plain-admin-secret");
        o.put("close-timeout", Duration.ofSeconds(60));
        KafkaSinkBrokerTest.RecordingLog log = new KafkaSinkBrokerTest.RecordingLog();
        KafkaSink sink = sink("secure", o, log);
        List<OutputEvent> events = capture();
        try {
            for (OutputEvent e : events) {
                sink.write(e);
            }
        } finally {
            sink.close();
        }
        assertThat(sink.undelivered()).as(log.text()).isZero();
        assertThat(log.text()).doesNotContain("plain-admin-secret");
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAll("sasl", events.size(), Duration.ofSeconds(120),
                Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                        "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                + "username=\"plain-admin\" password=\"plain-admin-secret\";"))) {
            values.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        List<String> expected = new ArrayList<>();
        for (OutputEvent e : events) {
            expected.add(new String(e.json(), StandardCharsets.UTF_8));
        }
        assertThat(values).containsExactlyElementsOf(expected); // one partition: laurel's order
    }

    @Test
    void aWrongPasswordGivesOneClearErrorNamingTheSink(@TempDir Path dir) throws Exception {
        Map<String, Object> o = options(dir, "not-the-password");
        o.put("close-timeout", Duration.ofSeconds(1));
        KafkaSinkBrokerTest.RecordingLog log = new KafkaSinkBrokerTest.RecordingLog();
        KafkaSink sink = sink("secure", o, log);
        try {
            for (OutputEvent e : capture().subList(0, 10)) {
                sink.write(e);
            }
            waitUntil(() -> log.errors().size() > 0, Duration.ofSeconds(60), "an error logged");
            Thread.sleep(5000); // the sink keeps trying: the error is not repeated
        } finally {
            sink.close();
        }
        assertThat(log.errors()).hasSize(1);
        assertThat(log.errors().get(0)).startsWith("kafka sink secure: authentication to "
                + kafka.bootstrapServers() + " failed: ").contains("check username and password-file");
        assertThat(log.text()).doesNotContain("not-the-password");
        assertThat(sink.undelivered()).isEqualTo(10);
    }
}
