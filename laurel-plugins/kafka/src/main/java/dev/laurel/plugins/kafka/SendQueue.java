package dev.laurel.plugins.kafka;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kafka sink's buffer: events in order from the chain thread to the sender thread, at most
 * {@code buffer-events}, that wakes a waiting thread once per {@link #wakeAfter} events instead of
 * once per event.
 *
 * <p>Why not an {@code ArrayBlockingQueue}: it wakes the sender for every event when the sender
 * is the faster of the two (as it is on the 200-copy corpus), and the chain thread for every
 * event taken when the buffer is full, each wake a system call and a switch of threads on both
 * sides (perf: a fifth of the kafka sink's own CPU time). Here the sender, once it has waited
 * for an empty buffer, is woken when {@link #wakeAfter} events wait, by {@link #wakeTaker()} (the
 * sink's flush, when the input goes idle), or after its own timeout; the chain thread, once it
 * has waited for a full buffer, when {@link #wakeAfter} places are free.
 *
 * <p>Threads: {@link #put}, {@link #offer} and {@link #wakeTaker} on the chain thread;
 * {@link #poll} on the sender thread; {@link #size} on any.
 */
final class SendQueue {
    /** Events that wait before a waiting thread is woken, at most a quarter of the buffer. */
    static final int WAKE_AFTER = 256;

    private final EventSlabs.Stored[] ring;
    private final int wakeAfter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    /** Guarded by lock. */
    private int head;
    private int count;
    private boolean takerWaits;
    /** The waiting sender was told to go on (spurious wake-ups aside). */
    private boolean woken;
    private boolean putterWaits;

    SendQueue(int capacity) {
        this.ring = new EventSlabs.Stored[capacity];
        this.wakeAfter = Math.max(1, Math.min(WAKE_AFTER, capacity / 4));
    }

    /** Adds {@code p}, or returns false when the buffer is full. */
    boolean offer(EventSlabs.Stored p) {
        lock.lock();
        try {
            if (count == ring.length) {
                return false;
            }
            insert(p);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code p}, waiting for room. */
    void put(EventSlabs.Stored p) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (count == ring.length) {
                putterWaits = true;
                try {
                    notFull.await();
                } finally {
                    putterWaits = false;
                }
            }
            insert(p);
        } finally {
            lock.unlock();
        }
    }

    private void insert(EventSlabs.Stored p) {
        int at = head + count;
        ring[at < ring.length ? at : at - ring.length] = p;
        count++;
        if (takerWaits && count >= wakeAfter) {
            woken = true;
            notEmpty.signal();
        }
    }

    /** Wakes the sender if it waits while events are there: the chain has nothing more for now. */
    void wakeTaker() {
        lock.lock();
        try {
            if (takerWaits && count > 0) {
                woken = true;
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The oldest event, waiting up to {@code timeout} for one; null if none came. Once it waits,
     * it returns when {@link #wakeAfter} events are there, at {@link #wakeTaker()}, or at the
     * timeout with what came meanwhile.
     */
    EventSlabs.Stored poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            if (count == 0) {
                takerWaits = true;
                woken = false;
                try {
                    while (!woken && nanos > 0) {
                        nanos = notEmpty.awaitNanos(nanos);
                    }
                } finally {
                    takerWaits = false;
                }
                if (count == 0) {
                    return null;
                }
            }
            EventSlabs.Stored p = ring[head];
            ring[head] = null;
            head = head + 1 < ring.length ? head + 1 : 0;
            count--;
            if (putterWaits && ring.length - count >= wakeAfter) {
                notFull.signal();
            }
            return p;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** The sender waits for events (for tests). */
    boolean takerWaits() {
        lock.lock();
        try {
            return takerWaits;
        } finally {
            lock.unlock();
        }
    }
}
