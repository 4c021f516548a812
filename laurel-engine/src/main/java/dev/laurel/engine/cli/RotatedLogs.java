package dev.laurel.engine.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Audit logs read as one stream, oldest first: {@code audit.log.3, audit.log.2.gz, audit.log.1,
 * audit.log}, as auditd and logrotate number them. Gzip files are decompressed (by their magic
 * bytes); a file that does not end with a newline gets one, so that its last line never runs
 * into the next file's first. Counts the bytes read from disk, for a progress bar.
 */
final class RotatedLogs {
    private final List<Path> files;
    private final long totalBytes;
    private final AtomicLong readBytes = new AtomicLong();
    private volatile Path current;

    RotatedLogs(List<Path> files) {
        this.files = List.copyOf(files);
        long total = 0;
        for (Path f : files) {
            try {
                total += Files.size(f);
            } catch (IOException e) {
                // counted as empty; reading it reports the problem
            }
        }
        this.totalBytes = total;
    }

    /**
     * The files in the order to read them: each rotated set ({@code NAME}, {@code NAME.N},
     * {@code NAME.N.gz}) highest number first and {@code NAME} last, sets in the order given.
     */
    static List<Path> oldestFirst(List<Path> inputs) {
        Map<String, List<Path>> sets = new LinkedHashMap<>();
        for (Path p : inputs) {
            sets.computeIfAbsent(base(p), k -> new ArrayList<>()).add(p);
        }
        List<Path> ordered = new ArrayList<>();
        for (List<Path> set : sets.values()) {
            set.sort(Comparator.comparingLong(RotatedLogs::generation).reversed());
            ordered.addAll(set);
        }
        return ordered;
    }

    /** {@code audit.log.3.gz} -> {@code /dir/audit.log}. */
    private static String base(Path p) {
        String name = strip(p.toAbsolutePath().normalize().toString());
        int dot = name.lastIndexOf('.');
        if (dot > 0 && isNumber(name.substring(dot + 1))) {
            return name.substring(0, dot);
        }
        return name;
    }

    /** 3 for {@code audit.log.3.gz}, 0 for {@code audit.log}. */
    private static long generation(Path p) {
        String name = strip(p.getFileName().toString());
        int dot = name.lastIndexOf('.');
        if (dot > 0 && isNumber(name.substring(dot + 1))) {
            return Long.parseLong(name.substring(dot + 1));
        }
        return 0;
    }

    private static String strip(String name) {
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    long totalBytes() {
        return totalBytes;
    }

    long readBytes() {
        return readBytes.get();
    }

    /** The file being read now (for messages), or null before the first. */
    Path current() {
        return current;
    }

    /** All files, one after the other. */
    InputStream open() {
        return new InputStream() {
            private int next;
            private InputStream in;
            private int last = '\n';
            private boolean newlineDue;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (true) {
                    if (newlineDue) {
                        newlineDue = false;
                        last = '\n';
                        b[off] = '\n';
                        return 1;
                    }
                    if (in == null) {
                        if (next == files.size()) {
                            return -1;
                        }
                        in = openOne(files.get(next++));
                    }
                    int n = in.read(b, off, len);
                    if (n > 0) {
                        last = b[off + n - 1];
                        return n;
                    }
                    in.close();
                    in = null;
                    newlineDue = last != '\n';
                }
            }

            @Override
            public void close() throws IOException {
                if (in != null) {
                    in.close();
                }
            }
        };
    }

    private InputStream openOne(Path file) throws IOException {
        current = file;
        InputStream raw = new InputStream() {
            private final InputStream in = Files.newInputStream(file);

            @Override
            public int read() throws IOException {
                int c = in.read();
                if (c >= 0) {
                    readBytes.incrementAndGet();
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    readBytes.addAndGet(n);
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
        BufferedInputStream buffered = new BufferedInputStream(raw, 64 * 1024);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return new GZIPInputStream(buffered, 64 * 1024);
        }
        return buffered;
    }
}
