package dev.laurel.api;

/**
 * Creates {@link Enricher}s. Register implementations in
 * {@code META-INF/services/dev.laurel.api.EnricherFactory}.
 *
 * <pre>{@code
 * public final class TagFactory implements EnricherFactory {
 *     static final Setting<String> TAG = Setting.string("tag", "The tag to add").required();
 *     public String type() { return "tag"; }
 *     public String description() { return "Adds a fixed TAG field to every event"; }
 *     public List<Setting<?>> settings() { return List.of(TAG); }
 *     public Enricher create(PluginConfig config, PluginContext context) {
 *         Value tag = Value.text(config.get(TAG));
 *         return event -> event.put("TAG", tag);
 *     }
 * }
 * }</pre>
 */
public interface EnricherFactory extends PluginFactory<Enricher> {
}
