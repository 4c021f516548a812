package dev.laurel.engine.config;

import dev.laurel.api.ConfigException;
import dev.laurel.api.OutputEvent;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;

import java.io.IOException;
import java.util.List;

/** A test sink; {@code min > max} is a problem only {@code create} sees. */
public final class TestSinkFactory implements SinkFactory {
    static final Setting<String> FILE = Setting.string("file", "Where to write").withDefault("-");
    static final Setting<Long> MIN = Setting.integer("min", "Lower bound").withDefault(0L);
    static final Setting<Long> MAX = Setting.integer("max", "Upper bound").withDefault(10L);
    static final Setting<Boolean> FAIL_ON_CLOSE = Setting.bool("fail-on-close", "Throw from close")
            .withDefault(false);
    /** A choice, as the syslog sink's header: what a misplaced format: value may belong to. */
    static final Setting<String> HEADER = Setting.choice("header", "A header style", "rfc5424", "rfc3164")
            .withDefault("rfc5424");

    /** What {@link #create} made of the config, for tests. */
    record Recorder(String id, String file, long min, long max, boolean failOnClose) implements Sink {
        @Override
        public void write(OutputEvent event) throws IOException {
        }

        @Override
        public void close() throws IOException {
            ChainRecorder.record("close " + id);
            if (failOnClose) {
                throw new IOException("cannot close " + id);
            }
        }
    }

    @Override
    public String type() {
        return "test-sink";
    }

    @Override
    public String description() {
        return "Records what it is given (test)";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(FILE, MIN, MAX, FAIL_ON_CLOSE, HEADER);
    }

    @Override
    public Sink create(PluginConfig config, PluginContext context) throws ConfigException {
        long min = config.get(MIN);
        long max = config.get(MAX);
        if (min > max) {
            throw new ConfigException("min", "must not be greater than max (" + max + ")");
        }
        ChainRecorder.record("create " + config.id());
        return new Recorder(config.id(), config.get(FILE), min, max, config.get(FAIL_ON_CLOSE));
    }
}
