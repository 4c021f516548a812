package dev.laurel.engine.cli;

import dev.laurel.api.internal.OutputFiles;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.config.ConfigError;
import dev.laurel.engine.config.ConfigErrors;
import dev.laurel.engine.config.ConfigFile;
import dev.laurel.engine.config.ConfigLoader;
import dev.laurel.engine.config.LaurelConfig;
import dev.laurel.engine.input.AuditInput;
import dev.laurel.engine.input.LineReader;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.pipeline.Pipeline;
import dev.laurel.engine.pipeline.PipelineCounts;
import dev.laurel.engine.plugin.PluginLoadException;
import dev.laurel.engine.plugin.PluginRegistry;
import dev.laurel.engine.process.ProcSeeder;
import dev.laurel.engine.process.ProcessTracker;
import dev.laurel.engine.state.StateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code laurel} command: reads auditd's records (standard input, as auditd runs plugins),
 * runs them through the configured chain and exits 0 at the end of input or on SIGTERM.
 *
 * <p>Exit statuses: 0 done, 78 (EX_CONFIG) a bad config or plugin directory, every problem on
 * stderr as {@code FILE:LINE:COLUMN: message}; 64 (EX_USAGE) a bad command line; 74 (EX_IOERR)
 * events not written (a sink could not write them, the log says how many); 1 anything else.
 */
@Command(name = "laurel", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, usageHelpAutoWidth = true, exitCodeOnInvalidInput = Main.USAGE,
        description = {"Turns auditd's records into one JSON line per event.",
            "auditd starts it as a plugin and writes records to its standard input."},
        subcommands = {PluginsCommand.class, SettingsCommand.class, MigrateConfigCommand.class, ConvertCommand.class,
            AuditLogCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:failure (reading, or an unexpected error)", "64:bad command line",
            "74:events not written (a sink could not write them; the log says how many)",
            "78:bad configuration (every problem is printed as FILE:LINE:COLUMN: message)"})
