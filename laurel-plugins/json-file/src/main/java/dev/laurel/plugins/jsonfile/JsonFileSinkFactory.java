package dev.laurel.plugins.jsonfile;

import dev.laurel.api.ConfigException;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code type: json-file}: appends one JSON line per event to a file, or writes them to stdout.
 *
 * <pre>
 * sinks:
 *   - type: json-file
 *     file: /var/log/laurel/audit.log    # or "-" for stdout
 * </pre>
 */
public final class JsonFileSinkFactory implements SinkFactory {
    static final Setting<String> FILE = Setting.string("file",
                    "Where to append the events, one JSON line each; \"-\" for standard output. "
                            + "A new file is created with mode 0640.")
            .required()
            .check(s -> !s.isBlank(), "must name a file, or \"-\" for standard output");

    @Override
    public String type() {
        return "json-file";
    }

    @Override
    public String description() {
        return "Writes each event as one line of JSON to a file or to standard output";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(FILE);
    }

    @Override
    public Sink create(PluginConfig config, PluginContext context) throws ConfigException {
        String file = config.get(FILE);
        if (file.equals(JsonFileSink.STDOUT)) {
            return JsonFileSink.stdout();
        }
        Path path = Path.of(file);
        try {
            return JsonFileSink.append(path);
        } catch (IOException e) {
            throw new ConfigException("file", "cannot open " + path + " for appending: " + reason(e));
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "its directory does not exist";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
