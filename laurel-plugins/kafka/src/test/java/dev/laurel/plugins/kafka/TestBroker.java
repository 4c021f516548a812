package dev.laurel.plugins.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node KRaft Kafka (one controller, one broker) in the test's JVM, started with
 * Kafka's own test kit: loopback, ports chosen by the kernel, data in a temporary directory
 * deleted at {@link #close()}. Start-up is bounded and tried a second time on a loaded machine.
 *
 * <pre>{@code
 * try (TestBroker kafka = TestBroker.start(Map.of())) {
 *     kafka.createTopic("audit", 3);
 *     ... kafka.bootstrapServers() ...
 * }
 * }</pre>
 */
public final class TestBroker implements AutoCloseable {
    /** How long one start-up may take: generous, as CI runs on a busy 2-core machine. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /** The SCRAM user {@link #startSecure} creates, with {@link #SCRAM_PASSWORD}; a super user. */
    public static final String SCRAM_USER = "laurel";
    public static final String SCRAM_PASSWORD = "laurel-scram-secret";

    private final KafkaClusterTestKit cluster;
    private final Path dir;
    private final Map<String, Object> clientSecurity;

    private TestBroker(KafkaClusterTestKit cluster, Path dir, Map<String, Object> clientSecurity) {
        this.cluster = cluster;
        this.dir = dir;
        this.clientSecurity = Map.copyOf(clientSecurity);
    }

    /** Starts a broker with these broker properties on top of the test kit's. */
    public static TestBroker start(Map<String, String> brokerProps) throws Exception {
        return start(brokerProps, SecurityProtocol.PLAINTEXT);
    }

    /**
     * Starts a broker whose client listener speaks {@code protocol}; with SASL_PLAINTEXT the test
     * kit sets up SASL PLAIN with the users of its {@code JaasUtils} ({@code plain-admin} /
     * {@code plain-admin-secret}, a super user).
     */
    static TestBroker start(Map<String, String> brokerProps, SecurityProtocol protocol) throws Exception {
        Map<String, Object> client = protocol == SecurityProtocol.SASL_PLAINTEXT ? plainAdmin() : Map.of();
        client = new HashMap<>(client);
        client.put("security.protocol", protocol.name);
        return start(brokerProps, protocol, client);
    }

    /**
     * Starts a broker whose client listener wants TLS with a client certificate (both signed by
     * {@code certs}' CA, the broker's naming {@code localhost}) and then SASL: PLAIN for the test
     * kit's {@code plain-admin}, SCRAM-SHA-256 and SCRAM-SHA-512 for {@link #SCRAM_USER}, whom it
     * creates. Its own clients ({@link #createTopic}, {@link #readAll}) log in as
     * {@code plain-admin} with the client certificate.
     */
    static TestBroker startSecure(Map<String, String> brokerProps, TestCertificates certs) throws Exception {
        Map<String, String> props = new HashMap<>(brokerProps);
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", certs.brokerStore().toString());
        props.put("ssl.keystore.password", TestCertificates.STORE_PASSWORD);
        props.put("ssl.key.password", TestCertificates.STORE_PASSWORD);
        props.put("ssl.truststore.type", "PEM");
        props.put("ssl.truststore.location", certs.caPem().toString());
        props.put("ssl.client.auth", "required");
        props.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
        // the test kit sets this for the broker only; the controller checks it too
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        for (String m : List.of("scram-sha-256", "scram-sha-512")) {
            props.put("listener.name.external." + m + ".sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        props.put("super.users", "User:plain-admin;User:" + SCRAM_USER);
        Map<String, Object> client = new HashMap<>(plainAdmin());
        client.put("security.protocol", "SASL_SSL");
        client.put("ssl.truststore.type", "PEM");
        client.put("ssl.truststore.location", certs.caPem().toString());
        client.put("ssl.keystore.type", "PKCS12");
        client.put("ssl.keystore.location", certs.clientStore().toString());
        client.put("ssl.keystore.password", TestCertificates.STORE_PASSWORD);
        TestBroker broker = start(props, SecurityProtocol.SASL_SSL, client);
        try {
            broker.createScramUser();
            return broker;
        } catch (Exception e) {
            broker.close();
            throw e;
        }
    }

    /** The test kit's SASL PLAIN super user, as a client logs in. */
    private static Map<String, Object> plainAdmin() {
        return Map.of("sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"plain-admin\" password=\"plain-admin-secret\";");
    }

    /** Creates {@link #SCRAM_USER} for both SCRAM mechanisms and waits until the broker knows them. */
    private void createScramUser() throws Exception {
        try (Admin admin = admin()) {
            // one mechanism per request: the brokers refuse to alter a user twice in one
            for (ScramMechanism m : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(SCRAM_USER,
                        new ScramCredentialInfo(m, 4096), SCRAM_PASSWORD))).all().get(60, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    if (admin.describeUserScramCredentials(List.of(SCRAM_USER)).all().get(10, TimeUnit.SECONDS)
                            .get(SCRAM_USER).credentialInfos().size() == 2) {
                        return;
                    }
                } catch (ExecutionException e) {
                    // not there yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker does not know SCRAM user " + SCRAM_USER + " after 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    private static TestBroker start(Map<String, String> brokerProps, SecurityProtocol protocol,
                                    Map<String, Object> clientSecurity) throws Exception {
        Exception first = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                return startOnce(brokerProps, protocol, clientSecurity);
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    e.addSuppressed(first);
                    throw e;
                }
            }
        }
        throw first;
    }

    private static TestBroker startOnce(Map<String, String> brokerProps, SecurityProtocol protocol,
                                        Map<String, Object> clientSecurity) throws Exception {
        Path dir = Files.createTempDirectory("laurel-kafka-broker");
        KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(false)
                .setNumControllerNodes(1)
                .setNumBrokerNodes(1)
                .setBaseDirectory(dir)
                .setBrokerSecurityProtocol(protocol)
                .build());
        b.setConfigProp("group.initial.rebalance.delay.ms", "0");
        b.setConfigProp("offsets.topic.replication.factor", "1");
        b.setConfigProp("transaction.state.log.replication.factor", "1");
        b.setConfigProp("num.partitions", "3");
        brokerProps.forEach(b::setConfigProp);
        KafkaClusterTestKit cluster = b.build();
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Future<?> started = starter.submit(() -> {
                cluster.format();
                cluster.startup();
                cluster.waitForReadyBrokers();
                return null;
            });
            started.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new TestBroker(cluster, dir, clientSecurity);
        } catch (Exception e) {
            closeQuietly(cluster);
            deleteTree(dir);
            throw e;
        } finally {
            starter.shutdownNow();
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** What a client of this broker sets to connect and log in (security.protocol, ssl.*, sasl.*). */
    public Map<String, Object> clientSecurity() {
        return clientSecurity;
    }

    private Admin admin() {
        Map<String, Object> props = new HashMap<>(clientSecurity);
        props.put("bootstrap.servers", bootstrapServers());
        return Admin.create(props);
    }

    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    /** The broker's id, for {@link #stopBroker()} and {@link #restartBroker()}. */
    private int brokerId() {
        return cluster.brokers().keySet().iterator().next();
    }

    /** Stops the broker (the controller keeps running); its port is closed until the restart. */
    void stopBroker() {
        var broker = cluster.brokers().get(brokerId());
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Starts the stopped broker again on the same port and waits until it is ready. */
    void restartBroker() throws Exception {
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            starter.submit(() -> {
                cluster.restartBroker(brokerId(), Map.of());
                cluster.waitForReadyBrokers();
                return null;
            }).get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            starter.shutdownNow();
        }
    }

    /**
     * Reads every record of {@code topic} from the beginning, partition by partition in offset
     * order, until {@code expected} have come or {@code timeout} passed.
     */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, long expected, Duration timeout) {
        Map<String, Object> props = new HashMap<>(clientSecurity);
        props.put("bootstrap.servers", bootstrapServers());
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        props.put("enable.auto.commit", "false");
        props.put("max.poll.records", "5000");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(60))
                    .forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(60));
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= expected) {
                    boolean atEnd = true;
                    ends = consumer.endOffsets(parts, Duration.ofSeconds(60));
                    for (TopicPartition p : parts) {
                        atEnd &= consumer.position(p) >= ends.get(p);
                    }
                    if (atEnd) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        closeQuietly(cluster);
        deleteTree(dir);
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        try {
            cluster.close();
        } catch (Exception e) {
            // the temporary directory goes anyway
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // best effort: a temporary directory
        }
    }
}
