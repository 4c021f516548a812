package dev.laurel.plugins.testkit;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plugin logger that keeps what was logged, as {@code "LEVEL message"} lines, for tests that
 * assert a plugin's diagnostics.
 *
 * <pre>{@code
 * RecordingLogger log = new RecordingLogger();
 * ... sink created with a context whose logger() is log ...
 * assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("WARNING json-file"));
 * }</pre>
 */
public final class RecordingLogger implements System.Logger {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    /**
     * Every line logged so far, oldest first: a live list that is safe to stream, iterate and
     * assert on while the plugin logs from another thread (each iteration sees a snapshot).
     */
    public List<String> lines() {
        return lines;
    }

    @Override
    public String getName() {
        return "laurel.test";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        lines.add(level + " " + msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        // as System.Logger's contract says: a java.text.MessageFormat pattern when given parameters
        lines.add(level + " " + (params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
    }
}
