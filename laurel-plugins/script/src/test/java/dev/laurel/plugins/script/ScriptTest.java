package dev.laurel.plugins.script;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.ConfigException;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.plugins.testkit.FakeProc;
import dev.laurel.plugins.testkit.MapConfig;
import dev.laurel.plugins.testkit.RealEvents;
import dev.laurel.plugins.testkit.TestRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScriptTest {
    @TempDir
    Path tmp;

    private FakeProc proc;
    private Path rootfs;

    private Enricher create(Map<String, Object> options) throws ConfigException {
        Map<String, Object> all = new LinkedHashMap<>(options);
        return MapConfig.create(new ScriptFactory(), all, proc.root());
    }

    /** A fake process whose root holds {@code /usr/bin/dash} and {@code /usr/bin/bash}. */
    private void process(long pid) throws Exception {
        proc = new FakeProc(tmp.resolve("proc"));
        rootfs = tmp.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("usr/bin"));
        Files.writeString(rootfs.resolve("usr/bin/dash"), "ELF dash");
        Files.writeString(rootfs.resolve("usr/bin/bash"), "ELF bash");
        proc.process(pid).root(rootfs);
    }

    private static Value script(AuditEvent e) {
        return e.first(RecordType.SYSCALL).get("SCRIPT");
    }

    private static Value error(AuditEvent e) {
        return e.first(RecordType.SYSCALL).get("SCRIPT_ERROR");
    }

    /** Event 59 (bash, pid 3463, cwd /tmp) with another exe and argument list. */
    private static AuditEvent started(String exe, String... argv) {
        String[] lines = RealEvents.bashExecLines();
        lines[0] = lines[0].replace("exe=\"/usr/bin/bash\"", "exe=\"" + exe + "\"");
        lines[2] = lines[2].substring(0, lines[2].indexOf("argc=")) + "argc=" + argv.length + " "
                + Stream.of(argv).map(a -> "a" + List.of(argv).indexOf(a) + "=\"" + a + "\"")
                .collect(Collectors.joining(" "));
        lines[4] = lines[4].replace("name=\"/usr/bin/bash\"", "name=\"" + exe + "\"");
        return TestRecords.event(lines);
    }

    @Test
    void namesTheHashBangScriptResolvedAgainstCwdAsLaurelDoes() throws Exception {
        process(3695);
        AuditEvent e = RealEvents.scriptExec(3695);
        create(Map.of()).enrich(e);
        // LAUREL 0.5.1 gave "SCRIPT":"/tmp/scenario-1/maint.sh" for this event (checked by running it)
        assertThat(script(e)).isEqualTo(Value.text("/tmp/scenario-1/maint.sh"));
        Record sc = e.first(RecordType.SYSCALL);
        assertThat(sc.name(sc.size() - 1)).isEqualTo("SCRIPT");
        assertThat(error(e)).isNull();
    }

    /** Event 318 with PATH item 0 on the device of the fake {@code /usr/bin/dash}, with inode {@code ino}. */
    private AuditEvent itemZeroOnDashDevice(String name, long inoDelta, String arg1) throws Exception {
        Map<String, Object> a = Files.readAttributes(rootfs.resolve("usr/bin/dash"), "unix:dev,ino");
        long dev = (Long) a.get("dev");
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        String[] lines = RealEvents.scriptExecLines();
        lines[2] = lines[2].replace("a1=\"./maint.sh\"", "a1=\"" + arg1 + "\"");
        lines[4] = lines[4].replace("name=\"./maint.sh\" inode=2146553 dev=fe:00",
                "name=\"" + name + "\" inode=" + ((Long) a.get("ino") + inoDelta) + " dev="
                        + Long.toHexString(major) + ":" + String.format("%02x", minor));
        return TestRecords.event(lines);
    }

    @Test
    void addsNothingWhenItemZeroIsTheExecutableReachedThroughALink() throws Exception {
        process(3695);
        // "/bin/sh -e": no script argument either, so only the PATH comparison is tested
        AuditEvent e = itemZeroOnDashDevice("/bin/sh", 0, "-e");
        create(Map.of()).enrich(e);
        assertThat(script(e)).isNull();
        assertThat(error(e)).isNull();
    }

    @Test
    void aDifferentInodeOnTheSameDeviceIsAScript() throws Exception {
        process(3695);
        AuditEvent e = itemZeroOnDashDevice("./maint.sh", 1, "-e");
        create(Map.of()).enrich(e);
        assertThat(script(e)).isEqualTo(Value.text("/tmp/scenario-1/maint.sh"));
    }

    /**
     * Event 318 run by an interpreter not in the list, with an argv that does not show the kernel's
     * #! rewrite: only the /proc lookup could tell.
     */
    private static AuditEvent scriptRunBy(String exe) {
        String[] lines = RealEvents.scriptExecLines();
        lines[0] = lines[0].replace("exe=\"/usr/bin/dash\"", "exe=\"" + exe + "\"");
        lines[2] = lines[2].replace("argc=2 a0=\"/bin/sh\" a1=\"./maint.sh\"", "argc=1 a0=\"gawk\"");
        return TestRecords.event(lines);
    }

    /** Event 318 as a {@code #!/usr/bin/env INTERPRETER} script: exe and PATH item 1 are env. */
    private static AuditEvent envScript(String... argv) {
        String[] lines = RealEvents.scriptExecLines();
        lines[0] = lines[0].replace("exe=\"/usr/bin/dash\"", "exe=\"/usr/bin/env\"");
        lines[2] = lines[2].substring(0, lines[2].indexOf("argc=")) + "argc=" + argv.length + " "
                + Stream.of(argv).map(a -> "a" + List.of(argv).indexOf(a) + "=\"" + a + "\"")
                .collect(Collectors.joining(" "));
        lines[5] = lines[5].replace("name=\"/bin/sh\"", "name=\"/usr/bin/env\"");
        return TestRecords.event(lines);
    }

    @Test
    void findsAUsrBinEnvScriptFromTheKernelsArgvWhenTheProcessIsGoneAsLaurelDoes() throws Exception {
        process(1);
        for (AuditEvent e : List.of(envScript("/usr/bin/env", "python3", "./maint.sh"),
                envScript("/usr/bin/env", "-S python3 -u", "./maint.sh", "--verbose"))) {
            create(Map.of("interpreters", List.of())).enrich(e);
            assertThat(script(e)).isEqualTo(Value.text("/tmp/scenario-1/maint.sh"));
            assertThat(error(e)).isNull();
        }
        // env started by name with a program: no #! rewrite, no script
        AuditEvent byName = envScript("env", "python3", "./maint.sh");
        create(Map.of("interpreters", List.of(), "report-errors", false)).enrich(byName);
        assertThat(script(byName)).isNull();
    }

    @Test
    void saysTheProcessIsGoneWhenOnlyTheExecutableLookupCouldTell() throws Exception {
        process(1);
        AuditEvent e = scriptRunBy("/usr/bin/gawk");
        create(Map.of()).enrich(e);
        assertThat(script(e)).isNull();
        assertThat(error(e)).isEqualTo(Value.text("process gone"));
    }

    @Test
    void findsAHashBangScriptOfAKnownInterpreterFromItsArgvWhenTheProcessIsGone() throws Exception {
        process(1);
        AuditEvent e = RealEvents.scriptExec(3695);     // argv as the kernel rewrote it: /bin/sh ./maint.sh
        create(Map.of()).enrich(e);
        assertThat(script(e)).isEqualTo(Value.text("/tmp/scenario-1/maint.sh"));
        assertThat(error(e)).isNull();
    }

    @Test
    void reportErrorsOffLeavesTheEventUnchanged() throws Exception {
        process(1);
        AuditEvent e = scriptRunBy("/usr/bin/gawk");
        String before = e.records().toString();
        create(Map.of("report-errors", false)).enrich(e);
        assertThat(e.records().toString()).isEqualTo(before);
    }

    @Test
    void saysSoWhenTheProcessHidesItsRoot() throws Exception {
        process(1);
        proc.process(3695).status("Name:\tmaint.sh\n");
        AuditEvent e = scriptRunBy("/usr/bin/gawk");
        create(Map.of()).enrich(e);
        assertThat(error(e)).isEqualTo(Value.text("exe not found in the process's root"));
    }

    @Test
    void namesTheScriptGivenToAnInterpreterByNameEvenWhenTheProcessIsGone() throws Exception {
        process(1);
        AuditEvent e = RealEvents.bashExec(3463);
        create(Map.of()).enrich(e);
        assertThat(script(e)).isEqualTo(Value.text("/tmp/scenario-1/scenario.sh"));
        assertThat(error(e)).isNull();
    }

    @Test
    void resolvesARelativeScriptArgumentAgainstCwd() throws Exception {
        process(1);
        AuditEvent e = started("/usr/bin/python3.11", "python3", "-u", "-W", "ignore", "jobs/../job.py", "--verbose");
        create(Map.of()).enrich(e);
        assertThat(script(e)).isEqualTo(Value.text("/tmp/job.py"));
    }

    @Test
    void findsNoScriptWhenTheCodeIsGivenInline() throws Exception {
        process(1);
        Enricher enricher = create(Map.of());
        List<AuditEvent> inline = List.of(
                started("/usr/bin/bash", "bash", "-c", "echo hi"),
                started("/usr/bin/dash", "sh", "-ec", "true"),
                started("/usr/bin/perl", "perl", "-wle", "print 1", "x.pl"),
                started("/usr/bin/python3", "python3", "-m", "http.server"),
                started("/usr/bin/node", "node", "--eval=1", "x.js"),
                started("/usr/bin/php8.2", "php", "-r", "echo 1;"),
                started("/usr/bin/bash", "bash", "-", "x.sh"),
                started("/usr/bin/bash", "bash"));
        for (AuditEvent e : inline) {
            enricher.enrich(e);
            assertThat(script(e)).as("%s", e.first(RecordType.EXECVE)).isNull();
        }
    }

    @Test
    void skipsOptionsAndTheirValuesBeforeTheScript() throws Exception {
        process(1);
        Enricher enricher = create(Map.of());
        Map<AuditEvent, String> cases = new LinkedHashMap<>();
        cases.put(started("/usr/bin/bash", "bash", "-e", "-o", "pipefail", "/srv/a.sh", "-c"), "/srv/a.sh");
        cases.put(started("/usr/bin/bash", "bash", "--", "-odd.sh"), "/tmp/-odd.sh");
        cases.put(started("/usr/bin/ruby3.1", "ruby", "-r", "json", "/srv/r.rb"), "/srv/r.rb");
        cases.put(started("/usr/bin/node", "node", "--require", "ts-node", "app.js"), "/tmp/app.js");
        cases.put(started("/usr/bin/perl", "perl", "-I/lib", "/srv/p.pl"), "/srv/p.pl");
        for (Map.Entry<AuditEvent, String> c : cases.entrySet()) {
            enricher.enrich(c.getKey());
            assertThat(script(c.getKey())).as("%s", c.getKey().first(RecordType.EXECVE))
                    .isEqualTo(Value.text(c.getValue()));
        }
    }

    @Test
    void ignoresProgramsThatAreNotInterpreters() throws Exception {
        process(1);
        AuditEvent e = started("/usr/bin/cat", "cat", "/etc/passwd");
        create(Map.of()).enrich(e);
        assertThat(script(e)).isNull();
    }

    @Test
    void anEmptyInterpreterListTurnsTheArgumentRuleOff() throws Exception {
        process(1);
        AuditEvent e = RealEvents.bashExec(3463);
        create(Map.of("interpreters", List.of())).enrich(e);
        assertThat(script(e)).isNull();
    }

    @Test
    void interpreterEntriesEndingInStarArePrefixes() throws Exception {
        process(1);
        AuditEvent e = started("/opt/bin/myawk-2", "myawk-2", "prog.awk");
        create(Map.of("interpreters", List.of("myawk*"))).enrich(e);
        assertThat(script(e)).isEqualTo(Value.text("/tmp/prog.awk"));
    }

    @Test
    void leavesEventsWithoutExecveAlone() throws Exception {
        process(3463);
        AuditEvent e = RealEvents.clone(3463);
        String before = e.records().toString();
        create(Map.of()).enrich(e);
        assertThat(e.records().toString()).isEqualTo(before);
    }

    @Test
    void resolvesPathsLexically() {
        assertThat(resolve("/tmp/scenario-1", "./maint.sh")).isEqualTo("/tmp/scenario-1/maint.sh");
        assertThat(resolve("/tmp/scenario-1", "../x/./maint.sh")).isEqualTo("/tmp/x/maint.sh");
        assertThat(resolve("/tmp", "/abs//path/")).isEqualTo("/abs/path");
        assertThat(resolve("/", "../../x")).isEqualTo("/x");
        assertThat(resolve("/a b ", "c")).isEqualTo("/a b /c");
    }

    @Test
    void encodesPathDevicesAsGlibcMakedev() {
        assertThat(Script.device(path("fe:00"))).isEqualTo(0xfe00L);
        assertThat(Script.device(path("08:01"))).isEqualTo(0x801L);
        assertThat(Script.device(path("103:1a2"))).isEqualTo((0x103L << 8) | 0xa2L | (0x100L << 12));
        assertThat(Script.device(path("zz:00"))).isEqualTo(-1L);
        assertThat(Script.device(path("fe"))).isEqualTo(-1L);
    }

    @Test
    void rejectsInterpreterEntriesWithASlash() throws Exception {
        process(1);
        assertThatThrownBy(() -> create(Map.of("interpreters", List.of("/usr/bin/bash", "py*"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("has an invalid entry \"/usr/bin/bash\"");
    }

    @Test
    void isFoundByServiceLoaderUnderItsType() {
        assertThat(ServiceLoader.load(dev.laurel.api.EnricherFactory.class).stream()
                .map(p -> p.get().type())).contains("script");
    }

    @Test
    void neverThrowsOnRandomArgumentsAndPaths() throws Exception {
        process(3695);
        Enricher enricher = create(Map.of());
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        String[] pieces = {"-", "--", "-c", "-o", "x", "/", ".", "..", "a.sh", "+O", "-e", "é", ""};
        String[] exes = {"/usr/bin/bash", "/usr/bin/python3", "/usr/bin/perl", "/usr/bin/node", "/usr/bin/cat", "/x"};
        for (int i = 0; i < 500; i++) {
            String[] argv = new String[rnd.nextInt(5)];
            for (int j = 0; j < argv.length; j++) {
                argv[j] = pieces[rnd.nextInt(pieces.length)] + pieces[rnd.nextInt(pieces.length)];
            }
            AuditEvent e = started(exes[rnd.nextInt(exes.length)], argv);
            try {
                enricher.enrich(e);
            } catch (RuntimeException ex) {
                throw new AssertionError("seed " + seed + " case " + i, ex);
            }
            Value s = script(e);
            if (s != null) {
                assertThat(((Value.Text) s).asString()).as("seed %d case %d", seed, i).startsWith("/");
            }
        }
    }

    private static String resolve(String cwd, String name) {
        return new String(Script.resolve(cwd.getBytes(StandardCharsets.UTF_8), name.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }

    private static Record path(String dev) {
        return TestRecords.record("type=PATH msg=audit(1.0:1): item=0 name=\"/x\" inode=1 dev=" + dev + " mode=0100755");
    }
}
