package dev.laurel.api;

/**
 * Creates {@link Sink}s. Register implementations in
 * {@code META-INF/services/dev.laurel.api.SinkFactory}.
 */
public interface SinkFactory extends PluginFactory<Sink> {
}
