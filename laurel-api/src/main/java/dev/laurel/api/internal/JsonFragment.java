package dev.laurel.api.internal;

import dev.laurel.api.EventJson;

import java.util.function.Consumer;

/**
 * A constant part of a format's JSON, written with one call: the calls that write it are made
 * once, and the writer keeps the bytes they gave and copies them from then on. For the
 * {@code ecs} and {@code ocsf} formats' constant members ({@code "kind":"event","module":"auditd"},
 * OCSF's {@code metadata.product}, a class's ids): under C1, laurel's compiler, the calls per key
 * and value cost more than the bytes. The bytes are those of the calls, so the output is the same.
 *
 * <pre>{@code
 * static final JsonFragment KIND = JsonFragment.of(out -> {
 *     out.key("kind");
 *     out.string("event");
 * });
 * KIND.writeTo(out);       // "kind":"event", with the comma before it that is due
 * }</pre>
 *
 * <p>The calls must write whole members or values (keys and values in pairs inside an object)
 * and may leave objects and arrays they start open, or close ones started before; they must write
 * the same every time. Immutable once made; the bytes a writer keeps are published safely, so
 * one fragment may serve several threads.
 */
public final class JsonFragment {
    private final Consumer<EventJson> calls;
    /** What a writer made of the calls ({@link Writer#fragment}); null until then. */
    private volatile Object made;

    private JsonFragment(Consumer<EventJson> calls) {
        this.calls = calls;
    }

    /** The fragment {@code calls} write. */
    public static JsonFragment of(Consumer<EventJson> calls) {
        return new JsonFragment(calls);
    }

    /** Writes the fragment to {@code out}: its kept bytes if {@code out} can take them, else by making the calls. */
    public void writeTo(EventJson out) {
        if (out instanceof Writer w) {
            w.fragment(this);
        } else {
            calls.accept(out);
        }
    }

    /** Makes the calls on {@code out}: for a {@link Writer} making the bytes it keeps. */
    public void replay(EventJson out) {
        calls.accept(out);
    }

    /** What a writer keeps for this fragment, or null: opaque here, immutable (final fields) there. */
    public Object made() {
        return made;
    }

    /** Keeps {@code value} for {@link #made}: the same for every writer of one kind, so a race only makes it twice. */
    public void keep(Object value) {
        made = value;
    }

    /** An {@link EventJson} that writes fragments from their kept bytes: the engine's writer. */
    public interface Writer {
        /** Writes {@code fragment}, making its bytes with {@link #replay} the first time. */
        void fragment(JsonFragment fragment);
    }
}
