package dev.laurel.engine.plugin;

/** A plugin directory or jar cannot be used; the message names the jar and what to do. */
public final class PluginLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    public PluginLoadException(String message) {
        super(message);
    }

    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
