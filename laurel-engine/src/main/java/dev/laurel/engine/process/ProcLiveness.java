package dev.laurel.engine.process;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Whether a process the {@link ProcessTracker} knows still runs, from a {@code /proc} tree (the
 * configured proc root; tests use a fake one). A process runs if {@code PID/stat} exists and names
 * the same process: the start time laurel knows, or else a process started no later than laurel
 * last saw the pid ({@code btime} of {@code stat} plus the start time in clock ticks), so that a
 * reused pid counts as the old process gone.
 *
 * <p>Looks are batched by the tracker's sweeps, a few thousand every few seconds on a busy host:
 * each sweep lists the proc root's pids once ({@link #list()}), so a vanished process costs a
 * binary search, and only a pid that is running is read. One lookup of {@code /proc/PID} by path
 * took 8 µs for a missing pid, 30 µs for a present one (JDK 17, C1, a loaded 2-core machine):
 * 250 dead processes a second made the first a measurable share of a live laurel's CPU.
 * Not thread-safe.
 */
final class ProcLiveness {
    /** USER_HZ: the unit of {@code starttime} in {@code /proc/PID/stat}, 100 on every Linux ABI. */
    private static final long TICKS_PER_SECOND = 100;
    /**
     * How much later than laurel last saw a pid its process may seem to have started and still be
     * the same one: {@code btime} is in whole seconds, and the wall clock may have been stepped.
     */
    static final long START_SLACK_MILLIS = 2_000;

    private final String root;
    private final byte[] buffer = new byte[1024];
    /** The pids listed by the last {@link #list()}, sorted; {@code null} before the first. */
    private int[] listed;
    private int listedCount;
    /** Boot time (epoch ms) as of the last sweep, or -1 when unknown. */
    private long bootMillis = -1;
    /** Audit time at which btime was last read; 0: never. */
    private long bootReadAt;

    ProcLiveness(Path procRoot) {
        this.root = procRoot.toString();
    }

    /**
     * Whether {@code pid} still names the process the tracker knows: started at {@code startTime}
     * (clock ticks after boot) if known (not -1), else started no later than {@code lastSeenMillis}
     * (epoch ms) allows.
     */
    boolean running(int pid, long startTime, long lastSeenMillis) {
        if (listed != null && java.util.Arrays.binarySearch(listed, 0, listedCount, pid) < 0) {
            return false;
        }
        int n = read(new File(root, pid + "/stat"));
        if (n <= 0) {
            return false;   // gone between the two looks, or unreadable: not a process any more
        }
        int close = n - 1;
        while (close >= 0 && buffer[close] != ')') {
            close--;
        }
        long start = close < 0 ? -1 : ProcSeeder.numberField(java.util.Arrays.copyOf(buffer, n), close + 1, 19);
        if (start < 0) {
            return true;    // no start time to compare: trust the directory
        }
        if (startTime >= 0) {
            return start == startTime;
        }
        long boot = bootMillis(lastSeenMillis);
        return boot < 0 || boot + start * 1000 / TICKS_PER_SECOND <= lastSeenMillis + START_SLACK_MILLIS;
    }

    /**
     * Lists the pids in the proc root, for the lookups of one sweep: a pid not listed is gone (a
     * process started since then cannot be the one the tracker knows). If the root cannot be
     * listed, every lookup reads the process's {@code stat}.
     */
    void list() {
        String[] names = new File(root).list();
        if (names == null) {
            listed = null;
            return;
        }
        if (listed == null || listed.length < names.length) {
            listed = new int[names.length + names.length / 4];
        }
        int n = 0;
        for (String name : names) {
            long pid = ProcSeeder.parsePid(name);
            if (pid >= 0 && pid <= Integer.MAX_VALUE) {
                listed[n++] = (int) pid;
            }
        }
        java.util.Arrays.sort(listed, 0, n);
        listedCount = n;
    }

    /** {@code btime} of {@code /proc/stat} in ms, read again at most once a second of audit time. */
    private long bootMillis(long nowMillis) {
        if (bootReadAt != 0 && nowMillis >= bootReadAt && nowMillis - bootReadAt < 1_000) {
            return bootMillis;
        }
        bootReadAt = nowMillis;
        bootMillis = -1;
        byte[] stat;
        try (InputStream in = new FileInputStream(new File(root, "stat"))) {
            stat = in.readNBytes(1 << 20);
        } catch (IOException e) {
            return -1;
        }
        byte[] key = "\nbtime ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + key.length <= stat.length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (stat[i + k] != key[k]) {
                    continue outer;
                }
            }
            long seconds = 0;
            int j = i + key.length;
            for (; j < stat.length && stat[j] >= '0' && stat[j] <= '9'; j++) {
                seconds = seconds * 10 + (stat[j] - '0');
            }
            if (j > i + key.length) {
                bootMillis = seconds * 1000;
            }
            break;
        }
        return bootMillis;
    }

    /** Reads {@code file} into the buffer; the number of bytes, or -1 if it cannot be read. */
    private int read(File file) {
        try (InputStream in = new FileInputStream(file)) {
            return in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            return -1;
        }
    }
}
