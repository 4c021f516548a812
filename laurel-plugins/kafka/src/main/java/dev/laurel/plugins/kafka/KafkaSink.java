package dev.laurel.plugins.kafka;

import dev.laurel.api.OutputEvent;
import dev.laurel.api.PluginContext;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Sink;
import dev.laurel.api.internal.HostNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands events to a Kafka producer from a thread of its own, so that the brokers being slow or
 * away never stops the chain (unless {@code on-full: block} and the buffer is full).
 *
 * <p>The chain thread copies each event, with its key, into {@link EventSlabs} and a bounded queue
 * ({@code buffer-events}, a {@link SendQueue}); the sender thread takes them in order and calls
 * {@link KafkaProducer#send}, which may wait for metadata or for room in the producer's own
 * memory, with at most {@code buffer-events} sent and not yet answered. The producer retries without a deadline
 * ({@code delivery.timeout.ms} at its maximum) and, idempotent, without writing a record twice or
 * out of order; what a broker still refuses after that comes back to the callback: a retriable
 * cause is sent again (counted as retried), any other is counted as failed and logged.
 * {@link #close()} waits up to {@code close-timeout} for every event to be acknowledged; the rest
 * is {@link #undelivered()}.
 */
final class KafkaSink implements Sink {
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** What a record's key is made of. */
    enum KeyMode {
        NONE, HOST, EVENT_ID, PROCESS
    }

    /**
     * The sink's settings, validated; {@code trusted} says which CAs TLS trusts, for messages
     * ("ca-file FILE" or "the JVM's trusted authorities").
     */
    record Options(String id, String topic, KeyMode key, int bufferEvents, boolean dropWhenFull,
                   int maxMessage, boolean truncate, Duration closeTimeout, String trusted) {
    }

    private final Options options;
    private final Logger log;
    private final String bootstrap;
    private final Map<String, Object> adminProps;
    private final KafkaProducer<byte[], byte[]> producer;
    private final SendQueue queue;
    private final EventSlabs slabs = new EventSlabs();
    /**
     * Events handed to the producer and not yet answered, at most buffer-events: each keeps its
     * bytes until its answer (to send it again if need be), while the producer keeps it
     * compressed, so its own buffer.memory would let ~30 times as much JSON wait in laurel's heap.
     */
    private final java.util.concurrent.Semaphore inFlight;
    /** Records a broker refused for a cause that may pass; sent before the queue's. */
    private final ConcurrentLinkedQueue<EventSlabs.Stored> retry = new ConcurrentLinkedQueue<>();
    private final Thread sender;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    /** Callbacks run, whatever their outcome: every send gets one. */
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    /** Retried after the record had left for the brokers, which may have written it (once more). */
    private final AtomicLong possibleDuplicates = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong oversize = new AtomicLong();
    private final AtomicLong oversizeDropped = new AtomicLong();

    private volatile boolean closing;
    private volatile long closeDeadline;
    private volatile long leftAtClose;
    private volatile long lastFailureLog;
    private final java.util.concurrent.atomic.AtomicReference<Exception> closingError =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** The latest refusal the callback saw, for the sender thread to explain. */
    private final java.util.concurrent.atomic.AtomicReference<Exception> refusal =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Sender thread only: true while it is inside producer.send(). */
    private boolean handingOver;

    /** Chain thread only. */
    private final EventSlabs.Line line = new EventSlabs.Line();
    /** Chain thread only. */
    private final RecordKeys keys;
    /** Chain thread only. */
    private long accepted;
    private long lastDropLog;
    private long lastOversizeLog;

    KafkaSink(Options options, Map<String, Object> props, PluginContext context) {
        this.options = options;
        this.log = context.logger();
        this.bootstrap = (String) props.get("bootstrap.servers");
        Map<String, Object> real = new HashMap<>();
        props.forEach((k, v) -> real.put(k, v instanceof KafkaSinkFactory.SecretText s ? new Password(s.value()) : v));
        this.adminProps = adminOptions(real);
        this.queue = new SendQueue(options.bufferEvents());
        this.inFlight = new java.util.concurrent.Semaphore(options.bufferEvents());
        ProcessTable table;
        try {
            table = options.key() == KeyMode.PROCESS ? context.processes() : null;
        } catch (UnsupportedOperationException e) {
            table = null; // a harness without a process table: the key is host and pid
        }
        this.keys = new RecordKeys(options.key(), machineName(), table);
        // kafka-clients finds its serializers and compression codecs through the thread's
        // context class loader: make it this plugin's own, not the engine's
        Thread me = Thread.currentThread();
        ClassLoader before = me.getContextClassLoader();
        me.setContextClassLoader(KafkaSink.class.getClassLoader());
        try {
            this.producer = new KafkaProducer<>(real);
        } finally {
            me.setContextClassLoader(before);
        }
        this.sender = new Thread(this::run, "laurel-kafka-" + options.id());
        this.sender.setDaemon(true);
        this.sender.setContextClassLoader(KafkaSink.class.getClassLoader());
        this.sender.start();
    }

    /** The sink {@code --dry-run} gets: validated, never connected. */
    static final class NotStarted implements Sink {
        @Override
        public void write(OutputEvent event) {
        }
    }

    @Override
    public void write(OutputEvent event) throws IOException {
        if (!sender.isAlive()) {
            throw new IOException("kafka sink " + options.id() + ": the sender thread has stopped (see the log)");
        }
        line.reset();
        event.writeJsonTo(line);
        int length = line.length;
        if (length > options.maxMessage()) {
            long n = oversize.incrementAndGet();
            long now = System.nanoTime();
            if (n == 1 || now - lastOversizeLog >= LOG_EVERY_NANOS) {
                lastOversizeLog = now;
                log.log(Level.WARNING, "kafka sink {0}: event {1} has {2} bytes, more than max-message-bytes "
                        + "{3}; {4} ({5} so far)", options.id(), event.event().id(), length,
                        options.maxMessage(), options.truncate() ? "truncated" : "dropped", n);
            }
            if (!options.truncate()) {
                oversizeDropped.incrementAndGet();
                return;
            }
            length = utf8Boundary(line.bytes, options.maxMessage());
        }
        boolean keyed = keys.write(event.event());
        EventSlabs.Stored p = slabs.store(keys.key.bytes, keyed ? keys.key.length : -1, line.bytes, length);
        if (options.dropWhenFull()) {
            if (!queue.offer(p)) {
                slabs.release(p);
                long n = dropped.incrementAndGet();
                long now = System.nanoTime();
                if (n == 1 || now - lastDropLog >= LOG_EVERY_NANOS) {
                    lastDropLog = now;
                    log.log(Level.WARNING, "kafka sink {0}: buffer full ({1} events), brokers {2} not "
                            + "keeping up; {3} events dropped so far", options.id(), queue.size(), bootstrap, n);
                }
                return;
            }
        } else {
            try {
                queue.put(p);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for room in the kafka sink's buffer");
            }
        }
        accepted++;
    }

    /**
     * Wakes the sender thread for what waits in the buffer, and does not wait for the brokers:
     * the producer sends on its own within {@code linger}, and waiting for the brokers here would
     * stop the chain while they are away.
     */
    @Override
    public void flush() {
        queue.wakeTaker();
    }

    @Override
    public void close() {
        long timeout = options.closeTimeout().toNanos();
        closeDeadline = System.nanoTime() + timeout;
        closing = true;
        queue.wakeTaker();
        try {
            TimeUnit.NANOSECONDS.timedJoin(sender, Math.max(1, timeout));
            if (sender.isAlive()) {
                sender.interrupt(); // a send() waiting for brokers that are away
                sender.join(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long remaining = Math.max(0, closeDeadline - System.nanoTime());
        try {
            producer.close(Duration.ofNanos(remaining));
        } catch (RuntimeException e) {
            log.log(Level.WARNING, "kafka sink {0}: closing the producer: {1}", options.id(), e.toString());
        }
        long left = Math.max(0, accepted - acknowledged.get() - oversizeDropped.get());
        leftAtClose = left;
        log.log(left > 0 || failed.get() > 0 || dropped.get() > 0 ? Level.WARNING : Level.INFO,
                "kafka sink {0}: {1}; {2} events not delivered to {3} topic {4}", options.id(), counters(),
                Long.toString(left), bootstrap, options.topic());
    }

    /** Events taken but not acknowledged when {@link #close()} gave up (failed ones included). */
    @Override
    public long undelivered() {
        return leftAtClose;
    }

    /** The counters and what waits, for laurel's periodic status report. */
    @Override
    public String status() {
        return counters() + ", " + (queue.size() + retry.size()) + " waiting";
    }

    /** The counters as one phrase, for the log. */
    String counters() {
        return sent.get() + " sent, " + acknowledged.get() + " acknowledged, " + retried.get()
                + " retried (" + possibleDuplicates.get() + " possible duplicates), " + failed.get() + " failed, " + dropped.get() + " dropped (buffer full), "
                + oversize.get() + " oversize (" + (options.truncate() ? "truncated" : "dropped") + ")";
    }

    long sent() {
        return sent.get();
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long retried() {
        return retried.get();
    }

    /**
     * Events sent again after a retriable error came back for a send that had left for the
     * brokers: each may be in the topic twice. Idempotence makes this 0 while the producer
     * retries on its own (delivery.timeout.ms at its maximum).
     */
    long possibleDuplicates() {
        return possibleDuplicates.get();
    }

    long failed() {
        return failed.get();
    }

    long dropped() {
        return dropped.get();
    }

    long oversize() {
        return oversize.get();
    }

    private void run() {
        EventSlabs.Stored p = null;
        String trouble = null;
        long troubleLogged = 0;
        long acknowledgedThen = 0;
        long backoff = 100;
        while (true) {
            if (closing && System.nanoTime() - closeDeadline > 0) {
                break; // out of time: what is left counts as undelivered
            }
            // A refusal the callback saw: say why once (again after a minute), then wait a little
            // before sending again, so that brokers refusing everything are not asked in a loop.
            Exception refused = refusal.getAndSet(null);
            if (refused != null) {
                // closing: no time to ask the brokers, but a refusal that explains itself is said
                String cause = closing ? explain(refused) : diagnose(refused);
                if (cause != null) {
                    long now = System.nanoTime();
                    if (!cause.equals(trouble) || now - troubleLogged >= LOG_EVERY_NANOS) {
                        troubleLogged = now;
                        log.log(Level.ERROR, "kafka sink {0}: {1}; {2} events wait in the buffer",
                                options.id(), cause, Integer.toString(queue.size() + retry.size()));
                    }
                    trouble = cause;
                    acknowledgedThen = acknowledged.get();
                }
                if (!sleep(closing ? 100 : backoff)) {
                    break;
                }
                backoff = Math.min(backoff * 2, 5000);
            } else if (trouble != null && acknowledged.get() > acknowledgedThen) {
                log.log(Level.INFO, "kafka sink {0}: {1} acknowledge events again", options.id(), bootstrap);
                trouble = null;
                backoff = 100;
            }
            if (p == null) {
                p = retry.poll();
            }
            if (p == null) {
                // closing: done when every record handed over has been answered, as an answer
                // may bring a record back to send again (until close-timeout)
                if (closing && queue.size() == 0 && retry.isEmpty() && answered.get() >= sent.get()) {
                    break;
                }
                try {
                    p = queue.poll(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    break;
                }
                if (p == null) {
                    continue;
                }
            }
            try {
                if (!inFlight.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue; // as many events unanswered as buffer-events: p waits for answers
                }
            } catch (InterruptedException e) {
                break;
            }
            try {
                // a failure before the record leaves (no metadata after max.block.ms, no room)
                // also comes to the callback, from this thread
                handingOver = true;
                try {
                    producer.send(new ProducerRecord<>(options.topic(), p.key(), p.value()), new Answer(p));
                } finally {
                    handingOver = false;
                }
                sent.incrementAndGet();
                p = null;
            } catch (InterruptException e) {
                inFlight.release();
                break;
            } catch (KafkaException e) {
                inFlight.release(); // thrown, not answered through the callback
                if (closing) {
                    break;
                }
                refusal.set(e); // p is sent again after the pause
            }
        }
    }

    /**
     * The producer's callback for one event. A class rather than a lambda: under C1 (bin/laurel)
     * each lambda instance is made through a call into the JVM (perf: Unsafe_AllocateInstance
     * on the sender thread), a class instance by a plain allocation.
     */
    private final class Answer implements Callback {
        private final EventSlabs.Stored event;

        Answer(EventSlabs.Stored event) {
            this.event = event;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            done(event, error);
        }
    }

    /** The producer's callback, on its I/O thread (or the sender thread, for a record that never left). */
    private void done(EventSlabs.Stored p, Exception error) {
        try {
            answer(p, error);
        } finally {
            answered.incrementAndGet();
            inFlight.release();
        }
    }

    private void answer(EventSlabs.Stored p, Exception error) {
        if (error == null) {
            acknowledged.incrementAndGet();
            slabs.release(p);
            return;
        }
        boolean mayPass = error instanceof RetriableException || error instanceof AuthenticationException
                || error instanceof AuthorizationException;
        if (closing && (!mayPass || System.nanoTime() - closeDeadline > 0)) {
            // closed before the brokers answered: undelivered, and said once why
            if (closingError.compareAndSet(null, error)) {
                log.log(Level.WARNING, "kafka sink {0}: closing before {1} acknowledged an event: {2}",
                        options.id(), bootstrap, error.toString());
            }
            slabs.release(p);
            return;
        }
        if (mayPass) {
            retried.incrementAndGet();
            // a record that never left (no metadata within max.block.ms: the answer comes inside
            // send(), on the sender thread) or that the brokers refused to take is not in the topic
            boolean left = !(Thread.currentThread() == sender && handingOver);
            if (left && error instanceof RetriableException) {
                possibleDuplicates.incrementAndGet();
            }
            retry.add(p);
            refusal.set(error);
            return;
        }
        slabs.release(p);
        long n = failed.incrementAndGet();
        long now = System.nanoTime();
        if (n == 1 || now - lastFailureLog >= LOG_EVERY_NANOS) {
            lastFailureLog = now;
            log.log(Level.ERROR, "kafka sink {0}: topic {1} refused an event: {2} ({3} so far)",
                    options.id(), options.topic(), error.toString(), Long.toString(n));
        }
    }

    /**
     * Says why send() could not go on, in words that name the fix: asks the brokers through an
     * admin client whether the topic exists, which tells a missing topic from brokers that are away.
     */
    private String diagnose(Exception e) {
        String explained = explain(e);
        if (explained != null) {
            return explained;
        }
        try (Admin admin = Admin.create(adminProps)) {
            admin.describeTopics(java.util.List.of(options.topic())).allTopicNames().get(3, TimeUnit.SECONDS);
            return "brokers " + bootstrap + " do not take events for topic " + options.topic() + ": " + e;
        } catch (ExecutionException x) {
            Throwable c = x.getCause();
            if (c instanceof UnknownTopicOrPartitionException) {
                return "topic " + options.topic() + " does not exist on " + bootstrap
                        + " and the brokers do not create topics automatically; create it "
                        + "(kafka-topics.sh --create --topic " + options.topic() + ")";
            }
            if (c instanceof SslAuthenticationException) {
                return tlsFailure(c);
            }
            if (c instanceof AuthenticationException) {
                return "authentication to " + bootstrap + " failed: " + c.getMessage()
                        + "; check username and password-file, ca-file and the brokers' listeners";
            }
            return "brokers " + bootstrap + " cannot be reached: " + c;
        } catch (java.util.concurrent.TimeoutException | KafkaException x) {
            return "no broker answers at " + bootstrap;
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return "no broker answers at " + bootstrap;
        }
    }

    /** What a refusal that explains itself means (TLS, authentication, rights), or null. */
    private String explain(Exception e) {
        if (e instanceof SslAuthenticationException) {
            return tlsFailure(e);
        }
        if (e instanceof AuthenticationException) {
            return "authentication to " + bootstrap + " failed: " + e.getMessage()
                    + "; check username and password-file, ca-file and the brokers' listeners";
        }
        if (e instanceof AuthorizationException) {
            return "not allowed to write to topic " + options.topic() + ": " + e.getMessage()
                    + "; grant this user WRITE (and IDEMPOTENT_WRITE) on it";
        }
        return null;
    }

    /**
     * Why the TLS handshake failed, from the innermost cause: a CA laurel does not trust, a
     * certificate that does not name the broker, or a client certificate the brokers refused.
     */
    private String tlsFailure(Throwable e) {
        Throwable root = e;
        boolean untrusted = false;
        boolean wrongName = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            root = t;
            untrusted |= t instanceof java.security.cert.CertPathBuilderException
                    || t instanceof java.security.cert.CertPathValidatorException;
            String m = String.valueOf(t.getMessage());
            wrongName |= t instanceof java.security.cert.CertificateException
                    && (m.startsWith("No subject alternative") || m.startsWith("No name matching"));
        }
        String why = root.getMessage() != null ? root.getMessage() : root.toString();
        String start = "TLS handshake with " + bootstrap + " failed: ";
        if (untrusted) {
            return start + "the brokers' certificate is not signed by a CA in " + options.trusted() + " ("
                    + why + "); set ca-file to the CA that signed the brokers' certificates";
        }
        if (wrongName) {
            return start + "the brokers' certificate does not name the address laurel connected to ("
                    + why + "); give bootstrap-servers by a name the certificate has, or set verify-hostname: false";
        }
        if (why.contains("bad_certificate") || why.contains("certificate_required") || why.contains("unknown_ca")) {
            return start + "the brokers refused laurel's client certificate (" + why
                    + "); check client-certificate and that the brokers trust its CA";
        }
        return start + why + "; check tls, ca-file, client-certificate and the brokers' listeners";
    }

    /** The producer's options an admin client also knows: where and how to connect. */
    private static Map<String, Object> adminOptions(Map<String, Object> props) {
        Map<String, Object> m = new HashMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith("ssl.") || k.startsWith("sasl.") || k.equals("security.protocol")
                    || k.equals("bootstrap.servers")) {
                m.put(k, v);
            }
        });
        m.put(AdminClientConfig.CLIENT_ID_CONFIG, props.get("client.id") + "-check");
        m.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        m.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        return m;
    }

    /** The largest length ≤ limit that does not cut a UTF-8 sequence. */
    static int utf8Boundary(byte[] b, int limit) {
        int n = limit;
        while (n > 0 && (b[n] & 0xC0) == 0x80) {
            n--;
        }
        return n;
    }

    /** This machine's name, for {@code key: host} on events without a node and for the client id. */
    static String machineName() {
        try {
            String n = HostNames.kernel(Path.of("/proc"));
            if (n != null) {
                return n;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
