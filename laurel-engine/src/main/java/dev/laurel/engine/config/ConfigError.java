package dev.laurel.engine.config;

/**
 * One problem in a config file, where it is and what to do about it. Printed as
 * {@code FILE:LINE:COLUMN: MESSAGE} (line and column 1-based; 0 when unknown).
 */
public record ConfigError(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
