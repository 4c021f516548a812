package dev.laurel.engine.json;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventJson;
import dev.laurel.api.Format;

/**
 * The {@code laurel} format: LAUREL's JSON dialect, written by {@link EventEncoder}. The engine
 * recognizes it and runs the encoder straight into the sinks' buffer, so the default output costs
 * what it cost before formats were plugins; {@link #encode} serves anything else that asks.
 */
public final class LaurelFormat implements Format {
    /** The one instance: the format has no options. */
    public static final LaurelFormat INSTANCE = new LaurelFormat();

    private LaurelFormat() {
    }

    @Override
    public void encode(AuditEvent event, EventJson out) {
        if (!(out instanceof FormatJson json)) {
            throw new UnsupportedOperationException("the laurel format writes only into the engine's EventJson");
        }
        json.encodeLaurel(event);
    }

    @Override
    public String toString() {
        return "laurel";
    }
}
