package dev.laurel.plugins.container;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.Value;
import dev.laurel.plugins.testkit.FakeProc;
import dev.laurel.plugins.testkit.MapConfig;
import dev.laurel.plugins.testkit.RealEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerTest {
    private static final String ID = "3f4e1b2c9d8a7f6e5d4c3b2a19087f6e5d4c3b2a19087f6e5d4c3b2a19087f6e";

    @TempDir
    Path tmp;

    private FakeProc proc() {
        return new FakeProc(tmp.resolve("proc"));
    }

    private Enricher create(FakeProc proc, Map<String, Object> options) throws ConfigException {
        Map<String, Object> all = new LinkedHashMap<>(options);
        return MapConfig.create(new ContainerFactory(), all, proc.root());
    }

    private AuditEvent enrichWithCgroup(String cgroup) throws Exception {
        FakeProc proc = proc();
        proc.process(3463).cgroup(cgroup);
        AuditEvent e = RealEvents.clone(3463);
        create(proc, Map.of()).enrich(e);
        return e;
    }

    private static String id(AuditEvent e) {
        Value info = e.extra("CONTAINER_INFO");
        if (info == null) {
            return null;
        }
        assertThat(((Value.ObjectValue) info).fields()).containsOnlyKeys("ID");
        return ((Value.Text) ((Value.ObjectValue) info).fields().get("ID")).asString();
    }

    @Test
    void findsTheDockerIdOfCgroupfsDriverPaths() throws Exception {
        assertThat(id(enrichWithCgroup("12:pids:/docker/" + ID + "\n11:memory:/docker/" + ID + "\n")))
                .isEqualTo(ID);
    }

    @Test
    void findsTheIdInSystemdDriverScopes() throws Exception {
        for (String scope : new String[]{"docker-", "cri-containerd-", "crio-", "libpod-"}) {
            assertThat(id(enrichWithCgroup("0::/system.slice/" + scope + ID + ".scope\n")))
                    .as(scope).isEqualTo(ID);
        }
    }

    @Test
    void findsTheIdInKubepodsPaths() throws Exception {
        assertThat(id(enrichWithCgroup("0::/kubepods.slice/kubepods-burstable.slice/"
                + "kubepods-burstable-pod1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d.slice/cri-containerd-" + ID + ".scope\n")))
                .isEqualTo(ID);
        assertThat(id(enrichWithCgroup("4:memory:/kubepods/besteffort/pod1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d/"
                + ID + "\n"))).isEqualTo(ID);
    }

    @Test
    void findsTheIdInASubgroupOfTheContainer() throws Exception {
        assertThat(id(enrichWithCgroup("0::/system.slice/docker-" + ID + ".scope/init\n"))).isEqualTo(ID);
    }

    @Test
    void addsNothingOutsideContainers() throws Exception {
        AuditEvent e = enrichWithCgroup("0::/user.slice/user-1000.slice/session-2.scope\n");
        assertThat(e.extras()).isEmpty();
        assertThat(enrichWithCgroup("0::/\n").extras()).isEmpty();
        assertThat(enrichWithCgroup("4:memory:/process_api/f56103496e39f3675d4893ca47c28a3c\n").extras()).isEmpty();
    }

    @Test
    void ignoresTheConmonMonitorAndUppercaseOrShortIds() throws Exception {
        assertThat(enrichWithCgroup("0::/machine.slice/libpod-conmon-" + ID + ".scope\n").extras()).isEmpty();
        assertThat(enrichWithCgroup("0::/docker/" + ID.toUpperCase() + "\n").extras()).isEmpty();
        assertThat(enrichWithCgroup("0::/docker/" + ID.substring(1) + "\n").extras()).isEmpty();
    }

    @Test
    void saysTheProcessIsGoneAtTopLevel() throws Exception {
        FakeProc proc = proc();
        AuditEvent e = RealEvents.clone(3463);
        create(proc, Map.of()).enrich(e);
        assertThat(e.extras()).containsOnlyKeys("CONTAINER_INFO_ERROR");
        assertThat(e.extra("CONTAINER_INFO_ERROR")).isEqualTo(Value.text("process gone"));
    }

    @Test
    void reportErrorsOffLeavesTheEventUnchanged() throws Exception {
        FakeProc proc = proc();
        AuditEvent e = RealEvents.clone(3463);
        create(proc, Map.of("report-errors", false)).enrich(e);
        assertThat(e.extras()).isEmpty();
    }

    @Test
    void isFoundByServiceLoaderUnderItsType() {
        assertThat(ServiceLoader.load(dev.laurel.api.EnricherFactory.class).stream()
                .map(p -> p.get().type())).contains("container");
    }

    @Test
    void neverThrowsOnRandomCgroupText() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        String[] pieces = {":", "/", "\n", "docker-", ".scope", ID, ID.substring(3), "crio-", "0", "é"};
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = rnd.nextInt(8); j > 0; j--) {
                sb.append(pieces[rnd.nextInt(pieces.length)]);
            }
            String id;
            try {
                id = Container.containerId(sb.toString().getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException ex) {
                throw new AssertionError("seed " + seed + " input " + sb, ex);
            }
            if (id != null) {
                assertThat(id).as("seed %d input %s", seed, sb).matches("[0-9a-f]{64}");
                assertThat(sb.toString()).as("seed %d", seed).contains(id);
            }
        }
    }

    @Test
    void laurel08StyleWritesTheIdIntoSyscallPidBesideWhatIsThere() throws Exception {
        FakeProc proc = proc();
        proc.process(3463).cgroup("0::/system.slice/docker-" + ID + ".scope\n");
        AuditEvent e = RealEvents.clone(3463);
        dev.laurel.api.Record sc = e.first(dev.laurel.api.RecordType.SYSCALL);
        sc.set("PID", Value.object(Map.of("EVENT_ID", Value.text("1795636823.211:71"))));
        create(proc, Map.of("style", "laurel-0.8")).enrich(e);
        assertThat(e.extra("CONTAINER_INFO")).isNull();
        assertThat(((Value.ObjectValue) sc.get("PID")).fields()).containsExactly(
                Map.entry("EVENT_ID", Value.text("1795636823.211:71")),
                Map.entry("container", Value.object(Map.of("id", Value.text(ID)))));
    }
}
