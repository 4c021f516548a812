package dev.laurel.engine.input;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads auditd's stream on its own thread and hands complete lines to the pipeline thread in
 * batches, through a bounded queue of reused buffers.
 *
 * <p>auditd blocks (and eventually drops records) while its plugin does not read, so reading
 * must not wait for a slow sink or a GC pause of the consumer: the reader keeps filling up to
 * {@code batches - 1} buffers (64 KiB each to start) ahead. A batch is handed over after every
 * read that completed a line, so a quiet stream is not held back waiting for a full buffer; live
 * input that arrives a record at a time is first gathered for one window ({@link #DEFAULT_WINDOW}).
 *
 * <p>Lines end at {@code \n}. A line longer than {@link #MAX_LINE} is cut there, the rest up to
 * its newline is discarded, and the cut is logged and counted. A last line without a newline is
 * still a line. The end of input, or a read error, is a final batch with {@link LineBatch#isEnd()}.
 *
 * <pre>{@code
 * try (LineReader reader = LineReader.start(AuditInput.open("-"), "stdin")) {
 *     for (LineBatch b; (b = reader.poll(100, MILLISECONDS)) == null || !b.isEnd(); ) { ... }
 * }
 * }</pre>
 */
public final class LineReader implements AutoCloseable {
    /** The longest line passed on; auditd's own records are far shorter (about 8 KiB). */
    public static final int MAX_LINE = 1 << 20;

    /** The default number of buffers: up to 2 MiB read ahead before the reader waits. */
    public static final int DEFAULT_BATCHES = 32;

    /** A read shorter than this is live input arriving line by line (see {@link #DEFAULT_WINDOW}). */
    private static final int TRICKLE = 16 * 1024;

    /**
     * How long trickling input gathers before it is read and handed over, by default
     * ({@code limits.read-window}). auditd writes a plugin one record per write, a few hundred to a
     * few thousand a second; reading and handing over each record woke both threads for every
     * line, and on a live host those wake-ups, with caches gone cold in between, cost several
     * times the work on the record. Waiting once per window lets its records arrive first: one
     * read and one hand-over per window. Under real auditd at about 250 execs a second
     * (bench/live-side-by-side.sh) a 20 ms window took laurel from 2.4 to 1.7 CPU-s and 50 ms to
     * 1.1.
     *
     * <p>The price: while laurel waits out a window, what arrives waits in the socket or pipe
     * and then in auditd's queue ({@code q_depth}, 2,000 records by default). auditd's socket
     * holds about 250 records: each write is charged with its kernel overhead against auditd's
     * 208 KiB send buffer (measured: 278 writes of 44 bytes, 167 of 300, 93 of 1,150), which
     * the reading end cannot enlarge. At 1,000 execs a second (8 records each) it fills in
     * about 30 ms, so a 40 ms window ends with some records in auditd's queue; the read after
     * the window's is made at once and takes them. A burst of more than about 7,000 events a second that begins just as a
     * window does can fill both within 40 ms, and auditd then drops records; a larger
     * {@code q_depth} or a shorter window avoids that.
     */
    public static final Duration DEFAULT_WINDOW = Duration.ofMillis(40);

    /** The longest window allowed: a record waits up to one window, and an event must reach the sinks within 100 ms. */
    public static final Duration LONGEST_WINDOW = Duration.ofMillis(80);

    /** The shortest window the adaptation goes down to, for input that auditd queues faster than longer windows drain it. */
    private static final long MIN_WINDOW_NANOS = 1_000_000L;

    /** A buffer this full without a newline holds a line longer than the limit. */
    private static final int FULL = MAX_LINE + 1;

    private static final Logger LOG = LoggerFactory.getLogger(LineReader.class);

    /** A byte array read as little-endian longs, for {@link #splitLines}. */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

    private final InputStream in;
    private final String name;
    /** Batches read, oldest first, from the reading thread to the consumer. */
    private final Handover full;
    /** Batches the consumer is done with, back to the reading thread. */
    private final Handover released;
    /**
     * The reading thread's free batches, the most recently released on top: a live window's
     * lines are read into the batch the consumer gave back last, still in the caches, rather
     * than into the one that has waited longest (a queue cycled through all 2 MiB of buffers).
     */
    private final LineBatch[] spare;
    private int spares;
    private final AtomicLong cutLines = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;
    /** The configured window, 0 for none (see {@link #DEFAULT_WINDOW}). */
    private final long longestWindow;
    /** The reading thread's current window for trickling input (see {@link #adapt}). */
    private long window;
    /** The reading thread's time (see {@link ReaderClock}). */
    private final ReaderClock clock;

    private LineReader(InputStream in, String name, int batches, Duration window, ReaderClock clock) {
        if (batches < 3) {
            throw new IllegalArgumentException("need at least 3 batches, got " + batches);
        }
        if (window.isNegative() || window.compareTo(LONGEST_WINDOW) > 0) {
            throw new IllegalArgumentException("window must be 0 to " + LONGEST_WINDOW.toMillis() + " ms, got " + window);
        }
        this.longestWindow = window.toNanos();
        this.window = longestWindow;
        this.clock = clock;
        this.in = in;
        this.name = name;
        // one more than the batches: a failure's last batch is made anew
        this.full = new Handover(batches + 1);
        this.released = new Handover(batches + 1);
        this.spare = new LineBatch[batches];
        for (int i = 0; i < batches; i++) {
            spare[spares++] = new LineBatch();
        }
        this.thread = new Thread(this::readAll, "laurel-input");
        // A read blocked on stdin cannot be interrupted; a daemon thread does not keep the JVM alive.
        thread.setDaemon(true);
    }

    /** Starts reading {@code in} with {@link #DEFAULT_BATCHES} buffers. */
    public static LineReader start(InputStream in, String name) {
        return start(in, name, DEFAULT_BATCHES);
    }

    /** Starts reading {@code in} with {@code batches} buffers (at least 3). */
    public static LineReader start(InputStream in, String name, int batches) {
        return start(in, name, batches, DEFAULT_WINDOW);
    }

    /**
     * Starts reading {@code in} with {@code batches} buffers (at least 3), trickling input
     * gathering for up to {@code window} (0 to {@link #LONGEST_WINDOW}; 0: no waiting).
     */
    public static LineReader start(InputStream in, String name, int batches, Duration window) {
        return start(in, name, batches, window, ReaderClock.SYSTEM);
    }

    /** {@link #start(InputStream, String, int, Duration)} on a clock of the caller's. */
    static LineReader start(InputStream in, String name, int batches, Duration window, ReaderClock clock) {
        LineReader reader = new LineReader(in, name, batches, window, clock);
        reader.thread.start();
        return reader;
    }

    /**
     * The next batch, or {@code null} if none arrived within the timeout. One consumer thread
     * at a time polls and releases.
     */
    public LineBatch poll(long timeout, TimeUnit unit) throws InterruptedException {
        return full.take(unit.toNanos(timeout));
    }

    /**
     * Makes a {@link #poll} waiting now, or else the next one, return at once, with no batch if
     * none is there: for a consumer that has something else to do. Safe from any thread.
     */
    public void wakeUp() {
        full.wake();
    }

    /** Gives a batch back for reuse once its lines have been handled. */
    public void release(LineBatch batch) {
        released.put(batch);
    }

    /** Buffers read ahead and not yet taken by {@link #poll}: how far processing lags the input. */
    public int waitingBatches() {
        return full.size();
    }

    /** Lines cut at {@link #MAX_LINE} so far. */
    public long cutLines() {
        return cutLines.get();
    }

    /** The input's name for messages ({@code stdin}, a path or a socket). */
    public String name() {
        return name;
    }

    /** Stops reading and closes the input; batches already read stay available to {@link #poll}. */
    @Override
    public void close() {
        closing = true;
        try {
            in.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", name, e.toString());
        }
    }

    private void readAll() {
        try {
            batch = takeFree();
            while (readOnce()) {
                // one read per call: C1 compiles a method called often, not a loop entered once
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("{}: reading failed", name, e);
            LineBatch last = new LineBatch();
            last.end = true;
            last.failure = new IOException("reading failed: " + e, e);
            full.put(last);
        }
    }

    // The reading thread's state between reads (see readOnce).
    private LineBatch batch;
    private int fill;              // bytes in batch.data
    private int lineStart;         // start of the line being read
    private boolean discarding;    // the rest of a cut line is being skipped
    private long discarded;
    private boolean lingered;      // this batch has waited out its window
    private int largeReads;        // large reads in a row: auditd had more queued than one read took

    /** Reads once and hands over what is due; returns whether to read on. */
    private boolean readOnce() throws InterruptedException {
        if (fill == batch.data.length) {
            if (batch.data.length < FULL) {
                batch.data = Arrays.copyOf(batch.data, Math.min(FULL, batch.data.length * 2));
            } else {
                // lineStart is 0 here: earlier lines were handed over with the read that ended them.
                batch.add(0, MAX_LINE);
                batch.cut++;
                cutLines.incrementAndGet();
                discarding = true;
                discarded = FULL - MAX_LINE;
                LineBatch next = takeFree();
                full.put(batch);
                batch = next;
                fill = 0;
                lineStart = 0;
                return true;
            }
        }
        int n;
        long readFrom = lingered ? clock.nanoTime() : 0;
        try {
            n = in.read(batch.data, fill, batch.data.length - fill);
        } catch (IOException e) {
            batch.end = true;
            if (!closing) {
                batch.failure = e;
            }
            full.put(batch);
            return false;
        }
        if (n < 0) {
            if (fill > lineStart && !discarding) {
                batch.add(lineStart, fill - lineStart);
            }
            batch.end = true;
            full.put(batch);
            return false;
        }
        int from = fill;
        int to = fill + n;
        if (discarding) {
            int nl = indexOf(batch.data, from, to);
            if (nl < 0) {
                discarded += n;
                return true;
            }
            discarded += nl - from;
            LOG.warn("{}: cut a line of {} bytes to its first {}", name, MAX_LINE + discarded, MAX_LINE);
            discarding = false;
            System.arraycopy(batch.data, nl + 1, batch.data, from, to - nl - 1);
            to = from + to - nl - 1;
        }
        lineStart = splitLines(batch, lineStart, from, to);
        fill = to;
        if (lingered && clock.nanoTime() - readFrom > window) {
            // the read waited longer than a window for a record: the first after a pause, which
            // gathers the rest of its window like any other
            lingered = false;
        }
        boolean shortRead = n < TRICKLE && fill < batch.data.length - TRICKLE;
        boolean windowed = shortRead && longestWindow > 0;
        if (longestWindow > 0) {
            adapt(shortRead);
        }
        if (windowed && !lingered) {
            // live input, a few records per read: let the window's records gather first
            // (once per batch, so a record waits at most one window to be handed over)
            lingered = true;
            if (gather()) {
                return true;
            }
        }
        if (batch.count > 0) {
            // a short read emptied the pipe: the pipeline may flush its sinks after this batch
            batch.caughtUp = shortRead;
            LineBatch next = takeFree();
            int carry = fill - lineStart;
            if (next.data.length < carry) {
                next.data = new byte[Math.min(FULL, carry * 2)];
            }
            System.arraycopy(batch.data, lineStart, next.data, 0, carry);
            full.put(batch);
            batch = next;
            fill = carry;
            lineStart = 0;
            if (windowed) {
                // Live input: wait out the next window here, so that one wake-up reads all of
                // it, rather than in a read that would wake for the window's first record. If
                // nothing came, the next read blocks: a record it waited for longer than a
                // window gathers a window of its own (see above), one sooner goes at once.
                clock.parkNanos(window);
            }
            lingered = windowed;
        }
        return true;
    }

    /**
     * Adapts the window to the input's rate after a read. A large read after a window is
     * expected (the socket holds about 250 records, which 1,000 events a second fill in 30 ms)
     * and is followed at once by another read, for what auditd queued meanwhile; if that read is
     * large too, auditd's queue is filling faster than windows of this length drain it, so the
     * window halves. It doubles back (up to the configured one) after a window whose reading
     * took at most one large read.
     */
    private void adapt(boolean shortRead) {
        if (!shortRead) {
            largeReads = Math.min(largeReads + 1, 2);
            if (largeReads == 2) {
                window = Math.max(MIN_WINDOW_NANOS, window / 2);
            }
        } else {
            if (largeReads < 2) {
                window = Math.min(longestWindow, window * 2);
            }
            largeReads = 0;
        }
    }

    /**
     * Waits one window for live input to gather; returns whether anything is readable now, so
     * that a read would not block.
     */
    private boolean gather() {
        clock.parkNanos(window);
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return false;   // the next read reports the problem
        }
    }

    /** A free batch, the most recently released first; waits while the consumer holds them all. */
    private LineBatch takeFree() throws InterruptedException {
        for (LineBatch b; (b = released.take(0)) != null; ) {
            spare[spares++] = b;
        }
        if (spares == 0) {
            spare[spares++] = released.take(Long.MAX_VALUE);
        }
        LineBatch b = spare[--spares];
        spare[spares] = null;
        b.reset();
        return b;
    }

    /**
     * Adds the lines that end in {@code batch.data[from, to)} (the line being read started at
     * {@code lineStart}); returns where the next line starts.
     *
     * <p>Looks at eight bytes at a time: C1, the launcher's compiler, neither vectorises nor
     * unrolls a byte loop, and a byte at a time this search cost about 3 ns per line byte, as
     * much as the rest of reading. A word has a newline where {@code w ^ '\n'} has a zero byte;
     * the classic test {@code (x - 0x01..) & ~x & 0x80..} marks the lowest such byte exactly
     * (a borrow can only mark bytes above it), and words are read little-endian so that the
     * lowest byte is the first.
     */
    private static int splitLines(LineBatch batch, int lineStart, int from, int to) {
        byte[] data = batch.data;
        int i = from;
        while (i <= to - Long.BYTES) {
            long x = (long) WORDS.get(data, i) ^ NEWLINES;
            long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (found == 0) {
                i += Long.BYTES;
                continue;
            }
            int nl = i + (Long.numberOfTrailingZeros(found) >>> 3);
            batch.add(lineStart, nl - lineStart);
            lineStart = nl + 1;
            i = nl + 1;
        }
        for (; i < to; i++) {
            if (data[i] == '\n') {
                batch.add(lineStart, i - lineStart);
                lineStart = i + 1;
            }
        }
        return lineStart;
    }

    private static int indexOf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Batches passed from one thread to another, oldest first: a ring with one writer and one
     * reader, which parks only when it is empty. A {@code BlockingQueue} took a lock on both
     * sides of every hand-over; the woken consumer then often found it still held and parked a
     * second time, and each such wake-up costs tens of microseconds in a VM. Here the writer
     * wakes the reader only if it is parked, at most once per batch. Never full: it has a slot
     * for every batch in circulation.
     */
    private static final class Handover {
        private final LineBatch[] slots;
        private volatile long head;     // next to take; written by the reader
        private volatile long tail;     // next to fill; written by the writer
        private volatile Thread parked; // the reader, while it waits
        private volatile boolean woken; // the reader is to stop waiting (see wake)

        Handover(int capacity) {
            slots = new LineBatch[capacity];
        }

        int size() {
            return (int) (tail - head);
        }

        void put(LineBatch batch) {
            long t = tail;
            if (t - head == slots.length) {
                throw new IllegalStateException("more batches than buffers");
            }
            slots[(int) (t % slots.length)] = batch;
            tail = t + 1;   // publishes the slot
            // tail, then parked: the reader sets parked, then reads tail, so one of us sees the other
            Thread waiting = parked;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
        }

        /** Ends the reader's wait now, or its next one, without a batch. */
        void wake() {
            woken = true;
            Thread waiting = parked;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
        }

        /** The oldest batch, waiting up to {@code nanos} ({@code Long.MAX_VALUE}: no limit); {@code null} if none. */
        LineBatch take(long nanos) throws InterruptedException {
            LineBatch b = poll();
            if (b != null || nanos <= 0) {
                return b;
            }
            long deadline = System.nanoTime() + nanos;
            parked = Thread.currentThread();
            try {
                while ((b = poll()) == null) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    if (woken) {
                        woken = false;
                        return null;
                    }
                    if (nanos == Long.MAX_VALUE) {
                        LockSupport.park(this);
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return null;
                        }
                        LockSupport.parkNanos(this, left);
                    }
                }
                return b;
            } finally {
                parked = null;
            }
        }

        private LineBatch poll() {
            long h = head;
            if (h == tail) {
                return null;
            }
            int i = (int) (h % slots.length);
            LineBatch b = slots[i];
            slots[i] = null;
            head = h + 1;
            return b;
        }
    }
}
