package dev.laurel.engine.plugin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * A {@link System.Logger} (what plugins see, as the API has no third-party dependencies) that
 * writes to an SLF4J logger of the same name (what laurel's log configuration controls).
 * Parameters use {@link MessageFormat} placeholders ({@code {0}}), as System.Logger specifies.
 */
final class Slf4jSystemLogger implements System.Logger {
    private final Logger logger;

    Slf4jSystemLogger(String name) {
        this.logger = LoggerFactory.getLogger(name);
    }

    @Override
    public String getName() {
        return logger.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return switch (level) {
            case ALL, TRACE -> logger.isTraceEnabled();
            case DEBUG -> logger.isDebugEnabled();
            case INFO -> logger.isInfoEnabled();
            case WARNING -> logger.isWarnEnabled();
            case ERROR -> logger.isErrorEnabled();
            case OFF -> false;
        };
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (isLoggable(level)) {
            write(level, localized(bundle, msg), thrown);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
            String pattern = localized(bundle, format);
            String text = params == null || params.length == 0 || pattern == null
                    ? pattern
                    : MessageFormat.format(pattern, params);
            write(level, text, null);
        }
    }

    private void write(Level level, String text, Throwable thrown) {
        switch (level) {
            case ALL, TRACE -> logger.trace(text, thrown);
            case DEBUG -> logger.debug(text, thrown);
            case INFO -> logger.info(text, thrown);
            case WARNING -> logger.warn(text, thrown);
            case ERROR -> logger.error(text, thrown);
            case OFF -> { }
        }
    }

    private static String localized(ResourceBundle bundle, String key) {
        if (bundle == null || key == null) {
            return key;
        }
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
    }
}
