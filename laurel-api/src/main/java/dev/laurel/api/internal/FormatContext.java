package dev.laurel.api.internal;

import dev.laurel.api.PluginContext;
import dev.laurel.api.ProcessTable;

import java.io.IOException;
import java.nio.file.Path;

/** What the built-in output formats ({@code ecs}, {@code ocsf}) take from their context alike. */
public final class FormatContext {
    private FormatContext() {
    }

    /**
     * The kernel's host name from {@code PROC-ROOT/sys/kernel/hostname}, for events without a
     * {@code node=}; null with {@code proc-root: none}, for an empty file, or (with a warning
     * naming {@code format} and its {@code field}) when the file cannot be read.
     */
    public static String hostName(PluginContext context, String format, String field) {
        Path root = context.procRoot().orElse(null);
        if (root == null) {
            return null;
        }
        try {
            return HostNames.kernel(root);
        } catch (IOException | RuntimeException e) {
            context.logger().log(System.Logger.Level.WARNING, format + ": cannot read the host name from "
                    + root.resolve("sys/kernel/hostname") + " (" + e + "); events without node= have no " + field
                    + "; set host-name to give one");
            return null;
        }
    }

    /** The engine's process table, or null in a harness that has none. */
    public static ProcessTable processes(PluginContext context) {
        try {
            return context.processes();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }
}
