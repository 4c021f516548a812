package dev.laurel.engine.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CpuUsageTest {
    @TempDir
    Path tmp;

    /** A /proc/PID/stat line with this command name, utime and stime (in 1/100 s). */
    private static String stat(String comm, long utime, long stime) {
        return "4711 (" + comm + ") S 1 4711 4711 0 -1 4194560 1000 0 0 0 " + utime + " " + stime
                + " 0 0 20 0 30 0 123456 1000000 5000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    }

    /** The report after the process went from (utime0, stime0) to (utime1, stime1) in spanMillis. */
    private String usage(String comm, long utime0, long stime0, long utime1, long stime1, long spanMillis)
            throws Exception {
        Path file = tmp.resolve("stat");
        Files.writeString(file, stat(comm, utime0, stime0));
        CpuUsage cpu = new CpuUsage(file, 1_000);
        Files.writeString(file, stat(comm, utime1, stime1));
        return cpu.sinceLast(1_000 + spanMillis);
    }

    @Test
    void reportsUserSystemAndCombinedShareSinceTheLastReportInLaurelsWords() throws Exception {
        // 0.5 s user and 0.1 s system in 10 s
        assertThat(usage("java", 100, 50, 150, 60, 10_000))
                .isEqualTo("over span=10.0s usr=5.00%, sys=1.00%, combined=6.00%");
        assertThat(usage("java", 150, 60, 150, 60, 60_000))
                .isEqualTo("over span=60.0s usr=0.00%, sys=0.00%, combined=0.00%");
    }

    @Test
    void countsFromTheLastReport() throws Exception {
        Path file = tmp.resolve("stat");
        Files.writeString(file, stat("java", 0, 0));
        CpuUsage cpu = new CpuUsage(file, 0);
        cpu.sinceLast(1_000);
        assertThat(cpu.sinceLast(3_000)).isEqualTo("over span=2.0s usr=0.00%, sys=0.00%, combined=0.00%");
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesIsSkipped() throws Exception {
        assertThat(usage("a) b (c", 0, 0, 200, 100, 4_000))
                .isEqualTo("over span=4.0s usr=50.00%, sys=25.00%, combined=75.00%");
    }

    @Test
    void anUnreadableFileGivesNoFigures() {
        CpuUsage cpu = new CpuUsage(tmp.resolve("missing"), 0);
        assertThat(cpu.sinceLast(1_000)).isNull();
    }
}
