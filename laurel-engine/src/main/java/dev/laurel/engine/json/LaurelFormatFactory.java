package dev.laurel.engine.json;

import dev.laurel.api.Format;
import dev.laurel.api.FormatFactory;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;

import java.util.List;

/** The {@code laurel} format's factory, the default {@code format:} of every sink. */
public final class LaurelFormatFactory implements FormatFactory {
    /** The format's name, and every sink's format unless it says otherwise. */
    public static final String TYPE = "laurel";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "LAUREL's JSON (docs/format.md), byte for byte as LAUREL 0.5.1 writes it; the default";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of();
    }

    @Override
    public Format create(PluginConfig config, PluginContext context) {
        return LaurelFormat.INSTANCE;
    }
}
