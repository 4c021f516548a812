package dev.laurel.plugins.filter;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.ConfigException;
import dev.laurel.api.Encoding;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.EventId;
import dev.laurel.api.PluginContext;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.process.ProcessTracker;
import dev.laurel.engine.testkit.TestData;
import dev.laurel.plugins.testkit.MapConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventFilterTest {
    /** strace (pid 3751) ptrace-attaching, key "ptrace". */
    private static final String PTRACE = "1795636828.111:631";
    /** The exec of that strace, key (null). */
    private static final String STRACE_EXEC = "1795636828.099:629";
    /** apt's http method (pid 3478) connecting to 10.255.255.53 port 53, key "net". */
    private static final String CONNECT_DNS = "1795636823.283:87";
    /** The same process connecting to 203.0.113.80 port 80, key "net". */
    private static final String CONNECT_HTTP = "1795636823.287:92";
    /** apt-get (pid 3468) connecting to the unix socket /var/run/nscd/socket, key "net". */
    private static final String CONNECT_UNIX = "1795636823.231:74";
    /** auditctl sending on a netlink socket, key (null). */
    private static final String NETLINK = "1795636823.179:42";
    /** A PAM record of runuser: user space, no SYSCALL. */
    private static final String USER_START = "1795636828.143:799";

    private final ProcessTracker processes = new ProcessTracker();
    /** The config's top-level proc-root, as the engine gives it to plugins. */
    private Path procRoot = Path.of("/proc");
    private final PluginContext context = new PluginContext() {
        @Override
        public System.Logger logger() {
            return System.getLogger("test");
        }

        @Override
        public Optional<Path> procRoot() {
            return Optional.of(procRoot);
        }

        @Override
        public ProcessTable processes() {
            return processes;
        }
    };

    private Enricher filter(Map<String, Object> options) throws ConfigException {
        Map<String, Object> all = new HashMap<>(options);
        all.putIfAbsent("keep-first-per-process", false);
        return new FilterFactory().create(MapConfig.of("filter", all), context);
    }

    /** Runs the event through process tracking and the filter, as the engine does; true if dropped. */
    private boolean dropped(Enricher filter, AuditEvent event) {
        processes.observe(event);
        filter.enrich(event);
        return event.isDropped();
    }

    private boolean dropped(Enricher filter, String id) {
        return dropped(filter, TestData.event(id));
    }

    @Test
    void dropsEventsWithAListedKeyOnly() throws Exception {
        Enricher f = filter(Map.of("keys", List.of("ptrace", "kill")));
        assertThat(dropped(f, PTRACE)).isTrue();
        assertThat(dropped(f, CONNECT_DNS)).isFalse();
        assertThat(dropped(f, STRACE_EXEC)).isFalse();
    }

    @Test
    void matchesEachOfSeveralKeysSeparatedBy0x01() throws Exception {
        Enricher f = filter(Map.of("keys", List.of("net")));
        AuditEvent e = TestData.event(PTRACE);
        // auditd hex-encodes "ptrace\001net"
        e.first(RecordType.SYSCALL).set("key", new Value.Token(
                "707472616365016E6574".getBytes(StandardCharsets.US_ASCII), Encoding.HEX));
        assertThat(dropped(f, e)).isTrue();
        AuditEvent other = TestData.event(PTRACE);
        other.first(RecordType.SYSCALL).set("key", new Value.Token(
                "7074726163650170726F63".getBytes(StandardCharsets.US_ASCII), Encoding.HEX));   // ptrace\001proc
        assertThat(dropped(f, other)).isFalse();
    }

    @Test
    void keysAlsoMatchTextLeftByTheHexDecoder() throws Exception {
        Enricher f = filter(Map.of("keys", List.of("net")));
        AuditEvent e = TestData.event(PTRACE);
        e.first(RecordType.SYSCALL).set("key", Value.text("ptrace\u0001net"));
        assertThat(dropped(f, e)).isTrue();
        AuditEvent prefix = TestData.event(PTRACE);
        prefix.first(RecordType.SYSCALL).set("key", Value.text("network"));
        assertThat(dropped(f, prefix)).isFalse();
    }

    @Test
    void noKeyDropsSyscallEventsWithoutAKeyOnly() throws Exception {
        Enricher f = filter(Map.of("no-key", true));
        assertThat(dropped(f, NETLINK)).isTrue();
        assertThat(dropped(f, STRACE_EXEC)).isTrue();
        assertThat(dropped(f, PTRACE)).isFalse();
        assertThat(dropped(f, USER_START)).isFalse();
        assertThat(dropped(filter(Map.of()), NETLINK)).isFalse();
    }

    @Test
    void dropsEventsOfLabelledProcesses() throws Exception {
        Enricher f = filter(Map.of("labels", List.of("debugger")));
        AuditEvent exec = TestData.event(STRACE_EXEC);
        processes.observe(exec);
        processes.label(3751, "debugger", false);   // as key-labeler, earlier in the chain, would
        f.enrich(exec);
        assertThat(exec.isDropped()).isTrue();
        assertThat(dropped(f, PTRACE)).isTrue();
        assertThat(dropped(f, CONNECT_DNS)).isFalse();
        processes.label(3478, "other", false);
        assertThat(dropped(f, CONNECT_HTTP)).isFalse();
    }

    @Test
    void sockaddrMatchesIpv4NetworksAndPorts() throws Exception {
        assertThat(dropped(filter(Map.of("sockaddr", List.of("10.0.0.0/8"))), CONNECT_DNS)).isTrue();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("10.255.255.53"))), CONNECT_DNS)).isTrue();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("10.255.255.0/24:53"))), CONNECT_DNS)).isTrue();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("*:53"))), CONNECT_DNS)).isTrue();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("10.255.255.0/24:80"))), CONNECT_DNS)).isFalse();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("192.168.0.0/16"))), CONNECT_DNS)).isFalse();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("*:53", "203.0.113.0/24:80"))), CONNECT_HTTP)).isTrue();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("*:53"))), CONNECT_HTTP)).isFalse();
    }

    @Test
    void sockaddrPrefixesNeedNotBeWholeBytes() throws Exception {
        // 203.0.113.80: 203.0.113.64/26 holds .64-.127, 203.0.113.0/26 only .0-.63
        assertThat(dropped(filter(Map.of("sockaddr", List.of("203.0.113.64/26"))), CONNECT_HTTP)).isTrue();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("203.0.113.0/26"))), CONNECT_HTTP)).isFalse();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("0.0.0.0/0"))), CONNECT_HTTP)).isTrue();
    }

    @Test
    void sockaddrMatchesIpv6() throws Exception {
        // record-connect: memcached client connecting to 127.0.0.1 then to [::1], port 11211
        AuditEvent v4 = TestData.fixtureEvent("record-connect", "1723819442.459:2482681");
        AuditEvent v6 = TestData.fixtureEvent("record-connect", "1723819442.459:2482682");
        assertThat(dropped(filter(Map.of("sockaddr", List.of("[::1]:11211"))), v6)).isTrue();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("::1/128"))),
                TestData.fixtureEvent("record-connect", "1723819442.459:2482682"))).isTrue();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("[::/0]:11211"))),
                TestData.fixtureEvent("record-connect", "1723819442.459:2482682"))).isTrue();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("[::1]:22", "127.0.0.0/8", "fe80::/10"))),
                TestData.fixtureEvent("record-connect", "1723819442.459:2482682"))).isFalse();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("[::1]:11211"))), v4)).isFalse();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("127.0.0.1:11211"))),
                TestData.fixtureEvent("record-connect", "1723819442.459:2482681"))).isTrue();
    }

    @Test
    void anIpv4MappedIpv6AddressMatchesIpv4Networks() throws Exception {
        AuditEvent e = TestData.fixtureEvent("record-connect", "1723819442.459:2482682");
        // ::ffff:10.1.2.3 port 443
        e.first(RecordType.SOCKADDR).set("saddr", new Value.Token(("0A0001BB00000000" + "00000000000000000000FFFF0A010203"
                + "00000000").getBytes(StandardCharsets.US_ASCII), Encoding.HEX));
        assertThat(dropped(filter(Map.of("sockaddr", List.of("10.1.0.0/16:443"))), e)).isTrue();
    }

    @Test
    void sockaddrNeverMatchesUnixOrNetlinkSockets() throws Exception {
        // The unix socket's path begins "/v" (2F 76) where an inet port would be: 12150.
        assertThat(dropped(filter(Map.of("sockaddr", List.of("*:12150", "0.0.0.0/0"))), CONNECT_UNIX)).isFalse();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("*:0", "0.0.0.0/0", "::/0"))), NETLINK)).isFalse();
    }

    @Test
    void sockaddrReadsTheFamilyInTheByteOrderOfTheArch() throws Exception {
        // ppc64 (big-endian) nc binding 0.0.0.0 port 55555: saddr=0002D903...
        AuditEvent e = TestData.fixtureEvent("record-bind-ipv4-bigendian", "1708028025.033:10");
        assertThat(dropped(filter(Map.of("sockaddr", List.of("*:55555"))), e)).isTrue();
        assertThat(dropped(filter(Map.of("sockaddr", List.of("0.0.0.0/32:55555"))),
                TestData.fixtureEvent("record-bind-ipv4-bigendian", "1708028025.033:10"))).isTrue();
    }

    @Test
    void sockaddrAlsoReadsTheRawBytesLeftByTheHexDecoder() throws Exception {
        AuditEvent e = TestData.event(CONNECT_DNS);
        Record sockaddr = e.first(RecordType.SOCKADDR);
        sockaddr.set("saddr", Value.text(((Value.Token) sockaddr.get("saddr")).decoded()));
        assertThat(dropped(filter(Map.of("sockaddr", List.of("10.255.255.53:53"))), e)).isTrue();
    }

    @Test
    void exeDropsEventsWhoseExecutableMatchesAnyRegex() throws Exception {
        Enricher f = filter(Map.of("exe", List.of("^/usr/lib/apt/", "/strace$")));
        assertThat(dropped(f, CONNECT_DNS)).isTrue();
        assertThat(dropped(f, PTRACE)).isTrue();
        assertThat(dropped(f, NETLINK)).isFalse();
        assertThat(dropped(filter(Map.of("exe", List.of("^/apt/"))), CONNECT_DNS)).isFalse();
    }

    @Test
    void serviceDropsEventsOfProcessesInASystemdServiceCgroup(@TempDir Path proc) throws Exception {
        cgroup(proc, 3478, "0::/system.slice/apt-daily.service\n");
        cgroup(proc, 3751, "0::/user.slice/user-1001.slice/session-1.scope\n");
        cgroup(proc, 3437, "12:pids:/system.slice/auditd.service\n1:name=systemd:/system.slice/auditd.service/x\n");
        procRoot = proc;
        Enricher f = filter(Map.of("service", List.of("apt-daily", "auditd.service")));
        assertThat(dropped(f, CONNECT_DNS)).isTrue();
        assertThat(dropped(f, PTRACE)).isFalse();
        assertThat(dropped(f, NETLINK)).isTrue();
        // pid 3468 has no cgroup file (it has exited): nothing to match
        assertThat(dropped(f, CONNECT_UNIX)).isFalse();
        Enricher prefixOnly = filter(Map.of("service", List.of("apt")));
        assertThat(dropped(prefixOnly, TestData.event(CONNECT_DNS))).isFalse();
    }

    @Test
    void rawLinesDropEventsWithAnyMatchingLine() throws Exception {
        Enricher f = filter(Map.of("raw-lines", List.of("^type=OBJ_PID .* ocomm=\"strace\"")));
        assertThat(dropped(f, PTRACE)).isTrue();
        assertThat(dropped(f, STRACE_EXEC)).isFalse();
        Enricher enriched = filter(Map.of("raw-lines", List.of("\u001dARCH=x86_64 SYSCALL=connect")));
        assertThat(dropped(enriched, CONNECT_HTTP)).isTrue();
        assertThat(dropped(enriched, NETLINK)).isFalse();
    }

    @Test
    void keepsTheFirstEventOfEachProcessEvenIfItMatches() throws Exception {
        Enricher f = filter(Map.of("no-key", true, "keys", List.of("ptrace"), "keep-first-per-process", true));
        assertThat(dropped(f, STRACE_EXEC)).as("exec, the first event of strace").isFalse();
        assertThat(dropped(f, PTRACE)).as("a later event of the same process").isTrue();
        // A new exec in the same pid is a new process: its first event is kept again.
        AuditEvent reexec = TestData.event(STRACE_EXEC);
        AuditEvent moved = new AuditEvent(new EventId(1795636829L, 0, 900), null);
        moved.records().addAll(reexec.records());
        assertThat(dropped(f, moved)).isFalse();
        assertThat(dropped(f, TestData.event(PTRACE))).isTrue();
    }

    @Test
    void keepFirstPerProcessIsOnByDefault() throws Exception {
        Enricher f = new FilterFactory().create(MapConfig.of("filter", Map.of("keys", List.of("ptrace"))), context);
        assertThat(dropped(f, PTRACE)).isFalse();
        assertThat(dropped(f, PTRACE)).isTrue();
    }

    @Test
    void keepsTheSameEventsAsLaurelFilteringByKeys() throws Exception {
        // LAUREL 0.5.1 has no keep-first-per-process: compare with it off.
        Enricher f = filter(Map.of("keys", List.of("fork", "ptrace", "kill")));
        List<String> kept = new ArrayList<>();
        List<AuditEvent> events = TestData.events(TestData.capture());
        for (AuditEvent e : events) {
            if (!dropped(f, e)) {
                kept.add(e.id().toString());
            }
        }
        List<String> expected = new ArrayList<>();
        try (var in = EventFilterTest.class.getResourceAsStream("laurel-0.5.1-kept-ids.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#")) {
                    expected.add(line);
                }
            }
        }
        assertThat(events).hasSize(1076);
        assertThat(expected).hasSize(695);
        assertThat(kept).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void reportsEveryBadRegexAndAddressTogether() {
        assertThatThrownBy(() -> filter(Map.of(
                "exe", List.of("^/usr/bin/(", "ok"),
                "raw-lines", List.of("[unclosed"),
                "sockaddr", List.of("10.0.0.0/33", "host.example:80", "1.2.3.4:99999", "[::1:53", "10.0.0.0/8"),
                "service", List.of("/system.slice/x"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).extracting(ConfigException.Problem::setting).containsExactly(
                            "exe", "raw-lines", "sockaddr", "sockaddr", "sockaddr", "sockaddr", "service");
                    assertThat(e.problems().get(0).message()).contains("^/usr/bin/(");
                    assertThat(e.problems().get(2).message()).contains("10.0.0.0/33").contains("prefix length");
                    assertThat(e.problems().get(3).message()).contains("host.example");
                    assertThat(e.problems().get(4).message()).contains("port");
                });
    }

    @Test
    void labelsNeedAnEngineThatTracksProcesses() {
        PluginContext bare = () -> System.getLogger("test");
        assertThatThrownBy(() -> new FilterFactory().create(
                MapConfig.of("filter", Map.of("labels", List.of("x"))), bare))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.problems().get(0).setting()).isEqualTo("labels"));
    }

    @Test
    void isFoundByItsTypeAndDescribesEveryOption() {
        EnricherFactory f = ServiceLoader.load(EnricherFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals("filter")).findFirst().orElseThrow();
        assertThat(f.settings()).extracting(s -> s.name()).containsExactly("keys", "no-key", "labels", "sockaddr",
                "exe", "service", "raw-lines", "keep-first-per-process");
        assertThat(f.settings()).allSatisfy(s -> assertThat(s.description()).isNotBlank());
        assertThat(f.requires()).isEmpty();
    }

    private static void cgroup(Path proc, long pid, String content) throws IOException {
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(proc.resolve(pid + "/cgroup"), content);
    }
}
