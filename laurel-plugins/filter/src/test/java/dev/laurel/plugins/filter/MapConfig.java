package dev.laurel.plugins.filter;

import dev.laurel.api.PluginConfig;
import dev.laurel.api.Setting;

import java.util.Map;

/** Test-only: options by name, already of their setting's type; defaults for the rest. */
record MapConfig(String type, Map<String, Object> values) implements PluginConfig {

    @Override
    public String id() {
        return type;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Object v = values.get(setting.name());
        return v == null ? setting.defaultValue() : (T) v;
    }

    @Override
    public boolean isSet(Setting<?> setting) {
        return values.containsKey(setting.name());
    }
}
