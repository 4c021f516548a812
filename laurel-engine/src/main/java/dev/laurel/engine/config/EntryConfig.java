package dev.laurel.engine.config;

import dev.laurel.api.PluginConfig;
import dev.laurel.api.Setting;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The validated options of one chain entry, by setting name, as a factory receives them. */
final class EntryConfig implements PluginConfig {
    private final String type;
    private final String id;
    private final Map<String, Object> values;

    EntryConfig(String type, String id, Map<String, Object> values) {
        this.type = type;
        this.id = id;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Object value = values.get(setting.name());
        return value != null ? (T) value : setting.defaultValue();
    }

    @Override
    public boolean isSet(Setting<?> setting) {
        return values.containsKey(setting.name());
    }

    /** The options set, by setting name: with the type, what makes two entries the same. */
    Map<String, Object> values() {
        return values;
    }

    @Override
    public String toString() {
        return id + " (" + type + ") " + values;
    }
}
