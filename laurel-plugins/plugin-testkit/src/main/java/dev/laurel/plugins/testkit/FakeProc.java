package dev.laurel.plugins.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fake {@code /proc} in a directory, so that plugin tests never read this machine's processes.
 *
 * <pre>{@code
 * FakeProc proc = new FakeProc(tempDir.resolve("proc"));
 * proc.process(4242).environ(Map.of("LD_PRELOAD", "/tmp/x.so")).cgroup("0::/system.slice/nginx.service\n");
 * }</pre>
 */
public final class FakeProc {
    private final Path root;

    public FakeProc(Path root) {
        this.root = root;
        mkdirs(root);
    }

    /** The directory to give plugins as their context's proc root: {@code MapConfig.create(factory, options, root())}. */
    public Path root() {
        return root;
    }

    /** The directory of process {@code pid}, created if needed. */
    public Pid process(long pid) {
        Path dir = root.resolve(Long.toString(pid));
        mkdirs(dir);
        return new Pid(dir);
    }

    /** One fake {@code /proc/<pid>}. */
    public static final class Pid {
        private final Path dir;

        Pid(Path dir) {
            this.dir = dir;
        }

        public Path dir() {
            return dir;
        }

        /** Writes {@code environ}: {@code NAME=value} entries, each ended by a NUL, in map order. */
        public Pid environ(Map<String, String> vars) {
            StringBuilder sb = new StringBuilder();
            vars.forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
            return file("environ", sb.toString().getBytes(StandardCharsets.UTF_8));
        }

        public Pid cgroup(String text) {
            return file("cgroup", text.getBytes(StandardCharsets.UTF_8));
        }

        public Pid status(String text) {
            return file("status", text.getBytes(StandardCharsets.UTF_8));
        }

        /** Makes {@code exe} a symbolic link to {@code target}, as the kernel's magic link. */
        public Pid exe(Path target) {
            return link("exe", target);
        }

        /** Makes {@code root} a symbolic link to {@code target}, the process's root directory. */
        public Pid root(Path target) {
            return link("root", target);
        }

        /** Writes any file of the process directory. */
        public Pid file(String name, byte[] content) {
            try {
                Files.write(dir.resolve(name), content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        private Pid link(String name, Path target) {
            try {
                Files.deleteIfExists(dir.resolve(name));
                Files.createSymbolicLink(dir.resolve(name), target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
