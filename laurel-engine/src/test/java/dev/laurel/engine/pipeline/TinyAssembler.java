package dev.laurel.engine.pipeline;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventId;
import dev.laurel.api.RecordType;
import dev.laurel.engine.assemble.Assembler;
import dev.laurel.engine.parse.ParsedRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A test-only stand-in for the assembler: kernel events end at EOE, user-space records are events
 * by themselves, {@link #expire} emits everything older than {@code waitMillis} of wall-clock time.
 */
final class TinyAssembler implements Assembler {
    private final Consumer<AuditEvent> out;
    private final long waitMillis;
    private final Map<EventId, AuditEvent> pending = new LinkedHashMap<>();
    private final Map<EventId, Long> arrived = new LinkedHashMap<>();
    final List<Long> expireCalls = new ArrayList<>();

    TinyAssembler(Consumer<AuditEvent> out, long waitMillis) {
        this.out = out;
        this.waitMillis = waitMillis;
    }

    @Override
    public void accept(ParsedRecord r) {
        if (r.record().type().isUserSpace()) {
            AuditEvent e = new AuditEvent(r.id(), r.node());
            e.records().add(r.record());
            out.accept(e);
            return;
        }
        if (r.record().type() == RecordType.EOE) {
            AuditEvent e = pending.remove(r.id());
            arrived.remove(r.id());
            if (e != null) {
                out.accept(e);
            }
            return;
        }
        pending.computeIfAbsent(r.id(), id -> {
            arrived.put(id, System.currentTimeMillis());
            return new AuditEvent(id, r.node());
        }).records().add(r.record());
    }

    @Override
    public void expire(long nowMillis) {
        expireCalls.add(nowMillis);
        for (EventId id : List.copyOf(pending.keySet())) {
            if (nowMillis - arrived.get(id) >= waitMillis) {
                arrived.remove(id);
                out.accept(pending.remove(id));
            }
        }
    }

    @Override
    public boolean isEmpty() {
        return pending.isEmpty();
    }

    @Override
    public void flush() {
        for (AuditEvent e : List.copyOf(pending.values())) {
            out.accept(e);
        }
        pending.clear();
        arrived.clear();
    }
}
