package dev.laurel.api;

/**
 * Creates {@link Format}s. {@link #type()} is the name users write as a sink entry's
 * {@code format:} ({@code laurel}, {@code ecs}, {@code ocsf}); {@link #settings()} are the options
 * written under it. Register implementations in
 * {@code META-INF/services/dev.laurel.api.FormatFactory}.
 *
 * <pre>{@code
 * public final class MinimalFormatFactory implements FormatFactory {
 *     public String type() { return "minimal"; }
 *     public String description() { return "The event's time and pid, nothing else"; }
 *     public List<Setting<?>> settings() { return List.of(); }
 *     public Format create(PluginConfig config, PluginContext context) { return new MinimalFormat(); }
 * }
 * }</pre>
 *
 * In a config:
 * <pre>{@code
 * sinks:
 *   - type: json-file
 *     file: /var/log/laurel/ecs.log
 *     format: ecs                      # or: format: {type: ecs, OPTION: VALUE}
 * }</pre>
 *
 * @since 1.1
 */
public interface FormatFactory extends PluginFactory<Format> {
}
