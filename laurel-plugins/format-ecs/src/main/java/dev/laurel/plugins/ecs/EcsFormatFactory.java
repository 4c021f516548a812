package dev.laurel.plugins.ecs;

import dev.laurel.api.Format;
import dev.laurel.api.FormatFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Setting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code ecs} format: events in the Elastic Common Schema 9.4.0 (docs/format-ecs.md).
 *
 * <pre>{@code
 * sinks:
 *   - type: json-file
 *     file: /var/log/laurel-java/ecs.log
 *     format: ecs                    # or {type: ecs, host-name: web-1}
 * }</pre>
 */
public final class EcsFormatFactory implements FormatFactory {
    static final Setting<String> HOST_NAME = Setting.string("host-name",
            "host.name of events without a node= (auditd's name_format); default: the machine's host name"
                    + " from PROC-ROOT/sys/kernel/hostname, none with proc-root: none");

    @Override
    public String type() {
        return "ecs";
    }

    @Override
    public String description() {
        return "Elastic Common Schema 9.4.0: event.category/type/action as Auditbeat, process with parent,"
                + " user, file, source/destination; the rest under auditd.*";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(HOST_NAME);
    }

    @Override
    public Format create(PluginConfig config, PluginContext context) {
        String host = config.isSet(HOST_NAME) ? config.get(HOST_NAME) : hostName(context);
        ProcessTable processes;
        try {
            processes = context.processes();
        } catch (UnsupportedOperationException e) {
            processes = null;     // a harness without a process table: no process.entity_id
        }
        return new EcsFormat(host == null || host.isEmpty() ? null : host, processes);
    }

    /** The kernel's host name, or null when /proc is not to be read or says nothing. */
    private static String hostName(PluginContext context) {
        Path file = context.procRoot().map(p -> p.resolve("sys/kernel/hostname")).orElse(null);
        if (file == null) {
            return null;
        }
        try {
            String name = Files.readString(file, StandardCharsets.UTF_8).trim();
            return name.isEmpty() ? null : name;
        } catch (IOException | RuntimeException e) {
            context.logger().log(System.Logger.Level.WARNING, "ecs: cannot read the host name from " + file
                    + " (" + e + "); events without node= have no host.name; set host-name to give one");
            return null;
        }
    }
}
