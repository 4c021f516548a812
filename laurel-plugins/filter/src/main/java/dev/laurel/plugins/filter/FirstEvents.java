package dev.laurel.plugins.filter;

import dev.laurel.api.EventId;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which processes have had an event, so that the first one can be kept. A process is
 * its pid together with its last exec's event id (or, for a process laurel saw no exec of, its
 * start time), so a reused pid or a new exec is a new process.
 *
 * <p>Bounded: past {@code capacity} processes the least recently seen is forgotten, and its next
 * event would count as a first one again (one extra event kept, never one lost).
 */
final class FirstEvents {

    /** A process's identity. */
    record Process(long pid, EventId lastExec, long startTime) {
    }

    private final Map<Process, Boolean> seen;

    FirstEvents(int capacity) {
        this.seen = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Process, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records an event of {@code process}; returns whether it is the process's first. */
    boolean first(Process process) {
        return seen.put(process, Boolean.TRUE) == null;
    }

    int size() {
        return seen.size();
    }
}
