package dev.laurel.plugins.exehash;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.engine.testkit.TestData;
import dev.laurel.plugins.testkit.FakeProc;
import dev.laurel.plugins.testkit.MapConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** exe-hash over the real capture, parsed and assembled by laurel's engine, every process gone. */
class ExeHashCaptureTest {
    /** sha256sum of "hello\n". */
    private static final String HELLO = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @TempDir
    Path tmp;

    @Test
    void hashesEachPathOnceAndSaysWhyForTheMissingOnes() throws Exception {
        FakeProc proc = new FakeProc(tmp.resolve("proc"));
        Path rootfs = tmp.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("usr/bin"));
        Files.writeString(rootfs.resolve("usr/bin/bash"), "hello\n");
        ExeHash enricher = (ExeHash) MapConfig.create(new ExeHashFactory(),
                Map.of("root", rootfs.toString()), proc.root());
        int hashed = 0;
        for (AuditEvent e : TestData.events(TestData.capture())) {
            enricher.enrich(e);
            Record sc = e.first(RecordType.SYSCALL);
            if (sc == null || sc.decoded("exe") == null) {
                continue;
            }
            String exe = new String(sc.decoded("exe"));
            if (exe.equals("/usr/bin/bash")) {
                hashed++;
                assertThat(sc.get("EXE_SHA256")).isEqualTo(Value.text(HELLO));
            } else {
                assertThat(sc.get("EXE_SHA256_ERROR")).isEqualTo(Value.text("process gone; " + exe + ": not found"));
            }
        }
        assertThat(hashed).isGreaterThan(10);
        assertThat(enricher.cached()).isEqualTo(1);
    }
}
