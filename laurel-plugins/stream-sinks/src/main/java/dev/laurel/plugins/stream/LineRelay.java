package dev.laurel.plugins.stream;

import dev.laurel.api.OutputEvent;
import dev.laurel.api.Sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A sink that hands JSON lines to a {@link Peer} that may come and go (a socket's listener, a
 * command), through a bounded buffer and a thread of its own, so that the chain never waits on
 * the peer unless the buffer is full and the policy is {@link OnFull#BLOCK}.
 *
 * <p>When the peer is lost, the relay opens a new one, waiting 100 ms after the first failure and
 * twice as long after each further one, up to 5 s. Lines being written when the peer failed are
 * written again to the new peer, so a line is never split across peers, and a peer that read some
 * of them before it failed may see those again (at-least-once). Lines the peer had received but
 * not read when it went away are lost with it.
 */
final class LineRelay implements Sink {
    /** What {@link #write} does when the buffer is full. */
    enum OnFull {
        /** Wait for room: back-pressure on the chain, and through it on auditd. */
        BLOCK,
        /** Drop the event, count it and log the count. */
        DROP
    }

    static final long FIRST_RETRY_MILLIS = 100;
    static final long LAST_RETRY_MILLIS = 5_000;
    /** How long {@link #close()} waits for the buffer to drain. */
    static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final int BATCH = 256;
    /** Wrapped afresh for each line; never written to. */
    private static final byte[] NEWLINE = {'\n'};

    private final Peer.Source source;
    private final byte[] prefix;
    private final ArrayBlockingQueue<byte[]> queue;
    private final OnFull onFull;
    private final System.Logger log;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean closing;
    private volatile long closeDeadline;
    private volatile long droppedWhenLogged;
    private long lostAtClose;

    LineRelay(String id, Peer.Source source, byte[] prefix, int capacity, OnFull onFull, System.Logger log) {
        this.source = source;
        this.prefix = prefix.clone();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.onFull = onFull;
        this.log = log;
        this.thread = new Thread(this::relay, "laurel-sink-" + id);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void write(OutputEvent event) throws IOException {
        byte[] json = event.json();
        if (onFull == OnFull.BLOCK) {
            try {
                // Wait for room, but not for a relay thread that died: that would hang the chain.
                while (!queue.offer(json, 100, TimeUnit.MILLISECONDS)) {
                    if (!thread.isAlive()) {
                        throw new IOException("the relay to " + source.describe() + " has stopped");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for room in the buffer for " + source.describe());
            }
        } else if (!queue.offer(json)) {
            long n = dropped.incrementAndGet();
            if (n == droppedWhenLogged + 1) {
                log.log(WARNING, "the buffer for " + source.describe() + " is full (" + (queue.remainingCapacity()
                        + queue.size()) + " events): dropping events until it drains; the count is logged then");
            }
        }
    }

    /** Events dropped because the buffer was full ({@link OnFull#DROP}). */
    long dropped() {
        return dropped.get();
    }

    /** Events written to a peer. */
    long delivered() {
        return delivered.get();
    }

    /** Events still buffered when {@link #close()} gave up waiting. */
    long lostAtClose() {
        return lostAtClose;
    }

    /** {@link #lostAtClose()}: the engine counts them as not written. */
    @Override
    public long undelivered() {
        return lostAtClose;
    }

    /** Waits up to {@value #CLOSE_WAIT_MILLIS} ms for the buffered events to reach the peer, then lets go. */
    @Override
    public void close() {
        closeDeadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
        closing = true;
        try {
            thread.join(CLOSE_WAIT_MILLIS + 1_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1_000);
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    /** The relay thread: takes batches from the buffer and writes them, (re)opening the peer as needed. */
    private void relay() {
        List<byte[]> batch = new ArrayList<>(BATCH);
        Peer peer = null;
        long retry = FIRST_RETRY_MILLIS;
        boolean failing = false;
        try {
            while (true) {
                if (batch.isEmpty()) {
                    byte[] first = queue.poll(50, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (closing) {
                            break;
                        }
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                if (closing && System.currentTimeMillis() > closeDeadline) {
                    break;
                }
                if (peer == null) {
                    try {
                        peer = source.open();
                        if (failing) {
                            log.log(INFO, "connected to " + source.describe() + " again");
                            failing = false;
                        }
                        reportDrops();
                    } catch (IOException | RuntimeException e) {
                        if (!failing) {
                            log.log(WARNING, "cannot reach " + source.describe() + ": " + e.getMessage()
                                    + "; retrying, " + (queue.size() + batch.size()) + " events buffered");
                            failing = true;
                        }
                        Thread.sleep(retry);
                        retry = Math.min(retry * 2, LAST_RETRY_MILLIS);
                        continue;
                    }
                }
                try {
                    peer.write(buffers(batch));
                    delivered.addAndGet(batch.size());
                    batch.clear();
                    retry = FIRST_RETRY_MILLIS;
                } catch (IOException | RuntimeException e) {
                    log.log(WARNING, "lost " + source.describe() + ": " + e.getMessage() + "; reconnecting");
                    failing = true;
                    peer.close();
                    peer = null;
                    Thread.sleep(retry);
                    retry = Math.min(retry * 2, LAST_RETRY_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting
        } finally {
            if (peer != null) {
                peer.close();
            }
            lostAtClose = batch.size() + queue.size();
            if (lostAtClose > 0) {
                log.log(WARNING, lostAtClose + " buffered events not delivered to " + source.describe()
                        + " before laurel stopped");
            }
            reportDrops();
        }
    }

    private void reportDrops() {
        long n = dropped.get();
        if (n > droppedWhenLogged) {
            log.log(WARNING, "dropped " + (n - droppedWhenLogged) + " events while " + source.describe()
                    + " was unavailable and the buffer full (" + n + " in total)");
            droppedWhenLogged = n;
        }
    }

    private ByteBuffer[] buffers(List<byte[]> lines) {
        int per = prefix.length > 0 ? 3 : 2;
        ByteBuffer[] buffers = new ByteBuffer[lines.size() * per];
        int i = 0;
        for (byte[] line : lines) {
            if (per == 3) {
                buffers[i++] = ByteBuffer.wrap(prefix);
            }
            buffers[i++] = ByteBuffer.wrap(line);
            buffers[i++] = ByteBuffer.wrap(NEWLINE);
        }
        return buffers;
    }
}
