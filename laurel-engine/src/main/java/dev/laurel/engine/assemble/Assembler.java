package dev.laurel.engine.assemble;

import dev.laurel.api.AuditEvent;
import dev.laurel.engine.parse.ParsedRecord;

import java.util.List;
import java.util.function.Consumer;

/**
 * Groups records into events and hands completed ones on, for the pipeline;
 * {@link EventAssembler} in production, a stand-in in tests. The pipeline makes it with a
 * {@link Factory}, giving where completed events and unused records go, and calls it from its
 * own thread only.
 *
 * <pre>{@code
 * Assembler assembler = EventAssembler.factory(limits).create(events::add, (record, reason) -> { });
 * assembler.accept(record);
 * assembler.flush();   // end of input: every pending event
 * }</pre>
 */
public interface Assembler {
    /** Adds one record; may complete this or older events. */
    void accept(ParsedRecord record);

    /** Emits events that waited too long by wall-clock time. */
    void expire(long nowMillis);

    /** Emits every pending event. */
    void flush();

    /**
     * Whether no event is pending, so that nothing can expire by wall-clock time; false by
     * default (the pipeline then calls {@link #expire} every flush interval, also when idle).
     */
    default boolean isEmpty() {
        return false;
    }

    /**
     * The input lines of the pending events' records, for the state file; feeding them back
     * to a new assembler restores those events. Empty by default.
     */
    default List<byte[]> pendingLines() {
        return List.of();
    }

    /** What the assembler noticed, for the summary at the end; empty if nothing. */
    default String summary() {
        return "";
    }

    /** Told of each record the assembler does not use (late, duplicate, stray EOEs; see {@link EventAssembler}). */
    @FunctionalInterface
    interface Rejects {
        /** {@code record} was not used, because of {@code reason} (a sentence fragment). */
        void reject(ParsedRecord record, String reason);
    }

    /** Makes an assembler that sends completed events to {@code events} and unused records to {@code rejects}. */
    @FunctionalInterface
    interface Factory {
        Assembler create(Consumer<AuditEvent> events, Rejects rejects);
    }
}
