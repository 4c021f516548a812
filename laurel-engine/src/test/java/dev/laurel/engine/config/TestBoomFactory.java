package dev.laurel.engine.config;

import dev.laurel.api.Enricher;
import dev.laurel.api.EnricherFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.List;

/** A test enricher whose {@code create} fails with a bug, not a config problem. */
public final class TestBoomFactory implements EnricherFactory {
    @Override
    public String type() {
        return "test-boom";
    }

    @Override
    public String description() {
        return "Fails to start (test)";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of();
    }

    @Override
    public Enricher create(PluginConfig config, PluginContext context) {
        throw new IllegalStateException("boom");
    }
}
