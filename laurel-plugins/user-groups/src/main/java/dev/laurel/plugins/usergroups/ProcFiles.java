package dev.laurel.plugins.usergroups;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the files of {@code <proc-root>/<pid>/} with a size bound and never throws: a failure
 * comes back as the short reason that goes into the event's {@code *_ERROR} field.
 * <p>Copied, identical but for the package, into each plugin reading /proc: plugins depend on laurel-api alone.
 */
final class ProcFiles {
    /** What a read gave: the bytes (perhaps cut at the bound) or why there are none. */
    record Read(byte[] bytes, boolean truncated, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private final Path root;

    ProcFiles(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** The path of {@code name} in the directory of {@code pid}. */
    Path path(long pid, String name) {
        return root.resolve(Long.toString(pid)).resolve(name);
    }

    /** Whether the directory of {@code pid} is missing: the process has exited (or never was). */
    boolean gone(long pid) {
        return pid <= 0 || !Files.isDirectory(root.resolve(Long.toString(pid)));
    }

    /** Reads at most {@code max} bytes of {@code <pid>/<name>}. */
    Read read(long pid, String name, int max) {
        if (pid <= 0) {
            return new Read(null, false, "no pid");
        }
        Path file = path(pid, name);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(max);
            boolean truncated = b.length == max && in.read() >= 0;
            return new Read(b, truncated, null);
        } catch (IOException | RuntimeException e) {
            return new Read(null, false, problem(pid, name, e));
        }
    }

    /** The reason for a failure on {@code <pid>/<name>}: the process gone, denied, or the error. */
    String problem(long pid, String name, Exception e) {
        if (gone(pid)) {
            return "process gone";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no " + name;
        }
        String m = e.getMessage();
        return "cannot read " + name + ": " + (m == null ? e.getClass().getSimpleName() : m);
    }
}
