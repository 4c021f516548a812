package dev.laurel.engine.config;

import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.List;

/** A test enricher that must come after {@code test-tag}. */
public final class TestNeedsTagFactory implements EnricherFactory {
    @Override
    public String type() {
        return "test-needs-tag";
    }

    @Override
    public String description() {
        return "Reads the TAG that test-tag adds (test)";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of();
    }

    @Override
    public List<String> requires() {
        return List.of("test-tag");
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) {
        ChainRecorder.record("create " + config.id());
        String id = config.id();
        return new Enricher() {
            @Override
            public void enrich(dev.laurel.api.AuditEvent event) {
            }

            @Override
            public void close() {
                ChainRecorder.record("close " + id);
            }
        };
    }
}
