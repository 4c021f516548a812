package dev.laurel.engine.pipeline;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Enricher;
import dev.laurel.api.Format;
import dev.laurel.api.Sink;
import dev.laurel.engine.assemble.Assembler;
import dev.laurel.engine.assemble.SerialOrder;
import dev.laurel.engine.input.DiagnosticText;
import dev.laurel.engine.input.LineBatch;
import dev.laurel.engine.input.LineReader;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.json.FormatJson;
import dev.laurel.engine.json.LaurelFormat;
import dev.laurel.engine.parse.ParsedRecord;
import dev.laurel.engine.parse.Parser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs the chain on one thread: lines from the {@link LineReader} are parsed, assembled into
 * events, enriched in chain order, encoded to JSON once and written to every sink in order.
 * Completed events reach the process table and the enrichers in kernel serial order where EOEs
 * came out of order, and the sinks in completion order ({@link SerialOrder}).
 *
 * <p>One failing stage never stops the others: an unparsable line, an enricher's or a sink's
 * exception is logged (the first {@value #LOGGED_PER_KIND} of each kind, then only counted) and
 * counted, and the next line or event goes on. Sinks are flushed at most one flush interval
 * after the first event they have not flushed yet, and whenever the input goes idle, so an event
 * reaches its destination within one interval of completing; pending events are expired by
 * wall-clock time when the input is idle, and at least once an interval while it is busy. At the end of the input, or after {@link #stop()}, every pending event is
 * emitted and the sinks flushed; closing the plugins is left to their owner (the config). With a
 * {@link StateStore} the pending events are saved there instead (and emitted only if that
 * fails), and restored before the input is read, so that a restart loses no event.
 *
 * <pre>{@code
 * Pipeline p = new Pipeline(reader, new LineParser(), EventAssembler.factory(limits), processes::observe,
 *         new EventEncoder()::encode, config.chain(), Options.defaults());
 * PipelineCounts counts = p.run();
 * }</pre>
 */
public final class Pipeline {
    /** How many problems of each kind are logged in detail before they are only counted. */
    static final int LOGGED_PER_KIND = 20;

    /** The longest wait for input when nothing is pending, unflushed or due (see {@link #idleWait}). */
    static final long IDLE_WAIT_MILLIS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    /**
     * Which events a sink receives: {@code events: kept} (the default), {@code filtered} (only
     * those an enricher dropped, like LAUREL's filtered-events log) or {@code all}.
     */
    public enum Route {
        KEPT, FILTERED, ALL;

        /** The word users write in the config. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        boolean takesKept() {
            return this != FILTERED;
        }

        boolean takesDropped() {
            return this != KEPT;
        }
    }

    /**
     * The plugins events go through: enrichers in order, then sinks, each with its {@link Route}
     * (a sink without one takes the kept events), and {@code owner}, which closes them all (the
     * loaded config). {@link #replace} swaps a running pipeline's chain on SIGHUP.
     * {@code enricherNames} and {@code sinkNames} say which entry of the chain a failure came
     * from in the log (the config's {@code id} and type; without them, the plugin's class).
     * {@code formats} gives each sink its {@link Format} ({@code format:}); a sink without one, or
     * with {@link LaurelFormat}, gets the pipeline's own encoder, the laurel format. Sinks given
     * the same Format instance share one encoding of each event.
     */
    public record Chain(List<Enricher> enrichers, List<Sink> sinks, List<Route> routes, AutoCloseable owner,
                        List<String> enricherNames, List<String> sinkNames, List<Format> formats) {
        public Chain {
            enrichers = List.copyOf(enrichers);
            sinks = List.copyOf(sinks);
            routes = List.copyOf(routes);
            enricherNames = List.copyOf(enricherNames);
            sinkNames = List.copyOf(sinkNames);
            // nulls allowed: a sink of the laurel format
            formats = java.util.Collections.unmodifiableList(new ArrayList<>(formats));
            Objects.requireNonNull(owner, "owner");
            if (routes.size() > sinks.size()) {
                throw new IllegalArgumentException(routes.size() + " routes for " + sinks.size() + " sinks");
            }
            if (formats.size() > sinks.size()) {
                throw new IllegalArgumentException(formats.size() + " formats for " + sinks.size() + " sinks");
            }
            if (enricherNames.size() != enrichers.size() || sinkNames.size() != sinks.size()) {
                throw new IllegalArgumentException("a name for each plugin: " + enricherNames + " for "
                        + enrichers.size() + " enrichers, " + sinkNames + " for " + sinks.size() + " sinks");
            }
        }

        /** A chain whose sinks all take the laurel format. */
        public Chain(List<Enricher> enrichers, List<Sink> sinks, List<Route> routes, AutoCloseable owner,
                     List<String> enricherNames, List<String> sinkNames) {
            this(enrichers, sinks, routes, owner, enricherNames, sinkNames, List.of());
        }

        /** A chain whose plugins are named by their classes in the log, its sinks all of the laurel format. */
        public Chain(List<Enricher> enrichers, List<Sink> sinks, List<Route> routes, AutoCloseable owner) {
            this(enrichers, sinks, routes, owner, classNames(enrichers), classNames(sinks));
        }

        private static List<String> classNames(List<?> plugins) {
            return plugins.stream().map(p -> p.getClass().getName()).toList();
        }
    }

    /** Writes an event's JSON; {@link EventEncoder#encode} in production. */
    @FunctionalInterface
    public interface Encoder {
        void encode(AuditEvent event, OutputStream out) throws IOException;
    }

    /**
     * Keeps what the pipeline knows across restarts (the state file in production): the process
     * table, owned by the store, and the events still waiting for records, as their input lines.
     * Called on the pipeline's thread only.
     */
    public interface StateStore {
        /**
         * Restores the saved state, if there is a usable one, and returns the lines of the events
         * that were pending when it was saved (fed back through the parser before any input);
         * empty if none. Must not throw.
         */
        List<byte[]> restore();

        /** Saves the state with these pending lines; returns whether it was saved. Must not throw. */
        boolean save(List<byte[]> pendingLines);
    }

    /**
     * How the pipeline paces itself.
     *
     * @param flushInterval      idle time after which sinks are flushed and events expired
     * @param statusReportPeriod how often to log the counts; zero for never
     * @param parseErrorLog      where bad lines are written ({@link ParseErrorLog} says how), or
     *                           {@code null}
     * @param clock              the wall clock for expiry and flushing
     * @param state              where the state is kept across restarts, or {@code null}: with
     *                           one, events pending at the end are saved instead of emitted
     * @param stateInterval      how often the state is also saved while running; zero for never
     */
    public record Options(Duration flushInterval, Duration statusReportPeriod, OutputStream parseErrorLog,
                          InstantSource clock, StateStore state, Duration stateInterval, String marker) {
        public Options {
            Objects.requireNonNull(flushInterval, "flushInterval");
            Objects.requireNonNull(statusReportPeriod, "statusReportPeriod");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(stateInterval, "stateInterval");
            if (flushInterval.isNegative() || flushInterval.isZero()) {
                throw new IllegalArgumentException("flush interval must be positive: " + flushInterval);
            }
        }

        /** Options without a marker. */
        public Options(Duration flushInterval, Duration statusReportPeriod, OutputStream parseErrorLog,
                       InstantSource clock, StateStore state, Duration stateInterval) {
            this(flushInterval, statusReportPeriod, parseErrorLog, clock, state, stateInterval, null);
        }

        /** These options with {@code marker} logged at start and in every status report (or none). */
        public Options withMarker(String marker) {
            return new Options(flushInterval, statusReportPeriod, parseErrorLog, clock, state, stateInterval, marker);
        }

        /** Options without a state store. */
        public Options(Duration flushInterval, Duration statusReportPeriod, OutputStream parseErrorLog,
                       InstantSource clock) {
            this(flushInterval, statusReportPeriod, parseErrorLog, clock, null, Duration.ZERO);
        }

        /** 100 ms flushes, no status reports, no parse-error log, the system clock. */
        public static Options defaults() {
            return new Options(Duration.ofMillis(100), Duration.ZERO, null, InstantSource.system());
        }
    }

    // The stages, in the order a line goes through them.
    private final LineReader input;
    private final Parser parser;
    private final Assembler assembler;
    private final SerialOrder order;
    private final Consumer<AuditEvent> tracker;
    private final Encoder encoder;

    // The options.
    private final long flushMillis;
    private final long reportMillis;
    private final String markerText;
    private final ParseErrorLog parseErrorLog;
    private final InstantSource clock;
    private final StateStore state;
    private final long stateMillis;

    // The chain: replaced as a whole, on the pipeline's thread only (see replace()).
    private Enricher[] enrichers;
    private Sink[] sinks;
    private String[] enricherNames;
    private String[] sinkNames;
    private Route[] routes;
    /**
     * The encodings of the event being written, one per format in use: index 0 is the laurel
     * format, by {@link #encoder}; each sink's index is in {@link #sinkFormats}.
     */
    private EncodedEvent[] encodings;
    /** The encoder of each of {@link #encodings}. */
    private Encoder[] formatEncoders;
    /** Per format, the number of the event it holds ({@link #writeCount}), or minus it if encoding it failed. */
    private long[] encodedFor;
    private int[] sinkFormats;
    /** For the log: each format and the sinks that use it. */
    private String[] formatLabels;
    /** Whether a sink uses the laurel format, or there is no sink (encoded all the same, as always). */
    private boolean laurelInUse;
    /** The events written so far, numbering them for {@link #encodedFor}. */
    private long writeCount;
    /** Whether any sink takes dropped events, so that they are encoded at all. */
    private boolean routesDropped;
    /** The chain running now. */
    private Chain chain;
    /** What the sinks of chains replaced on SIGHUP had not delivered when they were closed. */
    private long undeliveredByRetired;

    // Requests from other threads, and what they need to know.
    /** A chain waiting to replace the running one. */
    private final AtomicReference<Chain> nextChain = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile boolean reopenRequested;
    private volatile boolean saveRequested;
    /** The pipeline waits for input longer than a flush interval (see {@link #idleWait}). */
    private volatile boolean idleWaiting;
    private volatile boolean finished;
    private volatile Thread runner;
    private volatile IOException inputFailure;

    // The loop's clocks.
    private boolean unflushed;
    private long unflushedSince;
    // when the loop last expired pending events, reported and saved the state (see doWhatIsDue)
    private long lastExpire;
    private long lastReport;
    private long lastSave;
    // the time in the id of the newest record read: status reports give the lag behind it
    private long newestRecordMillis;

    // The counts (see PipelineCounts) and the problems logged so far.
    private long lines;
    private long cutLines;
    private long parseErrors;
    private long events;
    private long dropped;
    private long enricherErrors;
    private long encodeErrors;
    private long sinkErrors;
    private long parseErrorLogFailures;
    private long lostReports;
    private long rejectedRecords;
    private long irregularLines;
    private final SerialGaps serials = new SerialGaps();
    /** laurel's own CPU time, for the status report (null without reports). */
    private final CpuUsage cpu;

    /**
     * A pipeline reading {@code input} and running {@code chain}; {@link #chain()} says which
     * chain runs now, the one its owner must close after {@link #run()}. {@code assembler} makes
     * the assembler, given where completed events and unused records go. {@code tracker} sees
     * every completed event before the enrichers, also those an enricher will drop (the
     * engine's process table).
     */
    public Pipeline(LineReader input, Parser parser, Assembler.Factory assembler, Consumer<AuditEvent> tracker,
                    Encoder encoder, Chain chain, Options options) {
        this.input = Objects.requireNonNull(input, "input");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        use(chain);
        this.chain = chain;
        this.flushMillis = options.flushInterval().toMillis() == 0 ? 1 : options.flushInterval().toMillis();
        this.reportMillis = options.statusReportPeriod().toMillis();
        this.markerText = options.marker() == null ? "" : " [" + options.marker() + "]";
        this.cpu = reportMillis > 0 ? new CpuUsage(Path.of("/proc/self/stat"), options.clock().millis()) : null;
        this.parseErrorLog = options.parseErrorLog() == null ? null : new ParseErrorLog(options.parseErrorLog());
        this.clock = options.clock();
        this.state = options.state();
        this.stateMillis = options.stateInterval().toMillis();
        this.order = new SerialOrder(this::process, this::write, SerialOrder.Limits.DEFAULTS);
        this.assembler = Objects.requireNonNull(assembler.create(order::complete, this::rejected), "assembler");
    }

    private void use(Chain chain) {
        List<Sink> sinks = chain.sinks();
        List<Route> routes = chain.routes();
        Route[] r = new Route[sinks.size()];
        boolean anyDropped = false;
        for (int i = 0; i < r.length; i++) {
            r[i] = i < routes.size() ? Objects.requireNonNull(routes.get(i), "route") : Route.KEPT;
            anyDropped |= r[i].takesDropped();
        }
        this.enrichers = chain.enrichers().toArray(new Enricher[0]);
        this.sinks = sinks.toArray(new Sink[0]);
        this.enricherNames = chain.enricherNames().toArray(new String[0]);
        this.sinkNames = chain.sinkNames().toArray(new String[0]);
        this.routes = r;
        this.routesDropped = anyDropped;
        useFormats(chain);
    }

    /**
     * One encoding per distinct {@link Format} instance in use, the laurel format first (by the
     * pipeline's own encoder, the same code as before formats were plugins).
     */
    private void useFormats(Chain chain) {
        List<Format> formats = chain.formats();
        List<Format> distinct = new ArrayList<>();
        distinct.add(LaurelFormat.INSTANCE);
        int[] index = new int[sinks.length];
        for (int i = 0; i < index.length; i++) {
            Format f = i < formats.size() ? formats.get(i) : null;
            if (f == null || f instanceof LaurelFormat) {
                continue;
            }
            int at = -1;
            for (int k = 1; k < distinct.size() && at < 0; k++) {
                at = distinct.get(k) == f ? k : -1;
            }
            if (at < 0) {
                at = distinct.size();
                distinct.add(f);
            }
            index[i] = at;
        }
        EncodedEvent[] out = new EncodedEvent[distinct.size()];
        Encoder[] enc = new Encoder[distinct.size()];
        String[] labels = new String[distinct.size()];
        boolean laurel = index.length == 0;
        for (int k = 0; k < out.length; k++) {
            out[k] = k == 0 && encodings != null ? encodings[0] : new EncodedEvent();
            labels[k] = formatLabel(index, k, distinct.get(k));
            enc[k] = k == 0 ? encoder : new FormatJson(distinct.get(k), labels[k])::encode;
        }
        for (int f : index) {
            laurel |= f == 0;
        }
        this.encodings = out;
        this.formatEncoders = enc;
        this.formatLabels = labels;
        this.encodedFor = new long[out.length];
        this.sinkFormats = index;
        this.laurelInUse = laurel;
    }

    /** {@code format ecs (sinks "a" (json-file), "b" (syslog))}, for the log. */
    private String formatLabel(int[] index, int k, Format f) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < index.length; i++) {
            if (index[i] == k) {
                users.add(sinkNames[i]);
            }
        }
        return "format " + f + " (" + (users.size() == 1 ? "sink " : "sinks ") + String.join(", ", users) + ")";
    }

    /**
     * Asks the pipeline to send the next events through {@code next} instead (SIGHUP with a new
     * config). Safe from any thread; within one flush interval the pipeline's thread flushes the
     * running sinks, switches between two events and closes the old chain's owner. Pending
     * events and the process table are not touched. A chain that never ran, because another
     * replaced it first or the pipeline had finished, is closed too.
     */
    public void replace(Chain next) {
        retire(nextChain.getAndSet(Objects.requireNonNull(next, "next")), "superseded before it ran");
        if (finished) {
            retire(nextChain.getAndSet(null), "the pipeline had finished");
        }
        wakeIfIdle();
    }

    /**
     * Interrupts the pipeline's thread, so that a sink blocked waiting for its destination (such
     * as {@code on-full: block} with the disk full) gives up and a stop can finish; what such a
     * sink still holds is then lost, and it says so. For a stop that has waited too long.
     */
    public void interrupt() {
        Thread t = runner;
        if (t != null) {
            t.interrupt();
        }
    }

    /** The chain running now (after {@link #run()}: the last one). */
    public Chain chain() {
        return chain;
    }

    /**
     * Asks {@link #run()} to stop reading, emit what is pending and return. Safe from any thread,
     * such as a signal handler; takes effect within one flush interval.
     */
    public void stop() {
        stopping = true;
        wakeIfIdle();
    }

    /**
     * Asks the pipeline to call {@link Sink#reopen()} on every sink (SIGHUP, after logrotate).
     * Safe from any thread, such as a signal handler; the pipeline's own thread makes the calls,
     * between two events, within one flush interval.
     */
    public void reopen() {
        reopenRequested = true;
        wakeIfIdle();
    }

    /**
     * Asks {@link #run()} to save the state soon (SIGHUP); safe from any thread, takes effect
     * within one flush interval. Nothing happens without a state store.
     */
    public void saveState() {
        saveRequested = true;
        wakeIfIdle();
    }

    /** Runs until the input ends or {@link #stop()}; returns the counts, also logged. */
    public PipelineCounts run() {
        runner = Thread.currentThread();
        try {
            return runToEnd();
        } finally {
            runner = null;
        }
    }

    private PipelineCounts runToEnd() {
        start();
        try {
            while (turn()) {
                // one batch per call: C1 compiles a method called often, not a loop entered once
            }
        } catch (InterruptedException e) {
            LOG.warn("interrupted: finishing pending events");
            Thread.currentThread().interrupt();
        } finally {
            input.close();
        }
        return finish();
    }

    /** Before the first line: the marker, the events restored from the state, the clocks. */
    private void start() {
        if (!markerText.isEmpty()) {
            LOG.info("start{}", markerText);
        }
        if (state != null) {
            restoreState();
        }
        lastExpire = clock.millis();
        lastReport = lastExpire;
        lastSave = lastExpire;
    }

    /** After the last line: pending events saved or emitted, sinks flushed, the summary logged. */
    private PipelineCounts finish() {
        // With a state store the pending events wait in it for the next start, where their
        // remaining records arrive; only if it cannot be written are they emitted incomplete.
        // Events waiting for a predecessor that goes to the state are handled now, without it.
        if (state != null) {
            order.flush();
        }
        if (state == null || !state.save(assembler.pendingLines())) {
            assembler.flush();
        }
        order.flush();
        long missing = serials.finish();
        if (missing > 0) {
            LOG.warn("lost events: {} serials never arrived before the end of the input", missing);
        }
        markUnflushed();
        flushSinks();
        finished = true;
        retire(nextChain.getAndSet(null), "the pipeline had finished");
        PipelineCounts counts = counts();
        String assembly = assembler.summary();
        LOG.info("done: {}{}; {}", counts, assembly.isEmpty() ? "" : "; " + assembly, order.summary());
        return counts;
    }

    /**
     * One turn of the loop: the requests from other threads, then a batch (or the wait for one)
     * handled, then what is due; returns whether to go on.
     */
    private boolean turn() throws InterruptedException {
        if (stopping) {
            LOG.info("stopping: finishing the lines already read from {}", input.name());
            input.close();
            drainReadLines();
            return false;
        }
        if (reopenRequested) {
            reopenSinks();
        }
        if (nextChain.get() != null) {
            switchChain();
        }
        LineBatch batch = nextBatch();
        boolean caughtUp = batch == null || batch.isCaughtUp();
        boolean end = batch != null && take(batch);
        doWhatIsDue(batch == null, caughtUp, end);
        return !end;
    }

    /** The next batch of lines, or {@code null} if none came before something else was due. */
    private LineBatch nextBatch() throws InterruptedException {
        // Wait no longer than the oldest unflushed event may stay in a sink's buffer.
        long wait = unflushed ? Math.max(0, unflushedSince + flushMillis - clock.millis()) : idleWait();
        if (wait > flushMillis) {
            // Waiting longer than requests may wait: they wake us (see wakeIfIdle). Set, then
            // check them again, so that a request either sees idleWaiting or is seen here.
            idleWaiting = true;
            if (stopping || reopenRequested || saveRequested || nextChain.get() != null) {
                wait = 0;
            }
        }
        try {
            return input.poll(wait, TimeUnit.MILLISECONDS);
        } finally {
            idleWaiting = false;
        }
    }

    /**
     * After a batch, or a wait that brought none ({@code idle}): expires pending events, flushes
     * the sinks, reports the counts and saves the state, each when it is due.
     */
    private void doWhatIsDue(boolean idle, boolean caughtUp, boolean end) {
        long now = clock.millis();
        if (idle || now - lastExpire >= flushMillis) {
            assembler.expire(now);
            order.expire(now);
            lastExpire = now;
        }
        // Live input that has caught up waits for its next record: what it completed goes
        // out now rather than after the flush interval (one write per batch of records).
        if (unflushed && (caughtUp || now - unflushedSince >= flushMillis)) {
            flushSinks();
        }
        if (reportMillis > 0 && now - lastReport >= reportMillis) {
            // lag: how far behind the kernel the output runs, and what waits to be read
            LOG.info("status{}: {}; newest record {} ms old, {} input buffers waiting", markerText,
                    counts(), newestRecordMillis == 0 ? "-" : Long.toString(now - newestRecordMillis),
                    input.waitingBatches());
            reportSinks();
            String usage = cpu.sinceLast(now);
            if (usage != null) {
                LOG.info("CPU usage{} {}", markerText, usage);   // LAUREL 0.7.3+'s line
            } else {
                LOG.warn("CPU usage{}: cannot read /proc/self/stat", markerText);
            }
            lastReport = now;
        }
        if (state != null && !end && (saveRequested || stateMillis > 0 && now - lastSave >= stateMillis)) {
            saveRequested = false;
            state.save(assembler.pendingLines());
            lastSave = now;
        }
    }

    /**
     * How long to wait for input with every sink flushed: one flush interval while events are
     * pending, as they expire by wall-clock time; otherwise until the next status report or
     * state save is due (at most {@link #IDLE_WAIT_MILLIS}), so that an idle laurel does not
     * wake ten times a second for nothing. Requests from other threads ({@link #stop()} and the
     * like) end such a wait through {@link LineReader#wakeUp()}.
     */
    private long idleWait() {
        if (!assembler.isEmpty() || order.held() > 0) {
            return flushMillis;
        }
        long now = clock.millis();
        long wait = IDLE_WAIT_MILLIS;
        if (reportMillis > 0) {
            wait = Math.min(wait, lastReport + reportMillis - now);
        }
        if (state != null && stateMillis > 0) {
            wait = Math.min(wait, lastSave + stateMillis - now);
        }
        return Math.max(0, wait);
    }

    /** Ends a wait longer than a flush interval, for a request from another thread. */
    private void wakeIfIdle() {
        if (idleWaiting) {
            input.wakeUp();
        }
    }

    /** The counts so far. Call on the pipeline's thread (or after {@link #run()} returned). */
    public PipelineCounts counts() {
        return new PipelineCounts(lines, cutLines, parseErrors, events, dropped, enricherErrors,
                encodeErrors, sinkErrors, rejectedRecords, irregularLines, serials.lost());
    }

    /** Why reading the input failed, or {@code null} if it ended normally or was stopped. */
    public IOException inputFailure() {
        return inputFailure;
    }

    /** Feeds the saved pending events' lines back through the parser and assembler. */
    private void restoreState() {
        List<byte[]> saved = state.restore();
        int restored = 0;
        for (byte[] line : saved) {
            try {
                ParsedRecord record = parser.parse(line, 0, line.length);
                if (record != null) {
                    order.record(record);
                    assembler.accept(record);
                    restored++;
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot restore a saved record: {}", e.toString());
            }
        }
        if (!saved.isEmpty()) {
            LOG.info("restored {} records of unfinished events from the state", restored);
        }
    }

    /** Handles the batches already read; bounded, as a reader still running could refill the queue. */
    private void drainReadLines() throws InterruptedException {
        LineBatch batch;
        for (int i = 0; i < 2 * LineReader.DEFAULT_BATCHES
                && (batch = input.poll(0, TimeUnit.MILLISECONDS)) != null; i++) {
            if (take(batch)) {
                return;
            }
        }
    }

    /** Handles a batch's lines and releases it; returns whether the input ended with it. */
    private boolean take(LineBatch batch) {
        boolean end = batch.isEnd();
        try {
            byte[] data = batch.data();
            boolean cut = batch.cut() > 0;
            for (int i = 0, n = batch.count(); i < n; i++) {
                if (cut && batch.length(i) == LineReader.MAX_LINE) {
                    // no audit record is this long: what is left of it is not one either
                    lines++;
                    parseError(data, batch.start(i), batch.length(i),
                            "line longer than " + LineReader.MAX_LINE + " bytes, cut there");
                    continue;
                }
                line(data, batch.start(i), batch.length(i));
            }
            cutLines += batch.cut();
            if (batch.failure() != null) {
                inputFailure = batch.failure();
                LOG.error("reading {} failed, stopping: {}", input.name(), batch.failure().toString());
            }
        } finally {
            input.release(batch);
        }
        return end;
    }

    private void line(byte[] data, int start, int length) {
        lines++;
        if (length == 0) {
            return;    // blank lines carry nothing; auditd does not write them
        }
        try {
            ParsedRecord record = parser.parse(data, start, length);
            if (record == null) {
                parseError(data, start, length, parser.lastError());
                return;
            }
            order.record(record);
            long recordMillis = record.id().epochMillis();
            if (recordMillis > newestRecordMillis) {
                newestRecordMillis = recordMillis;
            }
            String warning = parser.lastWarning();
            long rejectedBefore = rejectedRecords;
            assembler.accept(record);
            if (rejectedRecords != rejectedBefore) {
                order.forget(record);   // no event will complete it: later ones must not wait for it
                return;   // in the parse-error log already; its serial is no evidence either
            }
            if (warning != null) {
                irregularLines++;
                writeParseErrorLog(data, start, length, "kept, but " + warning);
            }
            if (!record.record().type().isDaemon()) {
                long lost = serials.see(record.node(), record.id().serial());
                if (lost > 0 && logged(++lostReports, "lost-event reports")) {
                    LOG.warn("lost events: {} serials never arrived below {}{} ({} in all)", lost,
                            serials.lastLostBelow(), record.node() == null ? "" : " of node " + DiagnosticText.of(record.node()),
                            serials.lost());
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            // A bug in the parser or assembler must cost one line, not the stream.
            LOG.error("line {}: cannot handle it", lines, e);
            parseError(data, start, length, "internal error: " + e);
        }
    }

    private void parseError(byte[] data, int start, int length, String reason) {
        if (logged(++parseErrors, "unparsable lines")) {
            LOG.warn("line {}: not an audit record ({}): {}", lines, reason, preview(data, start, length));
        }
        writeParseErrorLog(data, start, length, reason);
    }

    /** A parsed record the assembler did not use; called back from {@link Assembler#accept}. */
    private void rejected(ParsedRecord record, String reason) {
        byte[] line = record.record().line();
        if (logged(++rejectedRecords, "rejected records")) {
            LOG.warn("line {}: not used: {}: {}", lines, reason, preview(line, 0, line.length));
        }
        writeParseErrorLog(line, 0, line.length, reason);
    }

    private void writeParseErrorLog(byte[] data, int start, int length, String reason) {
        if (parseErrorLog == null) {
            return;
        }
        try {
            parseErrorLog.write(lines, reason, data, start, length);
            markUnflushed();
        } catch (IOException e) {
            parseErrorLogFailed(e);
        }
    }

    private void parseErrorLogFailed(IOException e) {
        if (parseErrorLogFailures++ == 0) {
            LOG.error("cannot write the parse-error log: {}", e.toString());
        }
    }

    /**
     * Runs one completed event through the process table and the enrichers; called in serial
     * order by {@link SerialOrder}, then {@link #write}.
     */
    private void process(AuditEvent event) {
        events++;
        try {
            tracker.accept(event);
        } catch (RuntimeException | StackOverflowError e) {
            if (logged(++enricherErrors, "enricher errors")) {
                LOG.warn("process tracking failed on event {}", event.id(), e);
            }
        }
        Enricher[] chain = enrichers;
        for (int i = 0; i < chain.length; i++) {
            try {
                chain[i].enrich(event);
            } catch (RuntimeException | LinkageError | StackOverflowError e) {
                if (logged(++enricherErrors, "enricher errors")) {
                    LOG.warn("enricher {} failed on event {}", enricherNames[i], event.id(), e);
                }
            }
        }
    }

    /**
     * Encodes a processed event, once per format its sinks use, and writes it to its sinks, in
     * completion order.
     */
    private void write(AuditEvent event) {
        boolean isDropped = event.isDropped();
        if (isDropped) {
            dropped++;
            if (!routesDropped) {
                return;
            }
        }
        long number = ++writeCount;
        // The laurel format first, as before formats were plugins, when a sink uses it (the
        // default chain has no other); the others when their first sink takes the event.
        if (laurelInUse && !encode(0, event, number)) {
            return;
        }
        markUnflushed();
        for (int i = 0; i < sinks.length; i++) {
            if (isDropped ? !routes[i].takesDropped() : !routes[i].takesKept()) {
                continue;
            }
            int f = sinkFormats[i];
            if (encodedFor[f] != number && (encodedFor[f] == -number || !encode(f, event, number))) {
                continue;
            }
            try {
                sinks[i].write(encodings[f]);
            } catch (IOException | RuntimeException | LinkageError | StackOverflowError e) {
                sinkFailed(i, "writing event " + event.id(), e);
            }
        }
    }

    /** The status report's line for each sink that has something to say ({@link Sink#status()}). */
    private void reportSinks() {
        for (int i = 0; i < sinks.length; i++) {
            String status;
            try {
                status = sinks[i].status();
            } catch (RuntimeException | LinkageError e) {
                status = "no status (" + e + ")"; // a report, not a reason to stop the chain
            }
            if (status != null) {
                LOG.info("status{}: sink {}: {}", markerText, sinkNames[i], status);
            }
        }
    }

    /** Encodes event {@code number} in format {@code f}; whether it could. */
    private boolean encode(int f, AuditEvent event, long number) {
        EncodedEvent out = encodings[f];
        out.reset(event);
        try {
            formatEncoders[f].encode(event, out);
            encodedFor[f] = number;
            return true;
        } catch (IOException | RuntimeException | LinkageError | StackOverflowError e) {
            encodedFor[f] = -number;
            if (logged(++encodeErrors, "encoding errors")) {
                LOG.error("cannot encode event {} in {}; its sinks do not get it", event.id(), formatLabels[f], e);
            }
            return false;
        }
    }

    private void reopenSinks() {
        reopenRequested = false;
        flushSinks();
        LOG.info("reopening {} sinks", sinks.length);
        for (int i = 0; i < sinks.length; i++) {
            try {
                sinks[i].reopen();
            } catch (IOException | RuntimeException | LinkageError e) {
                // Logged, not counted as a sink error: no event was lost by it (a sink that cannot
                // reopen holds or drops its events itself, and says so in undelivered() or a
                // failed write), and the sink errors make the exit status 74 (events not written).
                LOG.warn("sink {} failed reopening", sinkNames[i], e);
            }
        }
    }

    /** Flushes the running sinks, switches to the waiting chain and closes the old one. */
    private void switchChain() {
        Chain next = nextChain.getAndSet(null);
        if (next == null) {
            return;
        }
        unflushed = true;   // whatever a sink may still buffer goes out before its chain closes
        flushSinks();
        Chain old = chain;
        use(next);
        chain = next;
        LOG.info("running the new chain: {} enrichers, {} sinks", enrichers.length, sinks.length);
        retire(old, "replaced");
    }

    private void retire(Chain old, String why) {
        if (old == null) {
            return;
        }
        try {
            old.owner().close();
        } catch (Exception | LinkageError e) {
            LOG.warn("closing the old chain ({}): {}", why, e.toString());
        }
        undeliveredByRetired += undelivered(old.sinks());
    }

    /**
     * The events the sinks took but could not deliver ({@link Sink#undelivered()}): those of
     * chains replaced on SIGHUP and those of the running chain. Call after {@link #run()}, once
     * the running chain's owner has closed it.
     */
    public long undelivered() {
        return undeliveredByRetired + undelivered(Arrays.asList(sinks));
    }

    private static long undelivered(List<Sink> sinks) {
        long n = 0;
        for (Sink sink : sinks) {
            try {
                n += Math.max(0, sink.undelivered());
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("asking sink {} what it did not deliver: {}", sink.getClass().getName(), e.toString());
            }
        }
        return n;
    }

    private void markUnflushed() {
        if (!unflushed) {
            unflushed = true;
            unflushedSince = clock.millis();
        }
    }

    private void flushSinks() {
        if (!unflushed) {
            return;
        }
        unflushed = false;
        for (int i = 0; i < sinks.length; i++) {
            try {
                sinks[i].flush();
            } catch (IOException | RuntimeException | LinkageError e) {
                sinkFailed(i, "flushing", e);
            }
        }
        if (parseErrorLog != null) {
            try {
                parseErrorLog.flush();
            } catch (IOException e) {
                parseErrorLogFailed(e);
            }
        }
    }

    private void sinkFailed(int sink, String doing, Throwable e) {
        if (logged(++sinkErrors, "sink errors")) {
            LOG.warn("sink {} failed {}", sinkNames[sink], doing, e);
        }
    }

    /** Whether the {@code count}th problem of a kind is logged; says when logging stops. */
    private static boolean logged(long count, String kind) {
        if (count == LOGGED_PER_KIND + 1) {
            LOG.warn("more {}: counted from now on, not logged (see the summary at the end)", kind);
        }
        return count <= LOGGED_PER_KIND;
    }

    private static String preview(byte[] data, int start, int length) {
        int n = Math.min(length, 200);
        String text = DiagnosticText.of(data, start, n);
        return length > n ? text + "..." : text;
    }
}
