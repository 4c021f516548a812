package dev.laurel.engine.pipeline;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts lost events: serial numbers the kernel gave out that never arrived, per node.
 *
 * <p>The kernel numbers events 1, 2, 3, ... (from boot), user-space records included; when it or
 * auditd drops events under load, their serials leave gaps, which go-audit and Auditbeat also
 * count. auditd's own DAEMON_* records carry auditd's serials and must not be passed here.
 * Events complete out of order across CPUs, so a missing serial is counted only once
 * {@value #WINDOW} higher serials have been seen, or at {@link #finish()}.
 *
 * <p>A serial more than {@value #WINDOW} away from the sequence (a reboot restarts it; a burst
 * of loss jumps it) is held as a candidate and taken as the new sequence only when a second,
 * different serial near it follows: one damaged line cannot fake a gap of billions. Up to
 * {@value #MAX_NODES} nodes are tracked; later ones are not.
 *
 * <p>Not thread-safe: the pipeline's thread only. Memory: {@value #WINDOW} bits per node.
 */
final class SerialGaps {
    /** How far serials may arrive out of order; a power of two. */
    static final int WINDOW = 4096;
    static final int MAX_NODES = 1024;

    private final Map<String, Sequence> nodes = new HashMap<>();
    private long lost;
    private long restarts;
    /** The serial below which the latest serials were found lost, for the log. */
    private long lastLostBelow;

    /**
     * Notes that {@code serial} arrived from {@code node} ({@code null} for the local one);
     * returns how many serials this showed lost (usually 0).
     */
    long see(String node, long serial) {
        Sequence s = nodes.get(node);
        if (s == null) {
            if (nodes.size() >= MAX_NODES) {
                return 0;
            }
            s = new Sequence(serial);
            nodes.put(node, s);
            return 0;
        }
        long n = s.see(serial);
        lost += n;
        if (n > 0) {
            lastLostBelow = s.high;
        }
        return n;
    }

    /** At the end of the input: counts the serials still missing as lost; returns how many. */
    long finish() {
        long n = 0;
        for (Sequence s : nodes.values()) {
            n += s.unseen();
        }
        lost += n;
        return n;
    }

    /** Serials counted lost so far. */
    long lost() {
        return lost;
    }

    /** Times a sequence started again far from where it was (a reboot, or a jump after loss). */
    long restarts() {
        return restarts;
    }

    /** The highest serial seen when serials were last found lost. */
    long lastLostBelow() {
        return lastLostBelow;
    }

    /** One node's serials: the highest seen and which of the {@value #WINDOW} below it arrived. */
    private final class Sequence {
        private final long[] seen = new long[WINDOW / 64];
        long high;
        /** A far-away serial waiting for a second one near it; -1 if none. */
        private long candidate = -1;

        Sequence(long first) {
            start(first);
        }

        /** Serials at or below {@code first} count as seen: the sequence begins here. */
        private void start(long first) {
            java.util.Arrays.fill(seen, -1L);
            high = first;
            candidate = -1;
        }

        long see(long serial) {
            if (serial > high) {
                return serial - high > WINDOW ? farAway(serial) : advance(serial);
            }
            if (serial > high - WINDOW) {
                mark(serial);
                return 0;
            }
            return farAway(serial);
        }

        /** Moves the window up to {@code serial}; serials that leave it unseen are lost. */
        private long advance(long serial) {
            long lostNow = 0;
            for (long t = high + 1; t <= serial; t++) {
                // slot t held t - WINDOW, which now leaves the window
                int slot = (int) (t & (WINDOW - 1));
                long bit = 1L << (slot & 63);
                if ((seen[slot >>> 6] & bit) == 0) {
                    lostNow++;
                }
                seen[slot >>> 6] &= ~bit;
            }
            high = serial;
            mark(serial);
            return lostNow;
        }

        private long farAway(long serial) {
            if (candidate < 0 || serial == candidate || Math.abs(serial - candidate) > WINDOW) {
                candidate = serial;
                return 0;
            }
            long from = Math.min(serial, candidate);
            long to = Math.max(serial, candidate);
            long lostNow = unseen();
            if (from > high) {
                lostNow += from - high - 1;   // a jump ahead: everything between was lost
            } else {
                restarts++;
            }
            start(from);
            advance(to);
            return lostNow;
        }

        private void mark(long serial) {
            int slot = (int) (serial & (WINDOW - 1));
            seen[slot >>> 6] |= 1L << (slot & 63);
        }

        /** Serials in the window that have not arrived. */
        long unseen() {
            long n = 0;
            for (long word : seen) {
                n += 64 - Long.bitCount(word);
            }
            return n;
        }
    }
}
