package dev.laurel.plugins.testkit;

import dev.laurel.api.ConfigException;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.PluginFactory;
import dev.laurel.api.Setting;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link PluginConfig} from a map of option name to value (already of the setting's Java type),
 * checked like the engine does: unknown options, missing required ones and failed
 * {@link Setting#check} conditions all become one {@link ConfigException}.
 */
public final class MapConfig implements PluginConfig {
    private final String type;
    private final Map<String, Object> options;

    private MapConfig(String type, Map<String, Object> options) {
        this.type = type;
        this.options = options;
    }

    /** Checks {@code options} against the factory's settings and creates the enricher or sink. */
    public static <P extends AutoCloseable> P create(PluginFactory<P> factory, Map<String, Object> options)
            throws ConfigException {
        return create(factory, options, context());
    }

    /**
     * As {@link #create(PluginFactory, Map)}, with {@code procRoot} as the context's proc root (the
     * config's top-level {@code proc-root}), e.g. a {@link FakeProc}'s.
     */
    public static <P extends AutoCloseable> P create(PluginFactory<P> factory, Map<String, Object> options,
                                                     Path procRoot) throws ConfigException {
        return create(factory, options, context(procRoot));
    }

    private static <P extends AutoCloseable> P create(PluginFactory<P> factory, Map<String, Object> options,
                                                      PluginContext context) throws ConfigException {
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
        return factory.create(new MapConfig(factory.type(), options), context);
    }

    /**
     * The options as they are, unchecked (defaults for the rest), for tests that call
     * {@link PluginFactory#create} themselves, e.g. with their own context.
     */
    public static PluginConfig of(String type, Map<String, Object> options) {
        return new MapConfig(type, options);
    }

    /** A context with a logger and no process table; its proc root is the default, /proc. */
    public static PluginContext context() {
        return () -> System.getLogger("laurel.test");
    }

    /** A context with a logger, no process table and {@code procRoot} ({@code null} for none). */
    public static PluginContext context(Path procRoot) {
        return new PluginContext() {
            @Override
            public System.Logger logger() {
                return System.getLogger("laurel.test");
            }

            @Override
            public Optional<Path> procRoot() {
                return Optional.ofNullable(procRoot);
            }
        };
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
