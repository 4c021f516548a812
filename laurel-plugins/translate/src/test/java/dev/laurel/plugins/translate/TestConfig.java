package dev.laurel.plugins.translate;

import dev.laurel.api.PluginConfig;
import dev.laurel.api.Setting;

import java.util.HashMap;
import java.util.Map;

/** A validated config as the engine would hand it over: set values, else the defaults. */
final class TestConfig implements PluginConfig {
    private final Map<String, Object> values = new HashMap<>();

    <T> TestConfig with(Setting<T> setting, T value) {
        values.put(setting.name(), value);
        return this;
    }

    @Override
    public String type() {
        return "translate";
    }

    @Override
    public String id() {
        return "translate";
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return values.containsKey(setting.name()) ? (T) values.get(setting.name()) : setting.defaultValue();
    }

    @Override
    public boolean isSet(Setting<?> setting) {
        return values.containsKey(setting.name());
    }
}
