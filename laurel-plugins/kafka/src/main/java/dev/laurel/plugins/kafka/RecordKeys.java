package dev.laurel.plugins.kafka;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventId;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.internal.EventIds;

import java.nio.charset.StandardCharsets;

/**
 * Each record's key ({@code key:}) as UTF-8 bytes, written into an array kept for the next event
 * instead of a String and its bytes per event: {@code HOST}, {@code SECONDS.MILLIS:SERIAL} or
 * {@code HOST:PID:EXEC-ID} ({@code -} for an unknown exec). Chain thread only.
 */
final class RecordKeys {
    private final KafkaSink.KeyMode mode;
    private final String machine;
    private final ProcessTable processes;
    /** The key of the event last written. */
    final EventSlabs.Line key = new EventSlabs.Line(128);
    private String host;
    private byte[] hostBytes;

    /** {@code processes} null: {@code key: process} knows no exec ids (a harness without a process table). */
    RecordKeys(KafkaSink.KeyMode mode, String machine, ProcessTable processes) {
        this.mode = mode;
        this.machine = machine;
        this.processes = processes;
    }

    /** Writes the key of {@code e} into {@link #key}; false for {@code key: none}. */
    boolean write(AuditEvent e) {
        key.reset();
        switch (mode) {
            case NONE -> {
                return false;
            }
            case HOST -> host(e);
            case EVENT_ID -> eventId(e.id());
            case PROCESS -> {
                host(e);
                Record sc = e.first(RecordType.SYSCALL);
                long pid = sc == null ? -1 : sc.getLong("pid", -1);
                if (pid >= 0) { // no process: the host's events keep their order
                    ProcessInfo p = processes == null ? null : processes.get(pid);
                    EventId exec = p == null ? null : p.lastExec();
                    key.write(':');
                    key.ensure(20);
                    key.length = EventIds.digits(key.bytes, key.length, pid);
                    key.write(':');
                    if (exec == null) {
                        key.write('-');
                    } else {
                        eventId(exec);
                    }
                }
            }
        }
        return true;
    }

    private void host(AuditEvent e) {
        String h = e.node() != null && !e.node().isEmpty() ? e.node() : machine;
        if (!h.equals(host)) {
            host = h;
            hostBytes = h.getBytes(StandardCharsets.UTF_8);
        }
        key.write(hostBytes, 0, hostBytes.length);
    }

    /** As {@link EventId#toString()}. */
    private void eventId(EventId id) {
        key.ensure(EventIds.MAX_LENGTH);
        key.length = EventIds.write(id, key.bytes, key.length);
    }
}
