package dev.laurel.engine.config;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.ConfigException;
import dev.laurel.api.EventJson;
import dev.laurel.api.Format;
import dev.laurel.api.FormatFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.List;

/** A test format writing {"label":LABEL,"id":"..."}; {@code label: bad} is a problem only {@code create} sees. */
public final class TestFormatFactory implements FormatFactory {
    static final Setting<String> LABEL = Setting.string("label", "What to write as label").withDefault("none");

    record Labeled(String label) implements Format {
        @Override
        public void encode(AuditEvent event, EventJson out) {
            out.startObject();
            out.key("label");
            out.string(label);
            out.key("id");
            out.string(event.id().toString());
            out.endObject();
        }

        @Override
        public void close() {
            ChainRecorder.record("close format " + label);
        }
    }

    @Override
    public String type() {
        return "test-format";
    }

    @Override
    public String description() {
        return "Writes a label and the id (test)";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(LABEL);
    }

    @Override
    public Format create(PluginConfig config, PluginContext context) throws ConfigException {
        if (config.get(LABEL).equals("bad")) {
            throw new ConfigException("label", "must not be bad");
        }
        ChainRecorder.record("create format " + config.get(LABEL));
        return new Labeled(config.get(LABEL));
    }
}
