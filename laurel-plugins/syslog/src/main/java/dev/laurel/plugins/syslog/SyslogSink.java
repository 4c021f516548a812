package dev.laurel.plugins.syslog;

import dev.laurel.api.OutputEvent;
import dev.laurel.api.Sink;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends each event to a syslog receiver as one message: a syslog header, then the event's JSON
 * line.
 *
 * <p>Threading: the chain thread calls {@link #write}, which renders the message and puts it in a
 * bounded queue; one sender thread per sink ({@code laurel-syslog-ID}) takes messages from it and
 * owns the connection. When the receiver is away the sender keeps the message it holds, reconnects
 * with exponential backoff (100 ms doubling up to {@code reconnect-max-delay}) and the queue fills;
 * once full, {@code on-full: block} makes {@code write} wait (back-pressure up the chain to
 * auditd) and {@code on-full: drop} discards the new event, counted and logged.
 *
 * <p>Delivery: plain syslog over TCP or TLS has no acknowledgements, so bytes the kernel has
 * accepted when the receiver dies are lost without an error. To make up for it the sender keeps
 * the last {@code replay-bytes} of messages sent on a connection and sends them again, before
 * anything else, on the next connection when the old one broke mid-stream: a send failed, the
 * receiver reset it (it closed with bytes unread), or it closed it less than 200 ms after our
 * last send. Delivery across receiver restarts
 * is therefore at-least-once as long as what was lost fits the window: duplicates are possible
 * and counted ({@link #replayed()}, logged on reconnect). A connection the receiver closed in
 * order while laurel was idle is not replayed, so a receiver restarted then gets no duplicates. UDP
 * is fire-and-forget; a unix datagram socket either takes a message whole or refuses it.
 */
final class SyslogSink implements Sink {
    static final long INITIAL_DELAY_MS = 100;
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final String id;
    private final Logger log;
    private final SyslogFormat format;
    private final Transport.Opener opener;
    private final ArrayBlockingQueue<byte[]> queue;
    private final boolean dropWhenFull;
    private final int maxMessage;
    private final boolean truncate;
    private final long maxDelayMs;
    private final long closeTimeoutMs;
    private final long replayLimit;
    private final Thread sender;

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong oversize = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    /** Sender thread only. */
    private long replayBytes;
    private volatile int undelivered;
    /** Events not delivered (or not known to be) when {@link #close()} gave up. */
    private volatile long leftAtClose;
    /** Messages the sender has finished with (sent, or dropped as oversize) and flushed. */
    private volatile long flushedDone;
    /** A connection attempt failed and none succeeded since. */
    private volatile boolean receiverAway;
    private volatile boolean closing;
    private volatile boolean reloadRequested;
    private volatile Transport current;

    /** Chain thread only. */
    private long accepted;
    private long lastDropLog;

    SyslogSink(String id, Logger log, SyslogFormat format, Transport.Opener opener, int bufferEvents,
               boolean dropWhenFull, int maxMessage, boolean truncate, long maxDelayMs,
               long closeTimeoutMs, long replayLimit) {
        this.id = id;
        this.log = log;
        this.format = format;
        this.opener = opener;
        this.queue = new ArrayBlockingQueue<>(bufferEvents);
        this.dropWhenFull = dropWhenFull;
        this.maxMessage = maxMessage <= 0 ? Integer.MAX_VALUE : maxMessage;
        this.truncate = truncate;
        this.maxDelayMs = maxDelayMs;
        this.closeTimeoutMs = closeTimeoutMs;
        this.replayLimit = replayLimit;
        this.sender = new Thread(this::run, "laurel-syslog-" + id);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    @Override
    public void write(OutputEvent event) throws IOException {
        if (!sender.isAlive()) {
            throw new IOException("the syslog sender thread has stopped (see the log)");
        }
        byte[] message = format.message(event.event().id().epochMillis(), event.json());
        if (dropWhenFull) {
            if (!queue.offer(message)) {
                long n = dropped.incrementAndGet();
                long now = System.nanoTime();
                if (n == 1 || now - lastDropLog >= LOG_EVERY_NANOS) {
                    lastDropLog = now;
                    log.log(Level.WARNING, "syslog sink {0}: buffer full ({1} events), receiver {2} "
                            + "not keeping up; {3} events dropped so far", id, queue.size(),
                            opener.describe(), n);
                }
                return;
            }
        } else {
            try {
                queue.put(message);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for room in the syslog buffer");
            }
        }
        accepted++;
    }

    /**
     * Waits until every event written so far has been handed to the operating system, unless the
     * receiver is away (the events then stay buffered) or {@code close-timeout} passes.
     */
    @Override
    public void flush() {
        long target = accepted;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeTimeoutMs);
        while (flushedDone < target && !receiverAway && sender.isAlive() && System.nanoTime() < deadline) {
            sleepQuietly(1);
        }
    }

    /** Re-reads TLS certificates and reconnects with them. */
    @Override
    public void reopen() {
        reloadRequested = true;
    }

    @Override
    public void close() {
        closing = true;
        try {
            sender.join(closeTimeoutMs);
            if (sender.isAlive()) {
                sender.interrupt();
                Transport t = current;
                if (t != null) {
                    t.close(); // unblocks a write to a receiver that stopped reading
                }
                sender.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size() + undelivered;
        leftAtClose = left;
        if (left > 0 || dropped.get() > 0 || oversize.get() > 0) {
            log.log(Level.WARNING, "syslog sink {0}: closed with {1} events not delivered (or not known to be) to {2}; "
                    + "{3} dropped (buffer full), {4} oversize ({5})", id, left, opener.describe(),
                    dropped.get(), oversize.get(), truncate ? "truncated" : "dropped");
        }
    }

    /** The events {@link #close()} reported as not delivered (or not known to be). */
    @Override
    public long undelivered() {
        return leftAtClose;
    }

    long dropped() {
        return dropped.get();
    }

    long oversize() {
        return oversize.get();
    }

    /** Messages sent a second time after a connection broke mid-stream. */
    long replayed() {
        return replayed.get();
    }

    long sent() {
        return sent.get();
    }

    private void run() {
        try {
            sendLoop();
        } catch (RuntimeException | Error e) {
            log.log(Level.ERROR, "syslog sink " + id + ": the sender thread failed", e);
            throw e;
        }
    }

    private void sendLoop() {
        byte[] message = null;
        boolean idle = true;
        boolean failing = false;
        long delay = INITIAL_DELAY_MS;
        long taken = 0;
        long lastSend = 0;
        long lastFailureLog = 0;
        long lastOversizeLog = 0;
        long closeDeadline = Long.MAX_VALUE;
        Transport transport = null;
        // Sent on the current connection, newest last, at most replayBytes; sent again when the
        // connection breaks mid-stream (see the class comment).
        ArrayDeque<byte[]> replay = new ArrayDeque<>();
        // To send before anything from the queue: what a broken connection may have lost.
        ArrayDeque<byte[]> retry = new ArrayDeque<>();
        // The messages in retry that a broken connection had already carried: counted as
        // replayed when they go out again, not before, so that sent = first sends + replayed.
        java.util.Set<byte[]> sentBefore = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (true) {
            if (closing && closeDeadline == Long.MAX_VALUE) {
                closeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeTimeoutMs);
            }
            if (message == null) {
                message = retry.pollFirst();
            }
            if (message == null) {
                message = queue.poll();
                if (message == null) {
                    if (transport != null && !idle && !flushed(transport, closing)) {
                        // What the Java buffer and the kernel held may be lost: send the
                        // replay window again on a new connection, also while closing
                        // (within close-timeout), rather than abandon it.
                        log.log(Level.WARNING, "syslog sink {0}: {1} went away; sending the last "
                                + "{2} messages again", id, opener.describe(), replay.size());
                        closeTransport(transport);
                        transport = null;
                        failing = true;
                        requeue(replay, null, retry, sentBefore);
                        continue;
                    }
                    flushedDone = taken;
                    idle = true;
                    if (closing) {
                        // write() may have queued more between the poll and close(): closing
                        // is read first, so everything written before close() is seen here
                        if (queue.isEmpty()) {
                            break;
                        }
                        continue;
                    }
                    try {
                        message = queue.poll(50, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        break;
                    }
                    if (message == null) {
                        continue;
                    }
                }
                taken++;
            }
            if (reloadRequested) {
                reloadRequested = false;
                try {
                    opener.reload();
                    log.log(Level.INFO, "syslog sink {0}: reloaded certificates", id);
                } catch (IOException e) {
                    log.log(Level.ERROR, "syslog sink {0}: cannot reload certificates, keeping the "
                            + "old ones: {1}", id, e.getMessage());
                }
                if (transport != null) {
                    try {
                        transport.flush();
                    } catch (IOException e) {
                        // reconnecting anyway
                    }
                    closeTransport(transport);
                    transport = null;
                    replay.clear();
                    replayBytes = 0;
                }
            }
            Transport.Peer peer = transport != null && idle ? transport.peer() : Transport.Peer.OPEN;
            if (peer != Transport.Peer.OPEN) {
                closeTransport(transport);
                transport = null;
                // A reset means the receiver closed with bytes unread; an orderly close right
                // after a send may still have crossed bytes in flight.
                if (peer == Transport.Peer.RESET || System.nanoTime() - lastSend < QUIET_NANOS) {
                    requeue(replay, message, retry, sentBefore);
                    message = null;
                    continue;
                }
                replay.clear();
                replayBytes = 0;
            }
            if (transport == null) {
                if (closing && System.nanoTime() > closeDeadline) {
                    break;
                }
                try {
                    transport = opener.open();
                    current = transport;
                    receiverAway = false;
                    if (failing) {
                        log.log(Level.INFO, "syslog sink {0}: connected to {1} again; {2} messages "
                                + "sent again so far", id, opener.describe(), replayed.get());
                    }
                    failing = false;
                    delay = INITIAL_DELAY_MS;
                } catch (IOException e) {
                    receiverAway = true;
                    long now = System.nanoTime();
                    if (!failing || now - lastFailureLog >= LOG_EVERY_NANOS) {
                        lastFailureLog = now;
                        log.log(Level.WARNING, "syslog sink {0}: cannot connect to {1}: {2}; "
                                + "retrying in {3} ms, {4} events buffered", id, opener.describe(),
                                e.getMessage(), delay, queue.size() + retry.size() + 1);
                    }
                    failing = true;
                    if (!sleepQuietly(delay)) {
                        break;
                    }
                    delay = Math.min(delay * 2, maxDelayMs);
                    continue;
                }
            }
            idle = false;
            int length = message.length;
            int limit = Math.min(maxMessage, transport.maxMessage());
            if (length > limit) {
                long n = oversize.incrementAndGet();
                long now = System.nanoTime();
                if (n == 1 || now - lastOversizeLog >= LOG_EVERY_NANOS) {
                    lastOversizeLog = now;
                    log.log(Level.WARNING, "syslog sink {0}: a message of {1} bytes exceeds the "
                            + "limit of {2}; {3} ({4} so far)", id, length, limit,
                            truncate ? "truncated" : "dropped", n);
                }
                if (!truncate) {
                    message = null;
                    continue;
                }
                length = utf8Boundary(message, limit);
                message = java.util.Arrays.copyOf(message, length);
            }
            try {
                transport.send(message, length);
                sent.incrementAndGet();
                if (!sentBefore.isEmpty() && sentBefore.remove(message)) {
                    replayed.incrementAndGet();
                }
                lastSend = System.nanoTime();
                if (replayLimit > 0) {
                    replay.addLast(message);
                    replayBytes += length;
                    while (replayBytes > replayLimit) {
                        replayBytes -= replay.removeFirst().length;
                    }
                }
                message = null;
            } catch (IOException e) {
                log.log(Level.WARNING, "syslog sink {0}: sending to {1} failed: {2}; reconnecting",
                        id, opener.describe(), e.getMessage());
                closeTransport(transport);
                transport = null;
                failing = true;
                requeue(replay, message, retry, sentBefore);
                message = null;
            }
        }
        if (transport != null) {
            if (!flushed(transport, true)) {
                // Out of time: what the last connection held counts as undelivered.
                requeue(replay, null, retry, sentBefore);
            }
            closeTransport(transport);
        }
        undelivered = retry.size() + (message != null ? 1 : 0);
        flushedDone = taken;
    }

    /**
     * Flushes the transport; false if the receiver may not have got what was sent on it: the
     * flush failed or, when {@code closing} (no later send will find out), the receiver reset
     * the connection or closed it.
     */
    private boolean flushed(Transport transport, boolean closing) {
        try {
            transport.flush();
        } catch (IOException e) {
            return false;
        }
        return !closing || transport.peer() == Transport.Peer.OPEN;
    }

    /**
     * Puts what the last connection may have lost before the rest: the replay window, then the
     * message that failed. The window's messages are marked as sent before.
     */
    private void requeue(ArrayDeque<byte[]> replay, byte[] failed, ArrayDeque<byte[]> retry,
                         java.util.Set<byte[]> sentBefore) {
        if (failed != null) {
            retry.addFirst(failed);
        }
        while (!replay.isEmpty()) {
            byte[] m = replay.removeLast();
            sentBefore.add(m);
            retry.addFirst(m);
        }
        replayBytes = 0;
    }

    private void closeTransport(Transport t) {
        t.close();
        current = null;
    }

    /** The largest length ≤ limit that does not cut a UTF-8 sequence. */
    static int utf8Boundary(byte[] b, int limit) {
        int n = limit;
        while (n > 0 && (b[n] & 0xC0) == 0x80) {
            n--;
        }
        return n;
    }

    private static boolean sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
