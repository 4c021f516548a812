package dev.laurel.plugins.syslog;

import dev.laurel.api.ConfigException;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.PluginFactory;
import dev.laurel.api.Setting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options as the config loader would give them: unknown names and failed checks rejected. */
final class TestConfig implements PluginConfig {
    private final String type;
    private final Map<String, Object> options;

    private TestConfig(String type, Map<String, Object> options) {
        this.type = type;
        this.options = options;
    }

    static PluginContext context() {
        return () -> System.getLogger("laurel.test.syslog");
    }

    static <P extends AutoCloseable> P create(PluginFactory<P> factory, Map<String, Object> options) throws ConfigException {
        List<ConfigException.Problem> problems = new ArrayList<>();
        for (String name : options.keySet()) {
            if (factory.settings().stream().noneMatch(s -> s.name().equals(name))) {
                problems.add(new ConfigException.Problem(name, "is not an option of " + factory.type()));
            }
        }
        for (Setting<?> s : factory.settings()) {
            check(s, options, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return factory.create(new TestConfig(factory.type(), new LinkedHashMap<>(options)), context());
    }

    @SuppressWarnings("unchecked")
    private static <T> void check(Setting<T> s, Map<String, Object> options, List<ConfigException.Problem> problems) {
        Object v = options.get(s.name());
        if (v == null) {
            if (s.isRequired()) {
                problems.add(new ConfigException.Problem(s.name(), "is required"));
            }
            return;
        }
        String problem = s.firstProblem((T) v);
        if (problem != null) {
            problems.add(new ConfigException.Problem(s.name(), problem));
        }
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String id() {
        return type;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Object v = options.get(setting.name());
        return v != null ? (T) v : setting.defaultValue();
    }

    @Override
    public boolean isSet(Setting<?> setting) {
        return options.containsKey(setting.name());
    }
}
