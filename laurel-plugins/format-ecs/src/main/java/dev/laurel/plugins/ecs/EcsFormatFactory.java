package dev.laurel.plugins.ecs;

import dev.laurel.api.Format;
import dev.laurel.api.FormatFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Setting;
import dev.laurel.api.internal.FormatContext;

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
        String host = config.isSet(HOST_NAME) ? config.get(HOST_NAME)
                : FormatContext.hostName(context, "ecs", "host.name");
        ProcessTable processes = FormatContext.processes(context);     // null in a harness: no process.entity_id
        return new EcsFormat(host == null || host.isEmpty() ? null : host, processes);
    }
}
