package dev.laurel.plugins.ocsf;

import dev.laurel.api.Format;
import dev.laurel.api.FormatFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Properties;

/** Creates the {@code ocsf} format: OCSF 1.8.0 events (docs/format-ocsf.md). */
public final class OcsfFormatFactory implements FormatFactory {

    static final Setting<String> HOSTNAME = Setting.string("hostname",
            "device.hostname of events without a node name (node= in the audit record); "
                    + "default: this host's name");

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
        return List.of(HOSTNAME, CAPTIONS);
    }

    @Override
    public Format create(PluginConfig config, PluginContext context) {
        String hostname = config.isSet(HOSTNAME) ? config.get(HOSTNAME) : localHostname();
        return new OcsfFormat(version(), hostname, config.get(CAPTIONS));
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

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
