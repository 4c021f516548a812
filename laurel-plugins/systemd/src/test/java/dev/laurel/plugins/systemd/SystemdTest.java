package dev.laurel.plugins.systemd;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
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

class SystemdTest {
    @TempDir
    Path tmp;

    private Enricher create(FakeProc proc, Map<String, Object> options) throws ConfigException {
        Map<String, Object> all = new LinkedHashMap<>(options);
        return MapConfig.create(new SystemdFactory(), all, proc.root());
    }

    private Record enrichWithCgroup(String cgroup) throws Exception {
        FakeProc proc = new FakeProc(tmp.resolve("proc"));
        proc.process(3463).cgroup(cgroup);
        AuditEvent e = RealEvents.clone(3463);
        create(proc, Map.of()).enrich(e);
        return e.first(RecordType.SYSCALL);
    }

    private static Systemd.Units units(String path) {
        return Systemd.unitsOfPath(path);
    }

    @Test
    void namesTheServiceOfASystemProcess() throws Exception {
        Record sc = enrichWithCgroup("0::/system.slice/nginx.service\n");
        assertThat(sc.get("UNIT")).isEqualTo(Value.text("nginx.service"));
        assertThat(sc.get("USER_UNIT")).isNull();
        assertThat(sc.name(sc.size() - 1)).isEqualTo("UNIT");
    }

    @Test
    void namesTheUserManagerAndTheUserUnit() throws Exception {
        Record sc = enrichWithCgroup("0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
                + "app-org.gnome.Terminal.slice/vte-spawn-1.scope\n");
        assertThat(sc.get("UNIT")).isEqualTo(Value.text("user@1000.service"));
        assertThat(sc.get("USER_UNIT")).isEqualTo(Value.text("vte-spawn-1.scope"));
    }

    @Test
    void followsJournaldForSessionsInitAndDelegatedSubgroups() {
        assertThat(units("/user.slice/user-1000.slice/session-2.scope")).isEqualTo(new Systemd.Units("session-2.scope", null));
        assertThat(units("/init.scope")).isEqualTo(new Systemd.Units("init.scope", null));
        assertThat(units("/system.slice/docker.service/payload")).isEqualTo(new Systemd.Units("docker.service", null));
        assertThat(units("/system.slice/var-lib-x.mount")).isEqualTo(new Systemd.Units("var-lib-x.mount", null));
        assertThat(units("/user.slice/user-1000.slice/user@1000.service/init.scope"))
                .isEqualTo(new Systemd.Units("user@1000.service", "init.scope"));
    }

    @Test
    void addsNothingOutsideUnits() throws Exception {
        Record sc = enrichWithCgroup("0::/\n");
        assertThat(sc.get("UNIT")).isNull();
        assertThat(sc.get("UNIT_ERROR")).isNull();
        assertThat(units("/docker/3f4e")).isEqualTo(new Systemd.Units(null, null));
        assertThat(units("/system.slice")).isEqualTo(new Systemd.Units(null, null));
    }

    @Test
    void usesTheV1SystemdHierarchyWhenThereIsNoUnifiedPath() throws Exception {
        Record sc = enrichWithCgroup("9:name=systemd:/system.slice/cron.service\n8:pids:/system.slice/cron.service\n0::/\n");
        assertThat(sc.get("UNIT")).isEqualTo(Value.text("cron.service"));
    }

    @Test
    void prefersTheUnifiedPath() {
        assertThat(Systemd.units("1:name=systemd:/system.slice/old.service\n0::/system.slice/new.service\n"
                .getBytes(StandardCharsets.UTF_8)).unit()).isEqualTo("new.service");
    }

    @Test
    void saysTheProcessIsGone() throws Exception {
        FakeProc proc = new FakeProc(tmp.resolve("proc"));
        AuditEvent e = RealEvents.clone(3463);
        create(proc, Map.of()).enrich(e);
        assertThat(e.first(RecordType.SYSCALL).get("UNIT_ERROR")).isEqualTo(Value.text("process gone"));
        AuditEvent quiet = RealEvents.clone(3463);
        create(proc, Map.of("report-errors", false)).enrich(quiet);
        assertThat(quiet.first(RecordType.SYSCALL).get("UNIT_ERROR")).isNull();
    }

    @Test
    void isFoundByServiceLoaderUnderItsType() {
        assertThat(ServiceLoader.load(dev.laurel.api.EnricherFactory.class).stream()
                .map(p -> p.get().type())).contains("systemd");
    }

    @Test
    void neverThrowsOnRandomCgroupText() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        String[] pieces = {":", "/", "\n", "0::", "name=systemd:", ".slice", ".service", "user@1", "a", ""};
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = rnd.nextInt(10); j > 0; j--) {
                sb.append(pieces[rnd.nextInt(pieces.length)]);
            }
            Systemd.Units u;
            try {
                u = Systemd.units(sb.toString().getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException ex) {
                throw new AssertionError("seed " + seed + " input " + sb, ex);
            }
            if (u.unit() != null) {
                assertThat(u.unit()).as("seed %d input %s", seed, sb).doesNotContain("/").doesNotEndWith(".slice");
            }
            if (u.userUnit() != null) {
                assertThat(u.unit()).as("seed %d input %s", seed, sb).startsWith("user@");
            }
        }
    }

    @Test
    void laurel08StyleListsEveryServiceOfThePathInSyscallPid() throws Exception {
        FakeProc proc = new FakeProc(tmp.resolve("proc"));
        proc.process(3463).cgroup("0::/user.slice/user-1000.slice/user@1000.service/app.slice/emacs.service\n");
        AuditEvent e = RealEvents.clone(3463);
        create(proc, Map.of("style", "laurel-0.8")).enrich(e);
        Record sc = e.first(RecordType.SYSCALL);
        assertThat(sc.get("UNIT")).isNull();
        assertThat(sc.get("PID")).isEqualTo(Value.object(Map.of("systemd_service",
                Value.list(java.util.List.of(Value.text("user@1000"), Value.text("emacs"))))));
        // as LAUREL 0.8: nothing for a path without a .service
        assertThat(Systemd.services("/init.scope")).isEmpty();
        assertThat(Systemd.services("/system.slice/nginx.service")).containsExactly(Value.text("nginx"));
    }
}
