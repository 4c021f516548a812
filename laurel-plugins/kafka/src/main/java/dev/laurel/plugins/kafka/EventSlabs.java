package dev.laurel.plugins.kafka;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the kafka sink keeps each event's key and JSON line from the chain thread until the
 * brokers acknowledge it: copied into slabs of 1 MiB that are used again once every event in
 * them has its answer.
 *
 * <p>Why not one array per event: when the brokers are slower than laurel (or away), events wait
 * in the buffer and in the producer for a second or more, long enough for the collector to copy
 * each into the old generation, where they die: measured on the 200-copy corpus into a local
 * broker, 15 full collections (1.2 s) against 1 (0.08 s) with the json-file sink. Slabs are few and
 * live long, so what waits costs no collection.
 *
 * <p>Threads: {@link #store} on the chain thread only; {@link Stored#key()}, {@link Stored#value()}
 * and {@link #release} on any thread, each {@link Stored} released once.
 */
final class EventSlabs {
    static final int SLAB_BYTES = 1 << 20;
    /** An event larger than this gets an array of its own, so that a slab holds several. */
    static final int LARGEST_IN_SLAB = SLAB_BYTES / 4;
    /** Free slabs kept for reuse; more (after an outage) are left to the collector. */
    static final int KEEP_FREE = 4;

    /** Bytes of one or more events, and how many of them still wait for an answer. */
    static final class Slab {
        final byte[] bytes;
        /** Chain thread only, while the slab is the one it fills. */
        int used;
        /** Stored events not yet released, plus one while the chain thread fills the slab. */
        final AtomicInteger holds = new AtomicInteger(1);

        Slab(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    /** One event: its key ({@code keyLength} -1 for none) and JSON line at {@code offset} in {@code bytes}. */
    record Stored(byte[] bytes, int offset, int keyLength, int valueLength, Slab slab) {
        /** A copy of the key, for the producer (which copies it again into its batch). */
        byte[] key() {
            return keyLength < 0 ? null : Arrays.copyOfRange(bytes, offset, offset + keyLength);
        }

        byte[] value() {
            int start = offset + Math.max(0, keyLength);
            return Arrays.copyOfRange(bytes, start, start + valueLength);
        }
    }

    private final ConcurrentLinkedQueue<Slab> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger freeCount = new AtomicInteger();
    /** Chain thread only. */
    private Slab current;

    /** Copies {@code key} (or none) and the first {@code length} bytes of {@code value}. */
    Stored store(byte[] key, byte[] value, int length) {
        return store(key, key == null ? -1 : key.length, value, length);
    }

    /** Copies the first {@code keyLength} bytes of {@code key} (-1: none) and {@code length} of {@code value}. */
    Stored store(byte[] key, int keyLength, byte[] value, int length) {
        int size = Math.max(0, keyLength) + length;
        if (size > LARGEST_IN_SLAB) {
            byte[] own = new byte[size];
            copy(key, keyLength, value, length, own, 0);
            return new Stored(own, 0, keyLength, length, null);
        }
        if (current == null || current.used + size > SLAB_BYTES) {
            if (current != null) {
                release(current); // the chain thread's hold: the slab is full
            }
            current = free.poll();
            if (current != null) {
                freeCount.decrementAndGet();
            } else {
                current = new Slab(new byte[SLAB_BYTES]);
            }
        }
        Slab s = current;
        int offset = s.used;
        copy(key, keyLength, value, length, s.bytes, offset);
        s.used += size;
        s.holds.incrementAndGet();
        return new Stored(s.bytes, offset, keyLength, length, s);
    }

    /** The event has its answer (acknowledged, refused for good, or dropped): its bytes may go. */
    void release(Stored stored) {
        if (stored.slab() != null) {
            release(stored.slab());
        }
    }

    private void release(Slab s) {
        if (s.holds.decrementAndGet() == 0) {
            // nobody holds it: the chain thread moved on and every event in it is answered
            s.used = 0;
            s.holds.set(1);
            if (freeCount.incrementAndGet() <= KEEP_FREE) {
                free.add(s);
            } else {
                freeCount.decrementAndGet();
            }
        }
    }

    private static void copy(byte[] key, int keyLength, byte[] value, int length, byte[] to, int at) {
        if (keyLength > 0) {
            System.arraycopy(key, 0, to, at, keyLength);
            at += keyLength;
        }
        System.arraycopy(value, 0, to, at, length);
    }

    /** An event's JSON line as the engine writes it (or its key), into an array kept for the next event. */
    static final class Line extends OutputStream {
        byte[] bytes;
        int length;

        Line() {
            this(64 * 1024);
        }

        Line(int size) {
            bytes = new byte[size];
        }

        void reset() {
            length = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, length, len);
            length += len;
        }

        void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
