package dev.laurel.plugins.kafka;

import dev.laurel.engine.testkit.LogCapture;
import dev.laurel.engine.testkit.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.capture;
import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.deliveredCapture;
import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.lines;
import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.refusedTenEvents;
import static dev.laurel.plugins.kafka.KafkaSinkBrokerTest.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kafka sink against a real broker whose listener wants TLS with a client certificate and
 * then SASL (SASL_SSL), with certificates made by the test ({@link TestCertificates}): SCRAM-SHA-256
 * and SCRAM-SHA-512 with a PKCS#12 client certificate and host names checked deliver every event;
 * a wrong CA or an address the certificate does not name gives one clear error naming the sink,
 * and laurel's other sinks get every event meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaSinkTlsTest {
    private Path dir;
    private TestCertificates certs;
    private TestBroker kafka;

    @BeforeAll
    void startBroker(@TempDir Path classDir) throws Exception {
        dir = classDir; // deleted after the last test
        certs = TestCertificates.create(dir);
        kafka = TestBroker.startSecure(Map.of("auto.create.topics.enable", "false"), certs);
    }

    @AfterAll
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** SCRAM over TLS, the PKCS#12 client certificate with its password-file, hostnames checked (the default). */
    private Map<String, Object> options(String topic, String mechanism, Path ca) throws Exception {
        Path password = dir.resolve("scram.password");
        Files.writeString(password, TestBroker.SCRAM_PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("bootstrap-servers", kafka.bootstrapServers());
        o.put("topic", topic);
        o.put("tls", true);
        o.put("ca-file", ca.toString());
        o.put("client-certificate", certs.clientStore().toString());
        o.put("client-certificate-password-file", certs.clientPasswordFile().toString());
        o.put("sasl-mechanism", mechanism);
        o.put("username", TestBroker.SCRAM_USER);
        o.put("password-file", password.toString());
        return o;
    }

    @ParameterizedTest
    @ValueSource(strings = {"scram-sha-256", "scram-sha-512"})
    void scramOverTlsWithAPkcs12ClientCertificateDeliversEveryEventInOrder(String mechanism) throws Exception {
        kafka.createTopic(mechanism, 1);
        KafkaSinkBrokerTest.RecordingLog log = new KafkaSinkBrokerTest.RecordingLog();
        KafkaSink sink = deliveredCapture("secure", options(mechanism, mechanism, certs.caPem()), log);
        assertThat(sink.status()).matches("\\d+ sent, 1076 acknowledged, \\d+ retried \\(0 possible duplicates\\), "
                + "0 failed, 0 dropped \\(buffer full\\), 0 oversize \\(truncated\\), 0 waiting");
        assertThat(log.errors()).isEmpty();
        assertThat(log.text()).doesNotContain(TestBroker.SCRAM_PASSWORD).doesNotContain(TestCertificates.STORE_PASSWORD);
        assertThat(values(kafka.readAll(mechanism, capture().size(), Duration.ofSeconds(120))))
                .containsExactlyElementsOf(lines(capture())); // one partition: laurel's order
    }

    @Test
    void aWrongCaGivesOneClearErrorNamingTheSinkAndTheCause() throws Exception {
        KafkaSinkBrokerTest.RecordingLog log = refusedTenEvents("fleet-tls",
                options("nowhere", "scram-sha-512", certs.otherCaPem()), Duration.ofSeconds(5));
        assertThat(log.errors()).hasSize(1);
        assertThat(log.errors().get(0)).startsWith("kafka sink fleet-tls: TLS handshake with " + kafka.bootstrapServers()
                        + " failed: the brokers' certificate is not signed by a CA in ca-file " + certs.otherCaPem() + " (")
                .containsPattern("\\); set ca-file to the CA that signed the brokers' certificates; \\d+ events wait in the buffer$");
    }

    @Test
    void anAddressTheBrokersCertificateDoesNotNameIsRefusedWithHostnamesChecked() throws Exception {
        Map<String, Object> o = options("nowhere", "scram-sha-256", certs.caPem());
        String byAddress = kafka.bootstrapServers().replace("localhost", "127.0.0.1");
        o.put("bootstrap-servers", byAddress);
        KafkaSinkBrokerTest.RecordingLog log = refusedTenEvents("fleet-tls", o, Duration.ZERO);
        assertThat(log.errors().get(0)).startsWith("kafka sink fleet-tls: TLS handshake with " + byAddress
                + " failed: the brokers' certificate does not name the address laurel connected to (")
                .contains("verify-hostname: false");
    }

    @Test
    void laurelWritesEveryEventToItsOtherSinksWhileTheBrokersRefuseTheKafkaSink() throws Exception {
        Path out = dir.resolve("local.jsonl");
        Path config = dir.resolve("refused.yaml");
        Path password = dir.resolve("scram.password");
        Files.writeString(password, TestBroker.SCRAM_PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(config, String.join("\n",
                "input: \"" + TestData.capture() + "\"",
                "enrichers:",
                "  - type: hex-decoder",
                "sinks:",
                "  - type: kafka",
                "    id: fleet",
                "    bootstrap-servers: " + kafka.bootstrapServers(),
                "    topic: refused",
                "    tls: true",
                "    ca-file: \"" + certs.otherCaPem() + "\"",
                "    sasl-mechanism: scram-sha-256",
                "    username: " + TestBroker.SCRAM_USER,
                "    password-file: \"" + password + "\"",
                "    close-timeout: 2s",
                "  - type: json-file",
                "    file: \"" + out + "\"",
                ""));
        int status;
        List<String> logged;
        try (LogCapture log = LogCapture.levelAndMessage("laurel.plugin.fleet")) {
            status = dev.laurel.engine.cli.Main.run(new String[] {"--config", config.toString()},
                    new PrintStream(new ByteArrayOutputStream(), true),
                    new PrintStream(new ByteArrayOutputStream(), true));
            logged = List.copyOf(log.lines);
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).as("the json-file sink gets every event").hasSize(1076);
        assertThat(lines).containsExactlyElementsOf(lines(capture()));
        assertThat(logged.stream().filter(l -> l.startsWith("ERROR"))).as(String.join("\n", logged))
                .singleElement().asString()
                .startsWith("ERROR kafka sink fleet: TLS handshake with " + kafka.bootstrapServers()
                        + " failed: the brokers' certificate is not signed by a CA in ca-file " + certs.otherCaPem());
        assertThat(logged).anySatisfy(l -> assertThat(l).matches(
                "WARN kafka sink fleet: .*; 1076 events not delivered to .* topic refused"));
        assertThat(status).as("events not delivered: exit status 74").isEqualTo(74);
    }
}
