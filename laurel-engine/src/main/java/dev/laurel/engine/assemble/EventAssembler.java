package dev.laurel.engine.assemble;

import dev.laurel.api.AuditEvent;
import dev.laurel.engine.parse.ParsedRecord;

import java.util.function.Consumer;

/**
 * Groups parsed records into events by (node, event id).
 *
 * <p>Kernel events are complete at their EOE; a user-space record (see
 * {@link dev.laurel.api.RecordType#isUserSpace()}) is an event by itself even when it shares an
 * id with a kernel event. Events interleave. An event whose EOE never comes is emitted after a
 * bounded wait, counted in event time (records with later ids) and, for live input, in wall-clock
 * time ({@link #expire(long)}); {@link #flush()} emits everything pending at end of input. A
 * multi-record EXECVE ({@code argc} over several records, {@code aN_len} with {@code aN[i]}
 * fragments) becomes one EXECVE record with {@code argc} and an {@code ARGV} list.
 *
 * <p>Not thread-safe: owned by the pipeline thread.
 */
public final class EventAssembler {

    /** Completed events go to {@code out}, in completion order. */
    public EventAssembler(Consumer<AuditEvent> out) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Adds one record; may complete this or older events. */
    public void accept(ParsedRecord record) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Emits events that have waited longer than the wall-clock limit as of {@code nowMillis}. */
    public void expire(long nowMillis) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Emits every pending event (end of input). */
    public void flush() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The number of events still waiting for records. */
    public int pending() {
        throw new UnsupportedOperationException("not yet");
    }
}
