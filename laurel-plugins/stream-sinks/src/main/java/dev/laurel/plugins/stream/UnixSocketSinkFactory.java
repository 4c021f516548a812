package dev.laurel.plugins.stream;

import dev.laurel.api.ConfigException;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code type: unix-socket}: writes one JSON line per event to a unix stream socket, connecting
 * again (with back-off) whenever the listener goes away; events wait in a bounded buffer meanwhile.
 *
 * <pre>
 * sinks:
 *   - type: unix-socket
 *     path: /run/vector/laurel.sock
 *     line-prefix: ""            # e.g. "@cee: "
 *     buffer-events: 10000
 *     on-full: block             # or drop (counted and logged)
 * </pre>
 */
public final class UnixSocketSinkFactory implements SinkFactory {
    static final Setting<String> PATH = Setting.string("path", "The unix stream socket to connect to")
            .required()
            .check(s -> !s.isBlank(), "must name a socket file");

    @Override
    public String type() {
        return "unix-socket";
    }

    @Override
    public String description() {
        return "Writes each event as one line of JSON to a unix stream socket, reconnecting when it goes away";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(PATH, RelaySettings.LINE_PREFIX, RelaySettings.BUFFER_EVENTS, RelaySettings.ON_FULL);
    }

    @Override
    public Sink create(PluginConfig config, PluginContext context) throws ConfigException {
        Path path;
        try {
            path = Path.of(config.get(PATH));
        } catch (InvalidPathException e) {
            throw new ConfigException("path", "not a valid path: " + e.getReason());
        }
        // Not connected here: the listener may start after laurel, and events wait for it.
        return RelaySettings.relay(config, UnixSocketPeer.to(path), context.logger());
    }
}
