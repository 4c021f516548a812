package dev.laurel.plugins.proc;

import dev.laurel.api.ConfigException;
import dev.laurel.api.PluginContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the files of {@code <proc-root>/<pid>/} with a size bound and never throws: a failure
 * comes back as the short reason that goes into the event's {@code *_ERROR} field.
 * <p>Shared by the built-in plugins that read /proc (a library of theirs, not part of the plugin API).
 */
public final class ProcFiles {
    /** What a read gave: the bytes (perhaps cut at the bound) or why there are none. */
    public record Read(byte[] bytes, boolean truncated, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /** Why nothing is read when the config says {@code proc-root: none}. */
    public static final String NONE = "proc-root is none";

    private final Path root;

    /** The proc file system at {@code root}; {@code null} for none (every read fails with {@link #NONE}). */
    public ProcFiles(Path root) {
        this.root = root;
    }

    /**
     * The proc file system of the config's top-level {@code proc-root} ({@link PluginContext#procRoot()}),
     * or {@code null} with the reason added to {@code problems} (the plugins report every config
     * problem at once).
     */
    public static ProcFiles of(PluginContext context, List<ConfigException.Problem> problems) {
        Path root = context.procRoot().orElse(null);
        if (root == null || Files.isDirectory(root)) {
            return new ProcFiles(root);
        }
        problems.add(new ConfigException.Problem(null, "the top-level proc-root " + root
                + " is not a directory (the proc file system is usually at /proc)"));
        return null;
    }

    /** As {@link #of(PluginContext, List)}, for a plugin that has no other config problems to report. */
    public static ProcFiles of(PluginContext context) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        ProcFiles proc = of(context, problems);
        if (proc == null) {
            throw new ConfigException(problems);
        }
        return proc;
    }

    /** The directory, or {@code null} for none. */
    public Path root() {
        return root;
    }

    /** The path of {@code name} in the directory of {@code pid}. */
    public Path path(long pid, String name) {
        if (root == null) {
            throw new IllegalStateException(NONE);
        }
        return root.resolve(Long.toString(pid)).resolve(name);
    }

    /** Whether the directory of {@code pid} is missing: the process has exited (or never was). */
    public boolean gone(long pid) {
        return pid <= 0 || root == null || !Files.isDirectory(root.resolve(Long.toString(pid)));
    }

    /** Reads at most {@code max} bytes of {@code <pid>/<name>}. */
    public Read read(long pid, String name, int max) {
        if (pid <= 0) {
            return new Read(null, false, "no pid");
        }
        if (root == null) {
            return new Read(null, false, NONE);
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
    public String problem(long pid, String name, Exception e) {
        if (root == null) {
            return NONE;
        }
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
