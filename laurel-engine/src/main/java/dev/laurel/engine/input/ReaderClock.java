package dev.laurel.engine.input;

import java.util.concurrent.locks.LockSupport;

/**
 * The reading thread's time: how long a read took and the waits for a window to gather
 * ({@link LineReader}). The system's in laurel; a test's own, advanced by its waits, where the
 * behaviour under a given input rate must not depend on how busy the machine is.
 */
interface ReaderClock {

    /** The system's monotonic clock, and parking the thread for real. */
    ReaderClock SYSTEM = new ReaderClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void parkNanos(long nanos) {
            LockSupport.parkNanos(nanos);
        }
    };

    /** Now, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits about {@code nanos}, as {@link LockSupport#parkNanos(long)}. */
    void parkNanos(long nanos);
}
