package dev.laurel.engine.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Seeds a {@link ProcessTracker} with the processes running at start-up, from a {@code /proc}
 * tree. The root is a setting so that tests use a fake tree and never this machine's processes.
 * Processes that vanish while being read are skipped: they are gone.
 */
public final class ProcSeeder {
    private final Path procRoot;

    public ProcSeeder(Path procRoot) {
        this.procRoot = procRoot;
    }

    /** Adds every readable process; returns how many. */
    public int seed(ProcessTracker tracker) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(procRoot)) {
            for (Path dir : dirs) {
                long pid = parsePid(dir.getFileName().toString());
                if (pid > 0 && seedOne(tracker, dir, pid)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean seedOne(ProcessTracker tracker, Path dir, long pid) {
        byte[] stat;
        try {
            stat = Files.readAllBytes(dir.resolve("stat"));
        } catch (IOException e) {
            return false;       // exited meanwhile, or not a process directory
        }
        // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
        //  utime stime cutime cstime priority nice threads itrealvalue starttime ..."
        // comm may contain spaces and parentheses: it ends at the LAST ')'.
        int open = indexOf(stat, (byte) '(', 0);
        int close = lastIndexOf(stat, (byte) ')');
        if (open < 0 || close < open) {
            return false;
        }
        byte[] comm = java.util.Arrays.copyOfRange(stat, open + 1, close);
        // After the comm: state (field 0), ppid (1), ..., starttime (19), one space apart.
        long ppid = numberField(stat, close + 1, 1);
        long start = numberField(stat, close + 1, 19);
        if (ppid < 0 || start < 0) {
            return false;
        }
        byte[] exe = null;
        try {
            exe = Files.readSymbolicLink(dir.resolve("exe")).toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | UnsupportedOperationException e) {
            // kernel threads have no exe; other users' processes may be unreadable
        }
        tracker.seed(pid, ppid, start, comm, exe);
        return true;
    }

    /** A directory name of digits only as a pid, else -1 ({@code self}, {@code uptime}, ...). */
    static long parsePid(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * The decimal number in the {@code index}th space-separated field after {@code from} (runs of
     * spaces count as one separator), or -1 if there is no such field or it is not a number.
     * On bytes: start-up reads every process's stat, and a regex split per line showed in profiles.
     */
    static long numberField(byte[] b, int from, int index) {
        int i = from;
        int field = -1;
        while (i < b.length) {
            while (i < b.length && b[i] == ' ') {
                i++;
            }
            if (i >= b.length || b[i] == '\n') {
                return -1;
            }
            field++;
            int end = i;
            while (end < b.length && b[end] != ' ' && b[end] != '\n') {
                end++;
            }
            if (field == index) {
                if (end - i > 18) {
                    return -1;
                }
                long n = 0;
                for (int k = i; k < end; k++) {
                    if (b[k] < '0' || b[k] > '9') {
                        return -1;
                    }
                    n = n * 10 + (b[k] - '0');
                }
                return end > i ? n : -1;
            }
            i = end;
        }
        return -1;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, byte c) {
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
