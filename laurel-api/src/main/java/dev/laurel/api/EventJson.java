package dev.laurel.api;

/**
 * Where a {@link Format} writes an event: a streaming JSON writer over the engine's reused byte
 * buffer, which places the commas. Keys and values alternate inside objects; a value is a string,
 * a number, a boolean, null, an object or an array.
 *
 * <p>Two methods give formats the laurel format's exact rendering of audit data, so that no
 * format re-implements hex decoding, percent escaping or number typing:
 * {@link #fieldValue(Record, int)} writes a record's field as the laurel format writes it
 * ({@code pid=42} as {@code 42}, {@code a0=3} as {@code "0x3"}, a decoded {@code comm} as its
 * text), and {@link #value(Value)} writes a value such as an enricher's extra.
 *
 * <p>Text is written as the laurel format writes it (docs/format.md): bytes that are not
 * printable UTF-8 are percent-escaped, so any bytes give valid JSON.
 *
 * <pre>{@code
 * out.startObject();
 * out.key("event");
 * out.startObject();
 * out.key("action");
 * out.string("executed");
 * out.endObject();
 * out.key("process");
 * out.startObject();
 * out.key("pid");
 * out.fieldValue(syscall, syscall.indexOf("pid"));
 * out.endObject();
 * out.endObject();          // {"event":{"action":"executed"},"process":{"pid":42}}
 * }</pre>
 *
 * <p>Not thread-safe; used on the chain's thread only, and only during {@link Format#encode}.
 *
 * @since 1.1
 */
public interface EventJson {

    void startObject();

    void endObject();

    void startArray();

    void endArray();

    /**
     * An object's next key. The writer may keep the key's encoded bytes by String instance, so
     * formats should use constant keys where they can; any text is accepted (odd characters are
     * percent-escaped as in the laurel format). The format must not write one key twice in an object.
     */
    void key(String key);

    /** A string value. */
    void string(String text);

    /** A string value of any bytes (meant to be UTF-8; what is not is percent-escaped). */
    void string(byte[] utf8, int offset, int length);

    void number(long n);

    void bool(boolean b);

    void nullValue();

    /**
     * Field {@code i} of {@code record}'s value, exactly as the laurel format writes it: a number,
     * a {@code "0x.."} string, text, null, or a list (such as a SYSCALL's {@code ARGV}).
     */
    void fieldValue(Record record, int i);

    /** A value as the laurel format writes an enricher's top-level field. */
    void value(Value v);
}
