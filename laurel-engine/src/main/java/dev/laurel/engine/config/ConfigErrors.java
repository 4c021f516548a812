package dev.laurel.engine.config;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a config, reported together. laurel exits with status 78 (EX_CONFIG). */
public final class ConfigErrors extends Exception {
    private static final long serialVersionUID = 1L;

    /** The exit status for a bad config, from sysexits.h. */
    public static final int EXIT_STATUS = 78;

    private final transient List<ConfigError> errors;

    public ConfigErrors(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