public final class Main implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 64;
    /** Events were lost: a sink could not write them (EX_IOERR); the log says how many. */
    static final int NOT_WRITTEN = 74;

    /** How long a shutdown hook waits for the pipeline to emit pending events and close. */
    private static final long SHUTDOWN_WAIT_SECONDS = 10;
    /** The promise (README, laurel.8): laurel has exited this long after SIGTERM. */
    private static final long STOP_MILLIS = 10_000;
    /**
     * When sinks still waiting for their destination are interrupted after SIGTERM: early enough
     * that what comes after (the events still read, dropped now at once, and closing the sinks)
     * fits in the rest of {@link #STOP_MILLIS}.
     */
    private static final long STOP_INTERRUPT_MILLIS = 8_000;

    /**
     * The config file when neither {@code --config} nor {@code LAUREL_CONFIG} names one: the
     * Debian package's. Not in {@code /etc/laurel/}, which belongs to Debian's laurel package
     * (LAUREL), installed beside ours.
     */
    static final String DEFAULT_CONFIG = "/etc/laurel-java/laurel.yaml";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "${env:LAUREL_CONFIG:-" + DEFAULT_CONFIG + "}",
            description = "The configuration (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = {"-d", "--dry-run"}, description = "Check the configuration and exit: 0 if valid, 78 if not.")
    boolean dryRun;

    @Mixin
    PluginsDirectory plugins;

    @Spec
    CommandSpec spec;

    /** Standard output as bytes, for subcommands that write bytes (audit-log). */
    PrintStream out = System.out;

    /** Runs laurel and exits with its status. */
    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals(LAUNCHER_ACCOUNT)) {
            System.exit(printAccount(Path.of(args[1]), System.out, System.err));   // logging never set up
        }
        int status = run(args, System.out, System.err);
        DiagnosticLog.shutdown();
        System.exit(status);
    }

    /**
     * The config file of a plain run, the way auditd starts laurel ({@code laurel}, {@code laurel
     * -c FILE}, {@code laurel --config FILE} or {@code --config=FILE}), or {@code null} for any other
     * command line, which picocli handles. A plain run does not need picocli, and setting picocli up
     * is about half of laurel's start-up: its classes predate class-data sharing, so every start
     * loads and verifies them again (measured with callgrind: about 765 million of the 1,475 million
     * instructions of a start with an empty input).
     */
    static Path plainRunConfig(String[] args, String envConfig) {
        String file;
        if (args.length == 0) {
            file = envConfig == null || envConfig.isEmpty() ? DEFAULT_CONFIG : envConfig;
        } else if (args.length == 1 && args[0].startsWith("--config=") && args[0].length() > "--config=".length()) {
            file = args[0].substring("--config=".length());
        } else if (args.length == 2 && (args[0].equals("-c") || args[0].equals("--config"))
                && !args[1].isEmpty() && !args[1].startsWith("-")) {
            file = args[1];
        } else {
            return null;
        }
        try {
            return Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            return null;   // picocli reports it
        }
    }

    /** A plain run (see {@link #plainRunConfig}): what {@link #call} does, without picocli. */
    static int runPlain(Path config, PrintStream err) {
        Main main = new Main();
        main.config = config;
        main.plugins = new PluginsDirectory();
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        try {
            return main.runWith(errWriter);
        } catch (RuntimeException | Error e) {
            return failed(errWriter, e);
        }
    }

    /** An unexpected failure of a run: said on stderr and logged with its stack trace. */
    private static int failed(PrintWriter err, Throwable e) {
        err.println("laurel: " + e);
        LoggerFactory.getLogger(Main.class).error("failed", e);
        return FAILURE;
    }

    /**
     * {@code laurel --launcher-account FILE}: prints the config's {@code user:} (nothing without
     * one) for {@code bin/laurel}, which then runs laurel as that account; exits 78 with the
     * problems if the YAML or the {@code user:} is invalid. Not for people: not in the usage.
     */
    static final String LAUNCHER_ACCOUNT = "--launcher-account";

    /** The names under which {@code user:} means root itself, which needs no switch. */
    private static final List<String> ROOT_ACCOUNTS = List.of("root", "0");

    /** Runs the command line and returns the exit status; for {@link #main} and tests. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 2 && args[0].equals(LAUNCHER_ACCOUNT)) {
            return printAccount(Path.of(args[1]), out, err);
        }
        Path plainRun = plainRunConfig(args, System.getenv("LAUREL_CONFIG"));
        if (plainRun != null) {
            return runPlain(plainRun, err);
        }
        Main main = new Main();
        main.out = out;
        CommandLine cl = new CommandLine(main);
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setExecutionExceptionHandler((e, commandLine, parsed) -> failed(commandLine.getErr(), e));
        return cl.execute(args);
    }

    /** See {@link #LAUNCHER_ACCOUNT}: no logging set up, no plugin loaded, for a quick answer. */
    private static int printAccount(Path config, PrintStream out, PrintStream err) {
        try {
            String account = ConfigFile.account(config);
            if (account != null) {
                out.println(account);
            }
            out.flush();
            return OK;
        } catch (ConfigErrors e) {
            e.errors().forEach(err::println);
            return ConfigErrors.EXIT_STATUS;
        }
    }

    /**
     * Running as root with a config that names another account means the switch to it was missed
     * (laurel started without {@code bin/laurel}, or by a launcher that misread the file): refused,
     * never a silent run as root. Checked before anything of the config is created.
     */
    private boolean runsAsAnotherAccountThanConfigured(PrintWriter err) {
        if (dryRun || TrustedFiles.effectiveUid() != 0) {
            return false;
        }
        String account;
        try {
            account = ConfigFile.account(config);
        } catch (ConfigErrors e) {
            return false;   // the loader reports it, with the rest
        }
        if (account == null || ROOT_ACCOUNTS.contains(account)) {
            return false;
        }
        err.println("laurel: " + config + ": user: " + account + ", but laurel runs as root: start it through"
                + " bin/laurel, which runs it as " + account + " (setpriv), or remove user: to run it as root");
        return true;
    }

    @Override
    public Integer call() {
        return runWith(spec.commandLine().getErr());
    }

    private int runWith(PrintWriter err) {
        DiagnosticLog.apply(DiagnosticLog.AUTO, null);   // before any logger exists
        Logger log = LoggerFactory.getLogger(Main.class);
        PluginRegistry registry = loadPlugins(config, plugins, err);
        if (registry == null || runsAsAnotherAccountThanConfigured(err)) {
            return ConfigErrors.EXIT_STATUS;
        }
        ProcessTracker processes = new ProcessTracker();
        // A dry run's plugins check what they would open or create, and create nothing.
        ConfigLoader loader = new ConfigLoader(registry, processes, dryRun);
        LaurelConfig loaded;
        try {
            loaded = loader.load(config);
        } catch (ConfigErrors e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            return ConfigErrors.EXIT_STATUS;
        }
        CountDownLatch finished = new CountDownLatch(1);
        try (LaurelConfig cfg = loaded) {
            if (dryRun) {
                err.println("laurel: " + config + " is valid");
                return OK;
            }
            DiagnosticLog.apply(cfg.log(), cfg.logLevel());
            return runPipeline(cfg, loader, processes, finished, log, err);
        } finally {
            finished.countDown();
        }
    }

    private int runPipeline(LaurelConfig cfg, ConfigLoader loader, ProcessTracker processes, CountDownLatch finished,
                            Logger log, PrintWriter err) {
        InputStream in;
        try {
            in = AuditInput.open(cfg.input());
        } catch (IOException e) {
            err.println("laurel: cannot read " + AuditInput.describe(cfg.input()) + ": " + e.getMessage());
            return FAILURE;
        }
        OutputStream parseErrorLog = null;
        if (cfg.parseErrorLog() != null) {
            try {
                parseErrorLog = new ParseErrorLogFile(cfg.parseErrorLog(), cfg.parseErrorLogSize(),
                        new OutputFiles(cfg.user()));
            } catch (IOException e) {
                err.println("laurel: cannot open the parse-error log " + cfg.parseErrorLog() + ": " + e);
                return FAILURE;
            }
        }
        processes.limit(cfg.processesLimit());
        if (AuditInput.isLive(cfg.input()) && cfg.procRoot() != null) {
            seed(processes, cfg.procRoot(), log);
            // Dead processes are forgotten once no late record or waiting event can name them:
            // an event waits for its EOE at most event-time-wait or wall-clock-wait, then for an
            // earlier serial at most 1 s (SerialOrder); 2 s covers that and a margin.
            processes.watch(cfg.procRoot(), cfg.eventTimeWait().plus(cfg.wallClockWait()).plusSeconds(2));
        }
        LineReader reader = LineReader.start(in, AuditInput.describe(cfg.input()), LineReader.DEFAULT_BATCHES,
                cfg.readWindow());
        EventAssembler.Limits limits = new EventAssembler.Limits(cfg.pendingEventsLimit(), cfg.eventTimeWait(),
                cfg.wallClockWait(), cfg.pendingBytesLimit());
        Pipeline pipeline = new Pipeline(reader, new LineParser(), EventAssembler.factory(limits),
                processes::observe, new EventEncoder()::encode,
                cfg.chain(),
                new Pipeline.Options(cfg.flushInterval(), cfg.statusReportPeriod(), parseErrorLog,
                        InstantSource.system(), stateFile(cfg, processes), cfg.stateInterval())
                        .withMarker(cfg.marker()));
        ConfigReload reload = new ConfigReload(config, plugins.resolve(), loader, pipeline, cfg);
        AtomicBoolean stopping = new AtomicBoolean();
        Thread pipelineThread = Thread.currentThread();   // runs the pipeline, then closes the sinks
        StopSignals.Installed signals = StopSignals.install(() -> {
            pipeline.stop();
            if (stopping.compareAndSet(false, true)) {
                interruptIfStuck(pipelineThread, finished, log);
            }
        }, () -> {
            // The running sinks reopen their files (logrotate), the state is saved and the config
            // read again; the pipeline's thread reopens, saves and switches, not this one.
            log.info("SIGHUP: reopening the sinks' files, saving the state, reloading {}", config);
            pipeline.reopen();
            pipeline.saveState();
            reload.reload();
        });
        if (signals == StopSignals.Installed.NONE) {
            log.debug("cannot catch signals; SIGTERM finishes through the shutdown hook, exit status 143");
        } else if (signals == StopSignals.Installed.HANGUP_IGNORED) {
            log.warn("SIGHUP was ignored when laurel started (nohup or a parent that ignores it) and stays"
                    + " ignored: a SIGHUP will not reopen the sinks' files after logrotate, save the state or"
                    + " reload {}; start laurel with SIGHUP at its default (bin/laurel does so where env(1)"
                    + " has --default-signal)", config);
        }
        // Also for exits that are not our signals: finish pending events before the JVM goes.
        Thread hook = new Thread(() -> {
            pipeline.stop();
            try {
                if (!finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    System.err.println("laurel: pending events not written within " + SHUTDOWN_WAIT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "laurel-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PipelineCounts counts;
        try {
            log.info("laurel {} reading {}", Version.number(), reader.name());
            counts = pipeline.run();
        } finally {
            // After a SIGHUP the chain running at the end is not the one laurel started with (that
            // one the pipeline closed when it switched); the caller closes the first one anyway.
            AutoCloseable last = pipeline.chain().owner();
            if (last != cfg) {
                try {
                    last.close();
                } catch (Exception e) {
                    log.warn("closing the chain: {}", e.toString());
                }
            }
            if (parseErrorLog != null) {
                try {
                    parseErrorLog.close();
                } catch (IOException e) {
                    log.warn("closing the parse-error log: {}", e.toString());
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and waits for us
            }
        }
        cfg.close();   // the sinks say what they held at close only once closed
        if (pipeline.inputFailure() != null) {
            return FAILURE;
        }
        String lost = notWritten(counts, pipeline.undelivered());
        if (lost != null) {
            log.error("{}; exit status {}", lost, NOT_WRITTEN);
            return NOT_WRITTEN;
        }
        return OK;
    }

    /**
     * What the sinks did not write, for the end of a run: the events they still held when closed
     * and their failures while running (an event dropped or not taken); {@code null} if none.
     */
    static String notWritten(PipelineCounts counts, long undelivered) {
        if (undelivered == 0 && counts.sinkErrors() == 0) {
            return null;
        }
        return "events not written: " + undelivered + " held by sinks when they were closed, "
                + counts.sinkErrors() + " sink errors while running";
    }

    /**
     * A sink waiting for its destination (on-full: block, disk full or receiver away) would keep
     * laurel from stopping for ever. The stop has {@value #STOP_MILLIS} ms in all: after
     * {@value #STOP_INTERRUPT_MILLIS} ms the pipeline's thread is interrupted, blocked sinks give
     * up, drop what they hold and report it, and the events still read go through at once; a sink
     * whose close still waits at {@value #STOP_MILLIS} ms (pipe, unix-socket and syslog wait for
     * their receiver) is interrupted again.
     */
    private static void interruptIfStuck(Thread pipelineThread, CountDownLatch finished, Logger log) {
        Thread watchdog = new Thread(() -> {
            try {
                if (!finished.await(STOP_INTERRUPT_MILLIS, TimeUnit.MILLISECONDS)) {
                    log.warn("still stopping after {} s: interrupting sinks that wait for their destination; "
                            + "what they hold is lost and reported", STOP_INTERRUPT_MILLIS / 1000);
                    pipelineThread.interrupt();
                    if (!finished.await(STOP_MILLIS - STOP_INTERRUPT_MILLIS, TimeUnit.MILLISECONDS)) {
                        log.warn("still stopping after {} s: interrupting the sinks being closed", STOP_MILLIS / 1000);
                        pipelineThread.interrupt();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "laurel-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * Adds the processes running now, so that events of processes started before laurel still
     * get their parents. Only for live input: a replayed log's pids are not this machine's.
     */
    private static void seed(ProcessTracker processes, Path procRoot, Logger log) {
        try {
            int n = new ProcSeeder(procRoot).seed(processes);
            log.debug("process table seeded with {} running processes", n);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read running processes from {}: {}", procRoot, e.toString());
        }
    }

    /** The state file in the configured state directory, or {@code null} without one. */
    private static StateFile stateFile(LaurelConfig cfg, ProcessTracker processes) {
        return cfg.stateDirectory() == null ? null
                : new StateFile(cfg.stateDirectory(), processes, cfg.stateMaxAge(), InstantSource.system(),
                        new OutputFiles(cfg.user()));
    }

    /** {@code --plugins DIR}, by default {@code $LAUREL_HOME/plugins}. */
    static final class PluginsDirectory {
        @Option(names = "--plugins", paramLabel = "DIR",
                description = "Third-party plugins, one sub-directory of jars each (default: $LAUREL_HOME/plugins).")
        Path dir;

        Path resolve() {
            if (dir != null) {
                return dir;
            }
            String home = System.getenv("LAUREL_HOME");
            return home == null || home.isEmpty() ? null : Path.of(home, "plugins");
        }

        /** A subcommand's own {@code --plugins} if given, else the one given before the subcommand. */
        PluginsDirectory or(PluginsDirectory main) {
            return dir != null ? this : main;
        }
    }

    /**
     * The plugins of {@code pluginsDir}, once the config file and the plugin files pass the checks
     * made when running as root; {@code null}, with every problem on {@code err}, if not.
     */
    static PluginRegistry loadPlugins(Path config, PluginsDirectory plugins, PrintWriter err) {
        Path pluginsDir = plugins.resolve();
        // The default directory may be absent (no third-party plugins); one the user named is a typo.
        if (plugins.dir != null && !Files.exists(pluginsDir)) {
            err.println("laurel: " + pluginsDir + ": the plugins directory named by --plugins does not exist;"
                    + " correct the path, or create the directory");
            return null;
        }
        if (TrustedFiles.apply()) {
            List<String> untrusted = TrustedFiles.problems(config, pluginsDir);
            if (!untrusted.isEmpty()) {
                untrusted.forEach(problem -> err.println("laurel: " + problem));
                return null;
            }
        }
        try {
            return PluginRegistry.discover(pluginsDir);
        } catch (PluginLoadException e) {
            err.println("laurel: " + e.getMessage());
            return null;
        }
    }
}
