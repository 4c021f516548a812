package dev.laurel.api;

/**
 * The identity auditd gives an event: {@code msg=audit(SECONDS.MILLIS:SERIAL)}.
 *
 * <p>Records of one event share this id (and the node, if any). The kernel's serial restarts at
 * boot and auditd's own records carry auditd's serials, so an id is only unique together with
 * its node and record kind; see {@link AuditEvent}.
 *
 * <pre>{@code
 * EventId id = new EventId(1626611363L, 720, 348501L);
 * id.toString();   // "1626611363.720:348501"
 * }</pre>
 *
 * @param seconds seconds since the epoch
 * @param millis  milliseconds, 0 to 999
 * @param serial  the serial number auditd or the kernel assigned
 */
public record EventId(long seconds, int millis, long serial) implements Comparable<EventId> {

    /** Milliseconds since the epoch. */
    public long epochMillis() {
        return seconds * 1000 + millis;
    }

    /** The form auditd and LAUREL write: {@code "1626611363.720:348501"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(32).append(seconds).append('.');
        if (millis < 100) {
            sb.append('0');
        }
        if (millis < 10) {
            sb.append('0');
        }
        return sb.append(millis).append(':').append(serial).toString();
    }

    /**
     * The same id: the three numbers equal. Written out rather than left to the record's
     * generated equals, which runs through a method-handle chain that laurel's compiler (C1)
     * does not inline: the process table makes a process's id anew for each lookup, and
     * parent-info compares them for every event (0.7% of a full chain's CPU, JFR).
     */
    @Override
    public final boolean equals(Object o) {
        return o == this
                || o instanceof EventId e && serial == e.serial && seconds == e.seconds && millis == e.millis;
    }

    @Override
    public int compareTo(EventId o) {
        int c = Long.compare(epochMillis(), o.epochMillis());
        return c != 0 ? c : Long.compare(serial, o.serial);
    }
}
