package dev.laurel.plugins.syslog;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;
import dev.laurel.plugins.testkit.MapConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyslogSinkFactoryTest {

    private static SinkFactory factory() {
        return Capture.factory(SinkFactory.class, "syslog");
    }

    @Test
    void isFoundByServiceLoaderAsSyslog() {
        assertThat(factory()).isInstanceOf(SyslogSinkFactory.class);
        assertThat(factory().settings()).extracting(s -> s.name())
                .contains("transport", "host", "port", "path", "header", "framing", "facility",
                        "severity", "app-name", "hostname", "message-prefix", "max-message-size",
                        "oversize", "buffer-events", "on-full", "replay-bytes", "ca-file",
                        "client-certificate", "client-key", "verify-hostname");
    }

    @Test
    void networkTransportsNeedAHostAndEveryMisplacedOptionIsReportedAtOnce() {
        Map<String, Object> o = new HashMap<>();
        o.put("transport", "tcp");
        o.put("path", "/dev/log");
        o.put("ca-file", "/etc/ssl/ca.pem");
        assertThatThrownBy(() -> MapConfig.create(factory(), o))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigException.Problem::setting, ConfigException.Problem::message)
                        .containsExactlyInAnyOrder(
                                org.assertj.core.groups.Tuple.tuple("host", "is required with transport tcp"),
                                org.assertj.core.groups.Tuple.tuple("path", "applies to transport unix only"),
                                org.assertj.core.groups.Tuple.tuple("ca-file", "applies to transport tls only")));
    }

    @Test
    void framingAndReplayApplyToStreamTransportsOnly() {
        Map<String, Object> o = new HashMap<>(Map.of("transport", "udp", "host", "127.0.0.1",
                "framing", "lf", "replay-bytes", 10L));
        assertThatThrownBy(() -> MapConfig.create(factory(), o))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigException.Problem::setting)
                        .containsExactlyInAnyOrder("framing", "replay-bytes"));
    }

    @Test
    void anUnreadableCaFileIsAConfigError() {
        Map<String, Object> o = Map.of("transport", "tls", "host", "localhost", "ca-file", "/nonexistent/ca.pem");
        assertThatThrownBy(() -> MapConfig.create(factory(), o))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigException.Problem::message)
                        .containsExactly("cannot read /nonexistent/ca.pem"));
    }

    @Test
    void anAppNameWithASpaceIsRejected() {
        assertThat(SyslogSinkFactory.APP_NAME.firstProblem("lau rel")).isNotNull();
        assertThat(SyslogSinkFactory.APP_NAME.firstProblem("laurel")).isNull();
    }

    @Test
    void aUnixSinkIsCreatedEvenWithoutAReceiver() throws Exception {
        try (Sink sink = MapConfig.create(factory(), Map.of("transport", "unix", "path", "/nonexistent/log",
                "close-timeout", 0L))) {
            assertThat(sink).isInstanceOf(SyslogSink.class);
        }
    }

    @Test
    void rfc5424HeaderHasPriorityVersionTimeHostAppPidAndNilIdAndData() {
        SyslogFormat f = new SyslogFormat(SyslogFormat.Kind.RFC5424, 10, 6, "host1", "laurel", 42, "",
                ZoneOffset.UTC);
        byte[] m = f.message(1626611363720L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(m, StandardCharsets.UTF_8))
                .isEqualTo("<86>1 2021-07-18T12:29:23.720Z host1 laurel 42 - - {\"a\":1}");
        assertThat(f.headerLength(1626611363720L)).isEqualTo(m.length - 7);
    }

    @Test
    void rfc3164HeaderHasPriorityBsdTimeHostAndTag() {
        SyslogFormat f = new SyslogFormat(SyslogFormat.Kind.RFC3164, 16, 4, "host1", "laurel", 42, "@cee: ",
                ZoneOffset.UTC);
        assertThat(new String(f.message(1625122163000L, "{}".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("<132>Jul  1 06:49:23 host1 laurel[42]: @cee: {}");
    }

    @Test
    void rfc3164WithoutHostnameIsWhatSyslog3SendsToDevLog() {
        SyslogFormat f = new SyslogFormat(SyslogFormat.Kind.RFC3164, 10, 6, null, "laurel", 42, "",
                ZoneOffset.UTC);
        assertThat(new String(f.message(1626611363720L, "{}".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("<86>Jul 18 12:29:23 laurel[42]: {}");
    }

    @Test
    void truncationNeverCutsAUtf8Sequence() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 2000; round++) {
            StringBuilder text = new StringBuilder();
            int n = 1 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                text.appendCodePoint(switch (random.nextInt(4)) {
                    case 0 -> 'a' + random.nextInt(26);
                    case 1 -> 0xE9;          // 2 bytes
                    case 2 -> 0x20AC;        // 3 bytes
                    default -> 0x1F600;      // 4 bytes
                });
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            int limit = random.nextInt(bytes.length);
            int cut = SyslogSink.utf8Boundary(bytes, limit);
            String kept = new String(bytes, 0, cut, StandardCharsets.UTF_8);
            assertThat(cut).as("seed %d", seed).isLessThanOrEqualTo(limit).isGreaterThan(limit - 4);
            assertThat(text.toString()).as("seed %d", seed).startsWith(kept);
            assertThat(kept).as("seed %d", seed).doesNotContain("\uFFFD");
        }
    }
}
