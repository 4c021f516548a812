package dev.laurel.engine.config;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.Value;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A test enricher with one setting of each type; it adds {@code TAG} to every event. */
public final class TestTagFactory implements EnricherFactory {
    static final Setting<String> TAG = Setting.string("tag", "The tag to add").required();
    static final Setting<Long> COUNT = Setting.integer("count", "How often").withDefault(1L)
            .check(n -> n > 0, "must be positive");
    static final Setting<Boolean> ENABLED = Setting.bool("enabled", "Whether to tag").withDefault(true);
    static final Setting<List<String>> TAGS = Setting.stringList("tags", "More tags").withDefault(List.of());
    static final Setting<Map<String, String>> LABELS = Setting.stringMap("labels", "Labels").withDefault(Map.of());
    static final Setting<String> MODE = Setting.choice("mode", "How strict", "strict", "lenient")
            .withDefault("strict");
    static final Setting<Duration> DELAY = Setting.duration("delay", "How long to wait").withDefault(Duration.ZERO);

    /** What {@link #create} made of the config, for tests. */
    record Tagger(String id, String tag, long count, boolean enabled, List<String> tags, Map<String, String> labels,
                  String mode, PluginContext context) implements Enricher {
        @Override
        public void enrich(AuditEvent event) {
            if (enabled) {
                event.put("TAG", Value.text(tag));
            }
        }

        @Override
        public void close() {
            ChainRecorder.record("close " + id);
        }
    }

    @Override
    public String type() {
        return "test-tag";
    }

    @Override
    public String description() {
        return "Adds a TAG field (test)";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(TAG, COUNT, ENABLED, TAGS, LABELS, MODE, DELAY);
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) {
        ChainRecorder.record("create " + config.id());
        return new Tagger(config.id(), config.get(TAG), config.get(COUNT), config.get(ENABLED), config.get(TAGS),
                config.get(LABELS), config.get(MODE), context);
    }
}
