package dev.laurel.plugins.kafka;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.capture;
import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.deliveredCapture;
import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.lines;
import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.refusedTenEvents;
import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.values;
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
        KafkaSinkBrokerTest.RecordingLog log = new KafkaSinkBrokerTest.RecordingLog();
        deliveredCapture("secure", options(dir, "plain-admin-secret"), log);
        assertThat(log.text()).doesNotContain("plain-admin-secret");
        assertThat(values(kafka.readAll("sasl", capture().size(), Duration.ofSeconds(120))))
                .containsExactlyElementsOf(lines(capture())); // one partition: laurel's order
    }

    @Test
    void aWrongPasswordGivesOneClearErrorNamingTheSink(@TempDir Path dir) throws Exception {
        KafkaSinkBrokerTest.RecordingLog log = refusedTenEvents("secure", options(dir, "not-the-password"),
                Duration.ofSeconds(5));
        assertThat(log.errors()).hasSize(1);
        assertThat(log.errors().get(0)).startsWith("kafka sink secure: authentication to "
                + kafka.bootstrapServers() + " failed: ").contains("check username and password-file");
        assertThat(log.text()).doesNotContain("not-the-password");
    }
}
