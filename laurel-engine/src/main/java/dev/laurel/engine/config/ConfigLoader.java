package dev.laurel.engine.config;

import dev.laurel.engine.plugin.PluginRegistry;

import java.nio.file.Path;

/**
 * Reads a YAML config (SnakeYAML, keeping node marks), validates every setting against the
 * plugins' declared {@link dev.laurel.api.Setting}s and creates the chain. Every problem is
 * collected and reported together, each with file:line:column.
 */
public final class ConfigLoader {

    public ConfigLoader(PluginRegistry registry) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Loads, validates and creates the chain; throws with every problem found. */
    public LaurelConfig load(Path file) throws ConfigErrors {
        throw new UnsupportedOperationException("not yet");
    }
}
