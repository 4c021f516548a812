package dev.laurel.plugins.exehash;

import dev.laurel.plugins.proc.ErrorField;
import dev.laurel.plugins.proc.ProcFiles;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds {@code SYSCALL.EXE_SHA256}, the SHA-256 (lower-case hex) of the event's executable.
 *
 * <p>The file is read through {@code <proc-root>/<pid>/exe}, the process's own image (even if it
 * was deleted or lives in another mount namespace), when that link still names the SYSCALL
 * {@code exe}; otherwise (the process is gone or has run another program since) and with
 * {@code path-fallback} on, the SYSCALL {@code exe} path under {@code root}. Files larger than
 * {@code max-size} are not read. Hashes are remembered by device, inode, size, mtime and ctime in
 * a bounded LRU cache, so a binary is read once until it changes. When no hash can be given,
 * {@code SYSCALL.EXE_SHA256_ERROR} says why (unless {@code report-errors} is off). With
 * {@code style: laurel-0.8} the hash is {@code SYSCALL.EXE_HASH}, LAUREL 0.8's name for it.
 */
final class ExeHash implements Enricher {
    private static final String DELETED = " (deleted)";

    /** What identifies one version of a file. */
    private record FileVersion(long dev, long ino, long size, long mtime, long ctime) {
    }

    private final ProcFiles proc;
    private final Path root;
    private final long maxSize;
    private final String field;
    private final ErrorField errors;
    private final Map<FileVersion, String> cache;
    private final MessageDigest sha256;
    private final byte[] buffer = new byte[64 * 1024];

    ExeHash(ProcFiles proc, Path root, long maxSize, int cacheSize, ErrorField errors) {
        this(proc, root, maxSize, cacheSize, "EXE_SHA256", errors);
    }

    /** @param field the hash's key in SYSCALL: EXE_SHA256, or LAUREL 0.8's EXE_HASH */
    ExeHash(ProcFiles proc, Path root, long maxSize, int cacheSize, String field, ErrorField errors) {
        this.proc = proc;
        this.field = field;
        this.root = root;
        this.maxSize = maxSize;
        this.errors = errors;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<FileVersion, String> eldest) {
                return size() > cacheSize;
            }
        };
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** How many hashes are remembered now. */
    int cached() {
        return cache.size();
    }

    @Override
    public void enrich(AuditEvent event) {
        Record sc = event.first(RecordType.SYSCALL);
        byte[] exe = sc == null ? null : sc.decoded("exe");
        if (exe == null || exe.length == 0) {
            return;
        }
        long pid = sc.getLong("pid", -1);
        String problem;
        if (pid <= 0) {
            problem = "no pid";
        } else {
            Path link = proc.path(pid, "exe");
            try {
                byte[] target = Files.readSymbolicLink(link).toString().getBytes(StandardCharsets.UTF_8);
                if (names(target, exe)) {
                    // the process's own image; a failure here is not helped by the path
                    put(sc, hash(link), null);
                    return;
                }
                problem = "process runs another program now";
            } catch (IOException | RuntimeException e) {
                problem = proc.problem(pid, "exe", e);
            }
        }
        if (root == null) {
            error(sc, problem);
        } else if (exe[0] != '/') {
            error(sc, problem + "; exe is not an absolute path");
        } else {
            put(sc, hash(root.resolve(new String(exe, 1, exe.length - 1, StandardCharsets.UTF_8))),
                    problem + "; " + new String(exe, StandardCharsets.UTF_8) + ": ");
        }
    }

    /** Sets the hash, or the error after {@code context} when {@code hashOrProblem} starts with "!". */
    private void put(Record sc, String hashOrProblem, String context) {
        if (hashOrProblem.startsWith("!")) {
            error(sc, (context == null ? "" : context) + hashOrProblem.substring(1));
        } else {
            sc.set(field, Value.text(hashOrProblem));
        }
    }

    /** Whether a link target names {@code exe} (the kernel appends " (deleted)" to removed files). */
    private static boolean names(byte[] target, byte[] exe) {
        if (Arrays.equals(target, exe)) {
            return true;
        }
        byte[] d = DELETED.getBytes(StandardCharsets.US_ASCII);
        return target.length == exe.length + d.length
                && Arrays.equals(target, 0, exe.length, exe, 0, exe.length)
                && Arrays.equals(target, exe.length, target.length, d, 0, d.length);
    }

    /** The hex hash of {@code file}, or "!" and why there is none. */
    private String hash(Path file) {
        FileVersion before;
        try {
            before = version(file);
        } catch (IOException | RuntimeException e) {
            return "!" + (e instanceof java.nio.file.NoSuchFileException ? "not found"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : "cannot read: " + e.getMessage());
        }
        if (before == null) {
            return "!not a regular file";
        }
        if (before.size() > maxSize) {
            return "!larger than max-size (" + before.size() + " > " + maxSize + " bytes)";
        }
        String known = cache.get(before);
        if (known != null) {
            return known;
        }
        sha256.reset();
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxSize) {
                    return "!larger than max-size (grew while read)";
                }
                sha256.update(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            return "!cannot read: " + e.getMessage();
        }
        String hex = HexFormat.of().formatHex(sha256.digest());
        try {
            if (total == before.size() && before.equals(version(file))) {
                cache.put(before, hex);     // unchanged while read: safe to remember
            }
        } catch (IOException | RuntimeException e) {
            // gone after reading: the hash is still that of what was read, just not remembered
        }
        return hex;
    }

    /** The version of a regular file, following links; {@code null} for other kinds. */
    private static FileVersion version(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime,mode");
        int mode = (Integer) a.get("mode");
        if ((mode & 0170000) != 0100000) {
            return null;
        }
        return new FileVersion((Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
                nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")));
    }

    private static long nanos(FileTime t) {
        java.time.Instant i = t.toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private void error(Record sc, String problem) {
        errors.set(sc, problem);
    }
}
