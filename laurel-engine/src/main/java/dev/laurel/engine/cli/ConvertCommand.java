package dev.laurel.engine.cli;

import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.config.ConfigError;
import dev.laurel.engine.config.ConfigErrors;
import dev.laurel.engine.config.ConfigLoader;
import dev.laurel.engine.config.LaurelConfig;
import dev.laurel.engine.input.LineReader;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.pipeline.Pipeline;
import dev.laurel.engine.pipeline.PipelineCounts;
import dev.laurel.engine.plugin.PluginLoadException;
import dev.laurel.engine.plugin.PluginRegistry;
import dev.laurel.engine.process.ProcessTracker;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

/**
 * {@code laurel convert [--config FILE] IN [OUT]}: an audit log file (or standard input) to JSON
 * lines, offline: the process table is built from the log alone (no /proc, no state file), so
 * that the result depends on the file only.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, versionProvider = Version.class,
        exitCodeOnInvalidInput = Main.USAGE, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Converts an audit log file (auditd's audit.log, or - for standard input; gzip-compressed"
                + " too) to JSON lines, one per event, offline.",
            "Without --config the chain is hex-decoder and a json-file sink. With --config the config's"
                + " enrichers run (its limits apply; its input, proc-root, state and diagnostics do not);"
                + " OUT, if given, replaces the config's sinks.",
            "The process table is built from the log alone: nothing is read from /proc and no state file"
                + " is used. A progress bar (bytes read) is shown when stderr is a terminal, with a summary"
                + " at the end; otherwise nothing is printed but errors."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:converted", "1:reading the input failed part-way, or an unexpected error",
            "64:bad command line", "66:the input cannot be read",
            "78:bad configuration (every problem is printed as FILE:LINE:COLUMN: message)"})
final class ConvertCommand implements Callable<Integer> {
    static final int NO_INPUT = 66;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The chain to run (a laurel YAML config); default: hex-decoder and json-file.")
    Path config;

    @Option(names = "--progress", negatable = true,
            description = "Show (or with --no-progress, never show) the progress bar; default: only when"
                    + " stderr is a terminal.")
    Boolean progress;

    @Parameters(index = "0", paramLabel = "IN", description = "The audit log to read (.gz too); - for standard input.")
    String input;

    @Parameters(index = "1", arity = "0..1", paramLabel = "OUT",
            description = "Where to write the JSON lines (overwritten); default: standard output, or the"
                    + " config's sinks.")
    Path output;

    @Mixin
    Main.PluginsDirectory plugins;

    @ParentCommand
    Main parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        boolean stdin = input.equals("-");
        Path inputPath = stdin ? Path.of("/proc/self/fd/0") : Path.of(input);
        InputStream in;
        try {
            in = stdin ? new FileInputStream(FileDescriptor.in) : openInput(inputPath);
        } catch (IOException e) {
            err.println("laurel: cannot read " + input + ": " + describe(e));
            return NO_INPUT;
        }
        // Only warnings and errors: the pipeline's own "done" line would be noise on stderr here.
        DiagnosticLog.apply(DiagnosticLog.STDERR, "warn");
        Path dir = plugins.dir != null ? plugins.dir : parent == null ? null : parent.plugins.resolve();
        PluginRegistry registry;
        try {
            registry = PluginRegistry.discover(dir);
        } catch (PluginLoadException e) {
            in.close();
            err.println("laurel: " + e.getMessage());
            return ConfigErrors.EXIT_STATUS;
        }
        ProcessTracker processes = new ProcessTracker();
        ConfigLoader loader = new ConfigLoader(registry, processes);
        LaurelConfig chain = null;
        LaurelConfig out = null;
        try {
            if (output != null && !isStdout(output) && Files.isRegularFile(output)) {
                Files.write(output, new byte[0]);   // overwrite, keeping the file's owner and mode
            }
            if (config == null) {
                chain = loadGenerated(loader, "enrichers:\n  - type: hex-decoder\n" + sinkYaml());
                out = chain;
            } else if (output == null) {
                chain = loader.load(config);
                out = chain;
            } else {
                chain = loader.loadWithoutSinks(config);
                out = loadGenerated(loader, sinkYaml());
            }
            return run(chain, out, processes, in, inputPath, err);
        } catch (ConfigErrors e) {
            for (ConfigError error : e.errors()) {
                err.println(error);
            }
            return ConfigErrors.EXIT_STATUS;
        } finally {
            in.close();
            if (out != null && out != chain) {
                out.close();
            }
            if (chain != null) {
                chain.close();
            }
        }
    }

    private int run(LaurelConfig chain, LaurelConfig out, ProcessTracker processes, InputStream in, Path inputPath,
                    PrintWriter err) {
        processes.limit(chain.processesLimit());
        boolean show = progress != null ? progress : stderrIsTerminal();
        ProgressBar bar = show ? progressBar(inputPath) : null;
        InputStream source = bar == null ? in : new Progress(in, bar);
        try {
            source = gunzipIfCompressed(source);
        } catch (IOException e) {
            if (bar != null) {
                bar.close();
            }
            err.println("laurel: cannot read " + input + ": " + describe(e));
            return NO_INPUT;
        }
        LineReader reader = LineReader.start(source, input.equals("-") ? "stdin" : input);
        EventAssembler.Limits limits = new EventAssembler.Limits(chain.pendingEventsLimit(), chain.eventTimeWait(),
                chain.wallClockWait());
        Pipeline pipeline = new Pipeline(reader, Pipeline.Parser.of(new LineParser()),
                Pipeline.Assembler.standard(limits), processes::observe, new EventEncoder()::encode,
                chain.enrichers(), out.sinks(), out.sinkRoutes(),
                new Pipeline.Options(chain.flushInterval(), Duration.ZERO, null, InstantSource.system()));
        PipelineCounts counts = pipeline.run();
        if (bar != null) {
            bar.close();
        }
        IOException failure = pipeline.inputFailure();
        if (failure != null) {
            err.println("laurel: reading " + input + " failed after " + counts.lines() + " lines: " + describe(failure));
        }
        if (show) {
            long errors = counts.parseErrors() + counts.enricherErrors() + counts.encodeErrors() + counts.sinkErrors();
            err.println("laurel: " + counts.lines() + " lines, " + counts.events() + " events"
                    + (counts.dropped() > 0 ? " (" + counts.dropped() + " dropped)" : "") + ", " + errors + " errors"
                    + (errors > 0 ? " (" + counts.parseErrors() + " unparsable lines, " + counts.enricherErrors()
                    + " enricher, " + counts.encodeErrors() + " encoding, " + counts.sinkErrors() + " sink)" : "")
                    + (output != null ? " -> " + output : ""));
        }
        return failure == null ? Main.OK : Main.FAILURE;
    }

    /**
     * The stream decompressed if it starts with gzip's magic bytes (a rotated {@code audit.log.2.gz}),
     * else as it is. The progress bar counts the compressed bytes, as they are what the file size says.
     */
    static InputStream gunzipIfCompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(buffered, 64 * 1024) : buffered;
    }

    private static InputStream openInput(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("is a directory");
        }
        return Files.newInputStream(file);
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** The {@code sinks:} section writing to OUT, or to standard output. */
    private String sinkYaml() {
        String file = output == null || isStdout(output) ? "-" : output.toAbsolutePath().toString();
        return "sinks:\n  - type: json-file\n    file: " + doubleQuoted(file) + "\n";
    }

    private static boolean isStdout(Path output) {
        return output.toString().equals("-");
    }

    /** A YAML double-quoted scalar (JSON's escapes are YAML's too). */
    private static String doubleQuoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Loads a config written here (the default chain, OUT's sink) through the same loader. */
    private static LaurelConfig loadGenerated(ConfigLoader loader, String yaml) throws ConfigErrors, IOException {
        Path file = Files.createTempFile("laurel-convert", ".yaml");
        try {
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            return loader.load(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Whether stderr is a terminal (System.console() asks about stdin and stdout instead). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static ProgressBar progressBar(Path inputPath) {
        long size = -1;
        try {
            if (Files.isRegularFile(inputPath)) {
                size = Files.size(inputPath);
            }
        } catch (IOException e) {
            size = -1;   // unknown size: an indefinite bar
        }
        // jline (the terminal width) logs through java.util.logging when it falls back to a dumb terminal.
        java.util.logging.Logger.getLogger("org.jline").setLevel(java.util.logging.Level.OFF);
        return new ProgressBarBuilder()
                .setTaskName("convert")
                .setInitialMax(size)
                .setUnit(" MiB", 1024 * 1024)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .build();
    }

    /** Counts the bytes read into the progress bar (the reader thread reads, the bar renders on its own). */
    private static final class Progress extends FilterInputStream {
        private final ProgressBar bar;

        Progress(InputStream in, ProgressBar bar) {
            super(in);
            this.bar = bar;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                bar.stepBy(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                bar.stepBy(n);
            }
            return n;
        }
    }
}
