package dev.laurel.engine.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * laurel's own CPU time between two status reports, worded as LAUREL 0.7.3 and later log it:
 * {@code over span=60.0s usr=0.52%, sys=0.11%, combined=0.63%} (the share of one CPU spent in
 * user and in kernel mode since the last report). Read from {@code /proc/self/stat}, whose times
 * are in USER_HZ ticks, 100 a second on Linux whatever the kernel's own tick rate.
 * (LAUREL 0.8.2 computes sys from utime minus stime; this is the real system time.)
 */
final class CpuUsage {
    private static final double TICKS_PER_SECOND = 100;

    private final Path stat;
    private long user = -1;
    private long system;
    private long millis;

    /** Starts counting at {@code nowMillis}; an unreadable file is reported at the first report. */
    CpuUsage(Path stat, long nowMillis) {
        this.stat = stat;
        long[] t = read();
        if (t != null) {
            user = t[0];
            system = t[1];
        }
        millis = nowMillis;
    }

    /** The usage since the last call (or the start), or null if {@code /proc/self/stat} cannot be read. */
    String sinceLast(long nowMillis) {
        long[] t = read();
        if (t == null) {
            return null;
        }
        String text = null;
        double span = (nowMillis - millis) / 1000.0;
        if (user >= 0 && span > 0) {
            double usr = 100 * (t[0] - user) / TICKS_PER_SECOND / span;
            double sys = 100 * (t[1] - system) / TICKS_PER_SECOND / span;
            text = String.format(Locale.ROOT, "over span=%.1fs usr=%4.2f%%, sys=%4.2f%%, combined=%4.2f%%",
                    span, usr, sys, usr + sys);
        }
        user = t[0];
        system = t[1];
        millis = nowMillis;
        return text;
    }

    /** utime and stime, fields 14 and 15; counted from the last ')' as the command name may hold any. */
    private long[] read() {
        try {
            String s = Files.readString(stat, StandardCharsets.ISO_8859_1);
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
