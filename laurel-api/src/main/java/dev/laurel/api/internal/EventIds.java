package dev.laurel.api.internal;

import dev.laurel.api.EventId;

import java.nio.charset.StandardCharsets;

/**
 * An {@link EventId} written as bytes, as {@link EventId#toString()} spells it
 * ({@code 1626611363.720:348501}), without a String per event: the ecs and ocsf formats' ids and
 * the kafka sink's record keys.
 */
public final class EventIds {
    /** Room enough for any id {@link #write} writes: 20 digits and a sign, a dot, 11, a colon, 20. */
    public static final int MAX_LENGTH = 54;

    private EventIds() {
    }

    /**
     * Writes {@code id} into {@code b} from {@code p}, as {@link EventId#toString()} does; returns
     * the end. {@code b} needs {@link #MAX_LENGTH} bytes from {@code p}.
     */
    public static int write(EventId id, byte[] b, int p) {
        long seconds = id.seconds();
        long serial = id.serial();
        int ms = id.millis();
        if (seconds < 0 || serial < 0 || ms < 0 || ms > 999) {
            // outside what auditd writes: as toString has it
            byte[] text = id.toString().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, b, p, text.length);
            return p + text.length;
        }
        p = digits(b, p, seconds);
        b[p++] = '.';
        b[p++] = (byte) ('0' + ms / 100);
        b[p++] = (byte) ('0' + ms / 10 % 10);
        b[p++] = (byte) ('0' + ms % 10);
        b[p++] = ':';
        return digits(b, p, serial);
    }

    /**
     * The decimal digits of {@code v >= 0} at {@code p}; returns the end. In int arithmetic where
     * it fits: a long division is a runtime call in C1-compiled code (laurel's compiler), and an
     * id has two numbers of ten digits or so. A digit is a multiply and a shift, not a division
     * (an int division is a slow instruction, and two per digit were 1% of the ecs format's CPU).
     */
    public static int digits(byte[] b, int p, long v) {
        if (v > Integer.MAX_VALUE) {
            long high = v / 1_000_000_000;
            p = digits(b, p, high);
            int low = (int) (v - high * 1_000_000_000);
            for (int i = p + 8; i >= p; i--) {
                int q = (int) ((low * 0xCCCCCCCDL) >>> 35);     // low / 10, exact for every non-negative int
                b[i] = (byte) ('0' + low - q * 10);
                low = q;
            }
            return p + 9;
        }
        int x = (int) v;
        int end = p + 1;
        for (int t = x; t >= 10; t = (int) ((t * 0xCCCCCCCDL) >>> 35)) {
            end++;
        }
        int i = end;
        do {
            int q = (int) ((x * 0xCCCCCCCDL) >>> 35);
            b[--i] = (byte) ('0' + x - q * 10);
            x = q;
        } while (x != 0);
        return end;
    }
}
