package dev.laurel.plugins.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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

    private final KafkaClusterTestKit cluster;
    private final Path dir;

    private TestBroker(KafkaClusterTestKit cluster, Path dir) {
        this.cluster = cluster;
        this.dir = dir;
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
        Exception first = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                return startOnce(brokerProps, protocol);
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

    private static TestBroker startOnce(Map<String, String> brokerProps, SecurityProtocol protocol) throws Exception {
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
            return new TestBroker(cluster, dir);
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

    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = cluster.admin()) {
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
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, long expected, Duration timeout,
                                                 Map<String, Object> security) {
        Map<String, Object> props = new HashMap<>(security);
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
