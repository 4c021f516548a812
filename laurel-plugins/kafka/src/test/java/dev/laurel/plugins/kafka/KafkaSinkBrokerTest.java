package dev.laurel.plugins.kafka;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.OutputEvent;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.testkit.TestData;
import dev.laurel.plugins.testkit.MapConfig;
import dev.laurel.plugins.testkit.TestOutputs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kafka sink against a real KRaft broker in this JVM (Kafka's test kit), read back with a
 * real consumer and compared with the json-file sink's lines of the same events. Topics are not
 * created automatically, as in most production clusters: each test creates its own.
 *
 * <p>{@code -Dlaurel.kafka.copies=200 -Dlaurel.kafka.outage=20} runs the broker-restart test on
 * the 200-copy corpus (215,200 events) with a 20 s outage; the default build uses 10 copies and 5 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaSinkBrokerTest {
    private static final int COPIES = Integer.getInteger("laurel.kafka.copies", 10);
    private static final int OUTAGE_SECONDS = Integer.getInteger("laurel.kafka.outage", 5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(120);

    private TestBroker kafka;
    private Path dir;

    @BeforeAll
    void startBroker() throws Exception {
        dir = Files.createTempDirectory("laurel-kafka-test");
        kafka = TestBroker.start(Map.of("auto.create.topics.enable", "false"));
    }

    @AfterAll
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theCaptureThroughLaurelArrivesAsTheJsonFileLinesInEachKeysOrder() throws Exception {
        kafka.createTopic("capture", 3);
        Path out = dir.resolve("capture.jsonl");
        Path config = dir.resolve("capture.yaml");
        Files.writeString(config, String.join("\n",
                "input: \"" + TestData.capture() + "\"",
                "enrichers:",
                "  - type: hex-decoder",
                "sinks:",
                "  - type: json-file",
                "    file: \"" + out + "\"",
                "  - type: kafka",
                "    id: fleet",
                "    bootstrap-servers: " + kafka.bootstrapServers(),
                "    topic: capture",
                "    key: process",
                "    close-timeout: 60s",
                ""));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = dev.laurel.engine.cli.Main.run(new String[] {"--config", config.toString()},
                new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true));
        assertThat(status).as(err.toString()).isZero();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1076);

        List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll("capture", lines.size(), READ_TIMEOUT);
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            values.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        assertThat(values).hasSize(1076).containsExactlyInAnyOrderElementsOf(lines);
        // each key's events in the topic come in the order laurel wrote them
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            position.put(lines.get(i), i);
        }
        Map<String, Integer> lastOfKey = new HashMap<>();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            int at = position.get(new String(r.value(), StandardCharsets.UTF_8));
            Integer before = lastOfKey.put(key, at);
            assertThat(before == null || before < at).as("key %s out of order", key).isTrue();
            Integer part = partitionOfKey.put(key, r.partition());
            assertThat(part == null || part == r.partition()).as("key %s in two partitions", key).isTrue();
        }
        // process keys: host, pid and the process's last execve
        assertThat(lastOfKey.keySet()).anySatisfy(k -> assertThat(k).matches("[^:]+:\\d+:\\d+\\.\\d+:\\d+"));
    }

    @Test
    void aBrokerStoppedMidStreamLosesNoEventAndDropModeCountsEveryEvent() throws Exception {
        kafka.createTopic("restart", 3);
        kafka.createTopic("restart-drop", 3);
        List<OutputEvent> events = copies(COPIES);
        RecordingLog log = new RecordingLog();
        Map<String, Object> blocking = options("restart");
        blocking.put("close-timeout", Duration.ofSeconds(120));
        blocking.put("buffer-events", 300_000L);
        KafkaSink sink = sink("restart", blocking, log);
        Map<String, Object> dropping = options("restart-drop");
        dropping.put("on-full", "drop");
        dropping.put("buffer-events", 100L);
        dropping.put("close-timeout", Duration.ofSeconds(120));
        // the producer itself holds 64 KiB too, so that the outage fills both quickly
        dropping.put("producer", Map.of("buffer.memory", "65536"));
        dropping.put("batch-size", 16_384L);
        KafkaSink drop = sink("restart-drop", dropping, log);

        int third = events.size() / 3;
        CountDownLatch brokerDown = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < events.size(); i++) {
                    if (i == third) {
                        brokerDown.await(); // the rest is written while the broker is away
                    }
                    sink.write(events.get(i));
                    drop.write(events.get(i));
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "test-writer");
        try {
            writer.start();
            waitUntil(() -> sink.acknowledged() >= third / 2, Duration.ofSeconds(120), "half the first third acknowledged");
            kafka.stopBroker();
            brokerDown.countDown();
            Thread.sleep(TimeUnit.SECONDS.toMillis(OUTAGE_SECONDS));
            assertThat(sink.acknowledged()).isLessThan(events.size());
            kafka.restartBroker();
            writer.join(TimeUnit.MINUTES.toMillis(5));
            assertThat(writer.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
        } finally {
            brokerDown.countDown();
            sink.close();
            drop.close();
        }
        assertThat(sink.undelivered()).as(log.text()).isZero();
        assertThat(sink.acknowledged()).isEqualTo(events.size());
        assertThat(drop.undelivered()).as(log.text()).isZero();

        List<String> expected = lines(events);
        List<ConsumerRecord<byte[], byte[]>> got = kafka.readAll("restart", events.size(), READ_TIMEOUT);
        Map<String, Integer> seen = count(got);
        int duplicates = got.size() - seen.size();
        // sets, not AssertJ's any-order list comparison, which is quadratic (215,200 events)
        java.util.Set<String> expectedSet = new java.util.HashSet<>(expected);
        assertThat(expectedSet).hasSize(events.size());
        assertThat(seen.keySet().equals(expectedSet)).as("every event id in the topic, nothing else").isTrue();
        // idempotence: the producer's retries across the restart write nothing twice, and laurel
        // counts as many possible duplicates as the topic has
        System.out.printf("broker restart: %d events, %d s outage, %d in the topic, %d duplicates (laurel: %d), "
                        + "%d retried; on-full drop: %d written + %d dropped%n", events.size(), OUTAGE_SECONDS,
                got.size(), duplicates, sink.possibleDuplicates(), sink.retried(), drop.acknowledged(), drop.dropped());
        assertThat(duplicates).isEqualTo(sink.possibleDuplicates()).isZero();

        List<ConsumerRecord<byte[], byte[]>> kept = kafka.readAll("restart-drop", drop.acknowledged(),
                READ_TIMEOUT);
        Map<String, Integer> keptOnce = count(kept);
        assertThat(drop.dropped()).as("the outage filled the small buffer").isPositive();
        assertThat(kept.size() - keptOnce.size()).isEqualTo(drop.possibleDuplicates()).isZero();
        assertThat(kept.size() + drop.dropped()).isEqualTo(events.size());
        assertThat(expectedSet.containsAll(keptOnce.keySet())).as("only events written").isTrue();
    }

    @Test
    void closingWhileTheBrokerIsAwayEndsWithinCloseTimeoutAndCountsTheUndelivered() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("bootstrap-servers", "127.0.0.1:" + port);
        o.put("topic", "nowhere");
        o.put("close-timeout", Duration.ofSeconds(2));
        RecordingLog log = new RecordingLog();
        KafkaSink sink = sink("away", o, log);
        List<OutputEvent> events = capture();
        for (OutputEvent e : events.subList(0, 100)) {
            sink.write(e);
        }
        long start = System.nanoTime();
        sink.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(ms).isLessThan(3000);
        assertThat(sink.undelivered()).isEqualTo(100);
        assertThat(log.text()).containsPattern("kafka sink away: \\d+ sent, 0 acknowledged.*; 100 events not delivered");
    }

    @Test
    void anUnknownTopicWithAutoCreationOffGivesOneClearErrorNamingTheSink() throws Exception {
        RecordingLog log = refusedTenEvents("audit-fleet", options("no-such-topic"), Duration.ofSeconds(5));
        assertThat(log.errors()).hasSize(1);
        assertThat(log.errors().get(0)).startsWith("kafka sink audit-fleet: topic no-such-topic does not exist on "
                + kafka.bootstrapServers() + " and the brokers do not create topics automatically; create it");
    }

    // ---- helpers ----

    private Map<String, Object> options(String topic) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("bootstrap-servers", kafka.bootstrapServers());
        o.put("topic", topic);
        return o;
    }

    /** The sink with this id and these options (typed as the config loader types them). */
    static KafkaSink sink(String id, Map<String, Object> options, System.Logger log) throws Exception {
        KafkaSinkFactory f = new KafkaSinkFactory();
        PluginConfig config = new PluginConfig() {
            public String type() {
                return "kafka";
            }

            public String id() {
                return id;
            }

            @SuppressWarnings("unchecked")
            public <T> T get(Setting<T> s) {
                Object v = options.get(s.name());
                return v != null ? (T) v : s.defaultValue();
            }

            public boolean isSet(Setting<?> s) {
                return options.containsKey(s.name());
            }
        };
        PluginContext context = () -> log;
        return (KafkaSink) f.create(config, context);
    }

    private static Map<String, Integer> count(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> m = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            m.merge(new String(r.value(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        return m;
    }

    private static List<OutputEvent> captureEvents;

    /** The capture through the parser, assembler, hex-decoder and encoder, as sinks get it. */
    static synchronized List<OutputEvent> capture() throws Exception {
        if (captureEvents == null) {
            captureEvents = encode(Files.readAllLines(TestData.capture(), StandardCharsets.ISO_8859_1));
        }
        return captureEvents;
    }

    private static final Pattern MSG = Pattern.compile("msg=audit\\((\\d+)\\.(\\d+):(\\d+)\\)");

    /**
     * {@code n} copies of the capture, as bench/tools/make-corpus.py makes them: copy k moves
     * times by 1000k s and serials by k times the capture's span, so every event id is distinct.
     */
    static List<OutputEvent> copies(int n) throws Exception {
        List<String> lines = Files.readAllLines(TestData.capture(), StandardCharsets.ISO_8859_1);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (String l : lines) {
            Matcher m = MSG.matcher(l);
            if (m.find()) {
                long s = Long.parseLong(m.group(3));
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
        }
        long span = max - min + 1;
        List<String> all = new ArrayList<>(lines.size() * n);
        for (int k = 0; k < n; k++) {
            for (String l : lines) {
                Matcher m = MSG.matcher(l);
                if (m.find()) {
                    long kk = k;
                    l = m.replaceFirst(r -> "msg=audit(" + (Long.parseLong(r.group(1)) + 1000 * kk) + "."
                            + r.group(2) + ":" + (Long.parseLong(r.group(3)) + span * kk) + ")");
                }
                all.add(l);
            }
        }
        return encode(all);
    }

    private static List<OutputEvent> encode(List<String> lines) throws Exception {
        Path f = Files.createTempFile("laurel-kafka-corpus", ".log");
        try {
            Files.write(f, lines, StandardCharsets.ISO_8859_1);
            List<AuditEvent> audit = TestData.events(f);
            EventEncoder encoder = new EventEncoder();
            List<OutputEvent> out = new ArrayList<>(audit.size());
            try (Enricher hex = MapConfig.create(factory(EnricherFactory.class, "hex-decoder"), Map.of())) {
                for (AuditEvent e : audit) {
                    hex.enrich(e);
                    out.add(TestOutputs.of(e, encoder.encode(e)));
                }
            }
            return out;
        } finally {
            Files.deleteIfExists(f);
        }
    }

    static <F extends dev.laurel.api.PluginFactory<?>> F factory(Class<F> kind, String type) {
        for (F f : ServiceLoader.load(kind)) {
            if (f.type().equals(type)) {
                return f;
            }
        }
        throw new IllegalStateException(type + " is not on the test class path");
    }

    /**
     * Writes the capture to a kafka sink with these options (close-timeout 60 s), closes it and
     * checks that every event was acknowledged; returns the closed sink.
     */
    static KafkaSink deliveredCapture(String id, Map<String, Object> options, RecordingLog log) throws Exception {
        options.put("close-timeout", Duration.ofSeconds(60));
        KafkaSink sink = sink(id, options, log);
        try {
            for (OutputEvent e : capture()) {
                sink.write(e);
            }
        } finally {
            sink.close();
        }
        assertThat(sink.undelivered()).as(log.text()).isZero();
        assertThat(sink.acknowledged()).isEqualTo(capture().size());
        return sink;
    }

    /** The records' values as text, in the order given. */
    static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> values = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            values.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    /** The events' JSON lines, in the order given. */
    static List<String> lines(List<OutputEvent> events) {
        List<String> lines = new ArrayList<>(events.size());
        for (OutputEvent e : events) {
            lines.add(new String(e.json(), StandardCharsets.UTF_8));
        }
        return lines;
    }

    /**
     * Writes ten events of the capture to a kafka sink with these options (close-timeout 1 s)
     * that the brokers refuse, waits for its first error, then {@code quiet} more (the sink keeps
     * trying: an error said once is not repeated), closes it and returns what it logged.
     */
    static RecordingLog refusedTenEvents(String id, Map<String, Object> options, Duration quiet) throws Exception {
        options.put("close-timeout", Duration.ofSeconds(1));
        RecordingLog log = new RecordingLog();
        KafkaSink sink = sink(id, options, log);
        try {
            for (OutputEvent e : capture().subList(0, 10)) {
                sink.write(e);
            }
            waitUntil(() -> log.errors().size() > 0, Duration.ofSeconds(60), "an error logged");
            Thread.sleep(quiet.toMillis());
        } finally {
            sink.close();
        }
        assertThat(sink.undelivered()).as(log.text()).isEqualTo(10);
        return log;
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder dump = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, st) -> {
                    if (t.getName().startsWith("laurel-kafka") || t.getName().startsWith("kafka-producer")) {
                        dump.append(t.getName()).append('\n');
                        for (StackTraceElement e : st) {
                            dump.append("    ").append(e).append('\n');
                        }
                    }
                });
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "\n" + dump);
            }
            Thread.sleep(20);
        }
    }

    /** A logger that keeps each line formatted, with its level. */
    static final class RecordingLog implements System.Logger {
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

        public String getName() {
            return "kafka-test";
        }

        public boolean isLoggable(Level level) {
            return true;
        }

        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            add(level, msg);
        }

        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            add(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params));
        }

        private void add(Level level, String text) {
            lines.add(level + " " + text);
            if (level == Level.ERROR) {
                errors.add(text);
            }
        }

        List<String> errors() {
            synchronized (errors) {
                return List.copyOf(errors);
            }
        }

        String text() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }
}
