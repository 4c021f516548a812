package dev.laurel.plugins.kafka;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link TestBroker} for bench/kafka.sh, in a process of its own so that laurel's CPU time is
 * laurel's alone. Prints {@code bootstrap HOST:PORT}, then answers one command per line on
 * standard input until it ends: {@code topic NAME PARTITIONS} creates a topic ({@code ok}),
 * {@code count NAME} prints how many records it holds. Topics are not created automatically.
 *
 * <pre>
 * java -cp TEST-CLASSPATH dev.laurel.plugins.kafka.BenchBroker
 * </pre>
 */
public final class BenchBroker {
    private BenchBroker() {
    }

    public static void main(String[] args) throws Exception {
        try (TestBroker kafka = TestBroker.start(Map.of("auto.create.topics.enable", "false"))) {
            System.out.println("bootstrap " + kafka.bootstrapServers());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] w = line.trim().split("\\s+");
                if (w.length == 3 && w[0].equals("topic")) {
                    kafka.createTopic(w[1], Integer.parseInt(w[2]));
                    System.out.println("ok");
                } else if (w.length == 2 && w[0].equals("count")) {
                    System.out.println(count(kafka, w[1]));
                } else {
                    System.out.println("error: topic NAME PARTITIONS | count NAME");
                }
                System.out.flush();
            }
        }
        System.exit(0); // the test kit's non-daemon threads
    }

    /** The records in {@code topic}: the sum of its partitions' end offsets (nothing is deleted). */
    private static long count(TestBroker kafka, String topic) {
        Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "key.deserializer", ByteArrayDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofSeconds(60))
                    .forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            long n = 0;
            for (long end : consumer.endOffsets(parts, Duration.ofSeconds(60)).values()) {
                n += end;
            }
            return n;
        }
    }
}
