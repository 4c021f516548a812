package dev.laurel.engine.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * Sends {@link System.Logger} output, which plugins get from
 * {@link dev.laurel.api.PluginContext#logger()}, to laurel's own log: without it the JDK would
 * write it to stderr through java.util.logging, where auditd's plugins are not heard.
 * Registered in {@code META-INF/services/java.lang.System$LoggerFinder}.
 */
public final class Slf4jLoggerFinder extends System.LoggerFinder {

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new Bridge(LoggerFactory.getLogger(name));
    }

    private record Bridge(Logger log) implements System.Logger {
        @Override
        public String getName() {
            return log.getName();
        }

        @Override
        public boolean isLoggable(Level level) {
            return switch (level) {
                case ALL, TRACE -> log.isTraceEnabled();
                case DEBUG -> log.isDebugEnabled();
                case INFO -> log.isInfoEnabled();
                case WARNING -> log.isWarnEnabled();
                case ERROR -> log.isErrorEnabled();
                case OFF -> false;
            };
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                emit(level, localized(bundle, msg), thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String pattern = localized(bundle, format);
                String text = params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params);
                emit(level, text, null);
            }
        }

        private void emit(Level level, String text, Throwable thrown) {
            switch (level) {
                case ALL, TRACE -> log.trace(text, thrown);
                case DEBUG -> log.debug(text, thrown);
                case INFO -> log.info(text, thrown);
                case WARNING -> log.warn(text, thrown);
                case ERROR -> log.error(text, thrown);
                case OFF -> {
                }
            }
        }

        private static String localized(ResourceBundle bundle, String key) {
            if (bundle == null || key == null || !bundle.containsKey(key)) {
                return key;
            }
            return bundle.getString(key);
        }
    }
}
