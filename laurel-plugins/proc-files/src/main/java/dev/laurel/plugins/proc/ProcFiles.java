package dev.laurel.plugins.proc;

import dev.laurel.api.ConfigException;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.Setting;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

    private final Path root;

    public ProcFiles(Path root) {
        this.root = root;
    }

    /**
     * The proc file system named by a plugin's {@code proc-root} option, or {@code null} with the
     * reason added to {@code problems} (the plugins report every config problem at once).
     */
    public static ProcFiles of(PluginConfig config, Setting<String> procRoot, List<ConfigException.Problem> problems) {
        String value = config.get(procRoot);
        try {
            Path p = Path.of(value);
            if (Files.isDirectory(p)) {
                return new ProcFiles(p);
            }
            problems.add(new ConfigException.Problem(procRoot.name(),
                    "is not a directory: " + value + " (the proc file system is usually at /proc)"));
        } catch (InvalidPathException e) {
            problems.add(new ConfigException.Problem(procRoot.name(), "is not a valid path: " + e.getMessage()));
        }
        return null;
    }

    public Path root() {
        return root;
    }

    /** The path of {@code name} in the directory of {@code pid}. */
    public Path path(long pid, String name) {
        return root.resolve(Long.toString(pid)).resolve(name);
    }

    /** Whether the directory of {@code pid} is missing: the process has exited (or never was). */
    public boolean gone(long pid) {
        return pid <= 0 || !Files.isDirectory(root.resolve(Long.toString(pid)));
    }

    /** Reads at most {@code max} bytes of {@code <pid>/<name>}. */
    public Read read(long pid, String name, int max) {
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
    public String problem(long pid, String name, Exception e) {
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
