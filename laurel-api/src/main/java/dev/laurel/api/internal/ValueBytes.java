package dev.laurel.api.internal;

import dev.laurel.api.Value;

/** The text of a {@link Value} as bytes, as the built-in plugins read argv items and other text values. */
public final class ValueBytes {
    private ValueBytes() {
    }

    /**
     * The bytes of a text value: a {@link Value.Text}'s own (not copied), a {@link Value.Token}'s
     * decoded; {@code null} for a value without text (a number, list, object, or a token
     * without a value).
     */
    public static byte[] of(Value v) {
        if (v instanceof Value.Text t) {
            return t.bytes();
        }
        if (v instanceof Value.Token t) {
            return t.decoded();
        }
        return null;
    }
}
