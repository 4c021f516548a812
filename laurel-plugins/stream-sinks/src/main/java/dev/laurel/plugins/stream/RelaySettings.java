package dev.laurel.plugins.stream;

import dev.laurel.api.PluginConfig;
import dev.laurel.api.Setting;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The options the unix-socket and pipe sinks share: how lines look and how they are buffered. */
final class RelaySettings {
    private RelaySettings() {
    }

    static final Setting<String> LINE_PREFIX = Setting.string("line-prefix",
                    "Written before each event's JSON, e.g. \"@cee: \"")
            .withDefault("");
    static final Setting<Long> BUFFER_EVENTS = Setting.integer("buffer-events",
                    "How many events are held while the receiver is away")
            .withDefault(10_000L)
            .check(n -> n >= 1, "must be at least 1")
            .check(n -> n <= 10_000_000, "must be at most 10000000");
    static final Setting<String> ON_FULL = Setting.choice("on-full",
                    "When the buffer is full: block (wait, holding up auditd) or drop (count and log)",
                    "block", "drop")
            .withDefault("block");

    static LineRelay relay(PluginConfig config, Peer.Source source, System.Logger log) {
        return new LineRelay(config.id(), source, config.get(LINE_PREFIX).getBytes(StandardCharsets.UTF_8),
                config.get(BUFFER_EVENTS).intValue(),
                LineRelay.OnFull.valueOf(config.get(ON_FULL).toUpperCase(Locale.ROOT)), log);
    }
}
