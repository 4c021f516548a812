package dev.laurel.engine.plugin;

import dev.laurel.api.EnricherFactory;
import dev.laurel.api.SinkFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * The plugin factories laurel knows: built-ins from the class path and, for each directory
 * {@code plugins/NAME/}, the jars in it under their own class loader that shares only
 * {@code dev.laurel.api} with laurel. Two factories with one type are an error naming both jars.
 */
public final class PluginRegistry {

    /** Discovers built-ins and the plugin directories under {@code pluginsDir} (may be null). */
    public static PluginRegistry discover(Path pluginsDir) throws PluginLoadException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Enricher factories by type, sorted by type. */
    public Map<String, EnricherFactory> enrichers() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Sink factories by type, sorted by type. */
    public Map<String, SinkFactory> sinks() {
        throw new UnsupportedOperationException("not yet");
    }
}
