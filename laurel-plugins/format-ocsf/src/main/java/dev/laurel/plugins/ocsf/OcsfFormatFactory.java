package dev.laurel.plugins.ocsf;

import dev.laurel.api.Format;
import dev.laurel.api.FormatFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Setting;
import dev.laurel.api.internal.FormatContext;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

/** Creates the {@code ocsf} format: OCSF 1.8.0 events (docs/format-ocsf.md). */
public final class OcsfFormatFactory implements FormatFactory {

    static final Setting<String> HOST_NAME = Setting.string("host-name",
            "device.hostname of events without a node= (auditd's name_format); default: the machine's host name"
                    + " from PROC-ROOT/sys/kernel/hostname, none with proc-root: none");

    static final Setting<Boolean> CAPTIONS = Setting.bool("captions",
            "also write OCSF's optional captions beside their ids: class_name, category_name, type_name, "
                    + "severity, status, launch_type, a file's type, a connection's direction and protocol_ver "
                    + "(activity_name is always written)")
            .withDefault(false);

    @Override
    public String type() {
        return "ocsf";
    }

    @Override
    public String description() {
        return "OCSF 1.8.0: Process, File System, Network Activity, Authentication, Account Change "
                + "or Base Event per event, the rest under unmapped";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(HOST_NAME, CAPTIONS);
    }

    @Override
    public Format create(PluginConfig config, PluginContext context) {
        String host = config.isSet(HOST_NAME) ? config.get(HOST_NAME)
                : FormatContext.hostName(context, "ocsf", "device.hostname");
        ProcessTable processes = FormatContext.processes(context);     // null in a harness: parents from parent-info alone
        return new OcsfFormat(version(), host == null || host.isEmpty() ? null : host, config.get(CAPTIONS),
                processes);
    }

    /** laurel's version, from the build (a filtered resource). */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = OcsfFormatFactory.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
