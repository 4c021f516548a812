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
        String[] rest = new String(stat, close + 1, stat.length - close - 1,
                java.nio.charset.StandardCharsets.US_ASCII).trim().split(" +");
        // rest[0] is state, rest[1] ppid, rest[19] starttime
        if (rest.length < 20) {
            return false;
        }
        long ppid = parsePid(rest[1]);
        long start = parseLong(rest[19]);
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

    private static long parsePid(String s) {
        return s.isEmpty() || s.length() > 10 || !s.chars().allMatch(Character::isDigit) ? -1 : Long.parseLong(s);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
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
