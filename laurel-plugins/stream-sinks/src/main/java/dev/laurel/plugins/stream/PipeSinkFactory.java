package dev.laurel.plugins.stream;

import dev.laurel.api.ConfigException;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code type: pipe}: starts a command (argv, no shell) and writes one JSON line per event to its
 * standard input, starting it again (with back-off) if it exits; its standard error goes to
 * laurel's log, its standard output is discarded.
 *
 * <pre>
 * sinks:
 *   - type: pipe
 *     command: [/usr/bin/logger, -t, laurel]
 *     buffer-events: 10000
 *     on-full: block             # or drop (counted and logged)
 * </pre>
 */
public final class PipeSinkFactory implements SinkFactory {
    static final Setting<List<String>> COMMAND = Setting.stringList("command",
                    "The program and its arguments, run without a shell, e.g. [/usr/bin/logger, -t, laurel]")
            .required()
            .check(argv -> !argv.isEmpty() && !argv.get(0).isBlank(), "must name a program to run");

    @Override
    public String type() {
        return "pipe";
    }

    @Override
    public String description() {
        return "Writes each event as one line of JSON to a command's standard input, restarting it when it exits";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(COMMAND, RelaySettings.LINE_PREFIX, RelaySettings.BUFFER_EVENTS, RelaySettings.ON_FULL);
    }

    @Override
    public Sink create(PluginConfig config, PluginContext context) throws ConfigException {
        String program = config.get(COMMAND).get(0);
        // A path can be checked now; a bare name is looked up in PATH when it starts.
        if (program.contains("/") && !Files.isExecutable(Path.of(program))) {
            throw new ConfigException("command", "\"" + program + "\" is not an executable file");
        }
        return RelaySettings.relay(config, CommandPeer.of(config.get(COMMAND), context.logger()), context.logger());
    }
}
