package dev.laurel.plugins.syslog;

import dev.laurel.api.OutputEvent;
import dev.laurel.api.Sink;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
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
 * <p>Delivery: each message is handed to the operating system exactly once per successful send;
 * a send that fails is retried on the next connection. Plain syslog over TCP has no
 * acknowledgements, so bytes already accepted by the kernel when the receiver dies are lost; the
 * sender checks a stream connection for a close by the receiver before writing after a pause, so a
 * receiver restarted while laurel was idle loses nothing.
 */
final class SyslogSink implements Sink {
    static final long INITIAL_DELAY_MS = 100;
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

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
    private final Thread sender;

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong oversize = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    /** Messages the sender has finished with (sent, or dropped as oversize) and flushed. */
    private volatile long flushedDone;
    private volatile boolean connected;
    private volatile boolean closing;
    private volatile boolean reloadRequested;
    private volatile Transport current;

    /** Chain thread only. */
    private long accepted;
    private long lastDropLog;
    private long droppedLogged;

    SyslogSink(String id, Logger log, SyslogFormat format, Transport.Opener opener, int bufferEvents,
               boolean dropWhenFull, int maxMessage, boolean truncate, long maxDelayMs,
               long closeTimeoutMs) {
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
        this.sender = new Thread(this::run, "laurel-syslog-" + id);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    @Override
    public void write(OutputEvent event) throws IOException {
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
                    droppedLogged = n;
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
        while (flushedDone < target && connected && sender.isAlive() && System.nanoTime() < deadline) {
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
        int left = queue.size();
        if (left > 0 || dropped.get() > 0 || oversize.get() > 0) {
            log.log(Level.WARNING, "syslog sink {0}: closed with {1} events undelivered to {2}; "
                    + "{3} dropped (buffer full), {4} oversize ({5})", id, left, opener.describe(),
                    dropped.get(), oversize.get(), truncate ? "truncated" : "dropped");
        }
    }

    long dropped() {
        return dropped.get();
    }

    long oversize() {
        return oversize.get();
    }

    long sent() {
        return sent.get();
    }

    private void run() {
        byte[] message = null;
        boolean idle = true;
        boolean failing = false;
        long delay = INITIAL_DELAY_MS;
        long done = 0;
        long lastFailureLog = 0;
        long lastOversizeLog = 0;
        long closeDeadline = Long.MAX_VALUE;
        Transport transport = null;
        while (true) {
            if (closing && closeDeadline == Long.MAX_VALUE) {
                closeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeTimeoutMs);
            }
            if (message == null) {
                message = queue.poll();
                if (message == null) {
                    if (transport != null && !idle) {
                        try {
                            transport.flush();
                        } catch (IOException e) {
                            // the peer is gone: the next send finds out and reconnects
                        }
                    }
                    flushedDone = done;
                    idle = true;
                    if (closing) {
                        break;
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
                    closeTransport(transport);
                    transport = null;
                }
            }
            if (transport != null && idle && transport.isBroken()) {
                closeTransport(transport);
                transport = null;
            }
            if (transport == null) {
                if (closing && System.nanoTime() > closeDeadline) {
                    break;
                }
                try {
                    transport = opener.open();
                    current = transport;
                    connected = true;
                    if (failing) {
                        log.log(Level.INFO, "syslog sink {0}: connected to {1} again", id,
                                opener.describe());
                    }
                    failing = false;
                    delay = INITIAL_DELAY_MS;
                } catch (IOException e) {
                    connected = false;
                    long now = System.nanoTime();
                    if (!failing || now - lastFailureLog >= LOG_EVERY_NANOS) {
                        lastFailureLog = now;
                        log.log(Level.WARNING, "syslog sink {0}: cannot connect to {1}: {2}; "
                                + "retrying in {3} ms, {4} events buffered", id, opener.describe(),
                                e.getMessage(), delay, queue.size() + 1);
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
                    done++;
                    continue;
                }
                length = utf8Boundary(message, limit);
            }
            try {
                transport.send(message, length);
                sent.incrementAndGet();
                message = null;
                done++;
            } catch (IOException e) {
                log.log(Level.WARNING, "syslog sink {0}: sending to {1} failed: {2}; reconnecting",
                        id, opener.describe(), e.getMessage());
                closeTransport(transport);
                transport = null;
                failing = true;
            }
        }
        if (transport != null) {
            try {
                transport.flush();
            } catch (IOException ignored) {
                // closing anyway; close() reports what stayed in the queue
            }
            closeTransport(transport);
        }
        if (message != null) {
            queue.offer(message); // counted as undelivered by close()
        }
        flushedDone = done;
    }

    private void closeTransport(Transport t) {
        t.close();
        current = null;
        connected = false;
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
