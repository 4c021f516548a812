package dev.laurel.plugins.stream;

import dev.laurel.api.ConfigException;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code type: pipe}: starts a command (argv, no shell) and writes one JSON line per event to its
 * standard input, starting it again (with back-off) if it exits; its standard error goes to
 * laurel's log, its standard output is discarded. The command gets none of laurel's capabilities
 * (see {@link ChildCapabilities}).
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
        ChildCapabilities capabilities;
        try {
            capabilities = ChildCapabilities.of(Path.of("/proc/self/status"));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("command", "cannot read laurel's capabilities from /proc/self/status to start the"
                    + " command without them: " + e);
        }
        String setpriv = ChildCapabilities.findSetpriv(System.getenv("PATH"));
        if (capabilities.childWouldHaveAny() && setpriv == null) {
            throw new ConfigException("command", "the command would inherit laurel's capabilities and setpriv(1),"
                    + " which starts it without them, is missing; install util-linux");
        }
        List<String> argv = capabilities.argv(config.get(COMMAND), setpriv);
        return RelaySettings.relay(config, CommandPeer.of(config.get(COMMAND), argv, context.logger()),
                context.logger());
    }
}
