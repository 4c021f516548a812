package dev.laurel.plugins.exehash;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExeHashTest {
    /** sha256sum of "hello\n" and of the empty file. */
    private static final String HELLO = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path tmp;

    private FakeProc proc;
    private Path rootfs;

    @BeforeEach
    void tree() throws Exception {
        proc = new FakeProc(tmp.resolve("proc"));
        rootfs = tmp.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("usr/bin"));
    }

    private ExeHash create(Map<String, Object> options) throws ConfigException {
        Map<String, Object> all = new LinkedHashMap<>(options);
        if (!options.containsKey("path-fallback") || (Boolean) options.get("path-fallback")) {
            all.putIfAbsent("root", rootfs.toString());
        }
        return (ExeHash) MapConfig.create(new ExeHashFactory(), all, proc.root());
    }

    /** Event 318 with SYSCALL pid {@code pid} and exe {@code exe}. */
    private static AuditEvent exec(long pid, String exe) {
        String[] lines = RealEvents.scriptExecLines();
        lines[0] = lines[0].replace(" pid=3695 ", " pid=" + pid + " ")
                .replace("exe=\"/usr/bin/dash\"", "exe=\"" + exe + "\"");
        return TestRecords.event(lines);
    }

    private static Record enrich(Enricher enricher, AuditEvent e) {
        enricher.enrich(e);
        return e.first(RecordType.SYSCALL);
    }

    @Test
    void hashesTheProcessImageThroughItsExeLink() throws Exception {
        Path bin = Files.writeString(tmp.resolve("dash"), "hello\n");
        proc.process(3695).exe(bin);
        Record sc = enrich(create(Map.of()), exec(3695, bin.toString()));
        assertThat(sc.get("EXE_SHA256")).isEqualTo(Value.text(HELLO));
        assertThat(sc.get("EXE_SHA256_ERROR")).isNull();
        assertThat(sc.name(sc.size() - 1)).isEqualTo("EXE_SHA256");
    }

    @Test
    void laurel08StyleNamesTheHashExeHash() throws Exception {
        Path bin = Files.writeString(tmp.resolve("dash"), "hello\n");
        proc.process(3695).exe(bin);
        Record sc = enrich(create(Map.of("style", "laurel-0.8", "path-fallback", false)), exec(3695, bin.toString()));
        assertThat(sc.get("EXE_HASH")).isEqualTo(Value.text(HELLO));
        assertThat(sc.get("EXE_SHA256")).isNull();
        // LAUREL 0.8's size limit, and no error field (LAUREL writes none)
        Path big = tmp.resolve("big");
        try (var out = Files.newOutputStream(big)) {
            out.write(new byte[10_000_001]);
        }
        proc.process(3696).exe(big);
        Record skipped = enrich(create(Map.of("style", "laurel-0.8", "path-fallback", false)), exec(3696, big.toString()));
        assertThat(skipped.get("EXE_HASH")).isNull();
        assertThat(skipped.get("EXE_HASH_ERROR")).isNull();
        assertThat(enrich(create(Map.of("path-fallback", false)), exec(3696, big.toString())).get("EXE_SHA256")).isNotNull();
    }

    @Test
    void acceptsTheLinkOfADeletedExecutable() throws Exception {
        Path bin = Files.writeString(tmp.resolve("dash (deleted)"), "");
        proc.process(3695).exe(bin);
        Record sc = enrich(create(Map.of("path-fallback", false)), exec(3695, tmp.resolve("dash").toString()));
        assertThat(sc.get("EXE_SHA256")).isEqualTo(Value.text(EMPTY));
    }

    @Test
    void fallsBackToTheExePathUnderRootWhenTheProcessIsGone() throws Exception {
        Files.writeString(rootfs.resolve("usr/bin/dash"), "hello\n");
        Record sc = enrich(create(Map.of()), RealEvents.scriptExec(3695));
        assertThat(sc.get("EXE_SHA256")).isEqualTo(Value.text(HELLO));
        assertThat(sc.get("EXE_SHA256_ERROR")).isNull();
    }

    @Test
    void fallsBackWhenTheProcessRunsAnotherProgramNow() throws Exception {
        Files.writeString(rootfs.resolve("usr/bin/dash"), "hello\n");
        proc.process(3695).exe(Files.writeString(tmp.resolve("other"), ""));
        Record sc = enrich(create(Map.of()), RealEvents.scriptExec(3695));
        assertThat(sc.get("EXE_SHA256")).isEqualTo(Value.text(HELLO));
        Record strict = enrich(create(Map.of("path-fallback", false)), RealEvents.scriptExec(3695));
        assertThat(strict.get("EXE_SHA256")).isNull();
        assertThat(strict.get("EXE_SHA256_ERROR")).isEqualTo(Value.text("process runs another program now"));
    }

    @Test
    void saysWhyWhenNeitherTheProcessNorThePathCanBeRead() throws Exception {
        Record sc = enrich(create(Map.of()), RealEvents.scriptExec(3695));
        assertThat(sc.get("EXE_SHA256")).isNull();
        assertThat(sc.get("EXE_SHA256_ERROR")).isEqualTo(Value.text("process gone; /usr/bin/dash: not found"));
        Record noFallback = enrich(create(Map.of("path-fallback", false)), RealEvents.scriptExec(3695));
        assertThat(noFallback.get("EXE_SHA256_ERROR")).isEqualTo(Value.text("process gone"));
    }

    @Test
    void skipsFilesLargerThanMaxSizeAndSaysSo() throws Exception {
        Path bin = Files.writeString(tmp.resolve("dash"), "hello\n");
        proc.process(3695).exe(bin);
        Record sc = enrich(create(Map.of("max-size", 5L)), exec(3695, bin.toString()));
        assertThat(sc.get("EXE_SHA256")).isNull();
        assertThat(sc.get("EXE_SHA256_ERROR")).isEqualTo(Value.text("larger than max-size (6 > 5 bytes)"));
    }

    @Test
    void refusesWhatIsNotARegularFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bin-dir"));
        proc.process(3695).exe(dir);
        Record sc = enrich(create(Map.of()), exec(3695, dir.toString()));
        assertThat(sc.get("EXE_SHA256_ERROR")).isEqualTo(Value.text("not a regular file"));
    }

    @Test
    void hashesAChangedFileAgainInsteadOfUsingTheCache() throws Exception {
        Path bin = Files.writeString(tmp.resolve("dash"), "");
        proc.process(3695).exe(bin);
        ExeHash enricher = create(Map.of());
        assertThat(enrich(enricher, exec(3695, bin.toString())).get("EXE_SHA256")).isEqualTo(Value.text(EMPTY));
        assertThat(enricher.cached()).isEqualTo(1);
        Files.writeString(bin, "hello\n");
        assertThat(enrich(enricher, exec(3695, bin.toString())).get("EXE_SHA256")).isEqualTo(Value.text(HELLO));
        assertThat(enricher.cached()).isEqualTo(2);
    }

    @Test
    void keepsTheCacheWithinCacheSize() throws Exception {
        ExeHash enricher = create(Map.of("cache-size", 2L));
        for (int i = 0; i < 5; i++) {
            Path bin = Files.writeString(tmp.resolve("bin" + i), "x".repeat(i));
            proc.process(100 + i).exe(bin);
            assertThat(enrich(enricher, exec(100 + i, bin.toString())).get("EXE_SHA256")).isNotNull();
        }
        assertThat(enricher.cached()).isEqualTo(2);
        ExeHash none = create(Map.of("cache-size", 0L));
        proc.process(100).exe(tmp.resolve("bin0"));
        enrich(none, exec(100, tmp.resolve("bin0").toString()));
        assertThat(none.cached()).isZero();
    }

    @Test
    void reportErrorsOffLeavesTheEventUnchanged() throws Exception {
        AuditEvent e = RealEvents.scriptExec(3695);
        String before = e.records().toString();
        create(Map.of("report-errors", false)).enrich(e);
        assertThat(e.records().toString()).isEqualTo(before);
    }

    @Test
    void rejectsBadOptionsTogether() {
        assertThatThrownBy(() -> MapConfig.create(new ExeHashFactory(), Map.of(
                "root", tmp.resolve("none").toString(), "max-size", 0L, "cache-size", -1L), proc.root()))
                .isInstanceOfSatisfying(ConfigException.class, ex -> assertThat(ex.problems())
                        .extracting(ConfigException.Problem::setting)
                        .containsExactlyInAnyOrder("max-size", "cache-size"));
        assertThatThrownBy(() -> create(Map.of("root", tmp.resolve("none").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("root: is not a directory");
        assertThatThrownBy(() -> MapConfig.create(new ExeHashFactory(), Map.of(
                "path-fallback", false, "root", "/"), proc.root()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is only used with path-fallback: true");
    }

    @Test
    void isFoundByServiceLoaderUnderItsType() {
        assertThat(ServiceLoader.load(dev.laurel.api.EnricherFactory.class).stream()
                .map(p -> p.get().type())).contains("exe-hash");
    }
}
