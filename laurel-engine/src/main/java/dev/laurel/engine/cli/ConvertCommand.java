package dev.laurel.engine.cli;

import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.config.ConfigError;
import dev.laurel.engine.config.ConfigErrors;
import dev.laurel.engine.config.ConfigFile;
import dev.laurel.engine.config.ConfigLoader;
import dev.laurel.engine.config.LaurelConfig;
import dev.laurel.engine.input.LineReader;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.pipeline.Pipeline;
import dev.laurel.engine.pipeline.PipelineCounts;
import dev.laurel.engine.plugin.PluginRegistry;
import dev.laurel.engine.process.ProcessTracker;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code laurel convert [--config FILE] [-o OUT] [--format NAME] INPUT...}: existing audit logs
 * (rotated ones and {@code .gz} too) to JSON Lines, through the config's enrichers (by default the
 * hex-decoder alone), in the laurel format or another ({@code --format ecs}). A rotated set is read oldest first, whatever the order given, as one stream, so an
 * event split across two files comes out whole. On a terminal a progress bar runs on stderr;
 * a summary (lines, events, errors) ends it.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, versionProvider = Version.class,
        exitCodeOnInvalidInput = Main.USAGE,
        description = {"Converts audit logs (audit.log, audit.log.1, ..., .gz too) to JSON Lines, oldest first.",
            "With --config, its enrichers are used; its sinks, input and state are not.",
            "With --format ecs (or ocsf, ...), events are written in that format instead of LAUREL's."})
final class ConvertCommand implements Callable<Integer> {
    @ParentCommand
    Main parent;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "A laurel config whose enrichers to use (default: the hex-decoder alone).")
    Path config;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", defaultValue = "-",
            description = "The JSON Lines file to write (default: standard output).")
    String output;

    @Option(names = {"-f", "--format"}, paramLabel = "NAME", defaultValue = "laurel",
            description = "The output format: laurel (LAUREL's JSON, the default), ecs, ocsf or another installed"
                    + " format plugin (laurel plugins lists them).")
    String format;

    @Mixin
    Main.PluginsDirectory plugins;

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Audit log files, plain or gzip-compressed.")
    List<Path> inputs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        DiagnosticLog.apply(DiagnosticLog.STDERR, "warn");
        for (Path input : inputs) {
            if (!Files.isReadable(input)) {
                err.println("laurel: cannot read " + input);
                return Main.FAILURE;
            }
        }
        PluginRegistry registry = Main.loadPlugins(config, plugins.or(parent.plugins), err);
        if (registry == null) {
            return ConfigErrors.EXIT_STATUS;
        }
        if (!registry.formats().containsKey(format)) {
            err.println("laurel: --format: unknown format \"" + format + "\"; available formats: "
                    + String.join(", ", registry.formats().keySet())
                    + dev.laurel.engine.config.ClosestName.suggestion(format, registry.formats().keySet()));
            return Main.USAGE;
        }
        Path work = Files.createTempDirectory("laurel-convert-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path chain = work.resolve("convert.yaml");
            try {
                if (config != null) {
                    ConfigFile.checkYaml(config);   // YAML problems at their line and column
                }
                Files.writeString(chain, chainYaml());
            } catch (ConfigErrors e) {
                e.errors().forEach(err::println);
                return ConfigErrors.EXIT_STATUS;
            } catch (IOException | RuntimeException e) {
                err.println("laurel: cannot read " + config + ": " + e.getMessage());
                return ConfigErrors.EXIT_STATUS;
            }
            ProcessTracker processes = new ProcessTracker();
            LaurelConfig cfg;
            try {
                cfg = new ConfigLoader(registry, processes).load(chain);
            } catch (ConfigErrors e) {
                err.println("laurel: " + (config == null ? "the conversion chain" : config)
                        + " (its enrichers, with a json-file sink writing " + output + "):");
                for (ConfigError error : e.errors()) {
                    err.println("  " + error.toString().replace(chain.toString(), "convert"));
                }
                return ConfigErrors.EXIT_STATUS;
            }
            try (cfg) {
                return convert(cfg, processes, err);
            }
        } finally {
            Files.deleteIfExists(work.resolve("convert.yaml"));
            Files.deleteIfExists(work);
        }
    }

    private int convert(LaurelConfig cfg, ProcessTracker processes, PrintWriter err) {
        List<Path> ordered = RotatedLogs.oldestFirst(inputs);
        RotatedLogs logs = new RotatedLogs(ordered);
        ConvertProgress progress = System.console() != null ? ConvertProgress.start(logs, System.err) : null;
        PipelineCounts counts;
        long undelivered;
        try (InputStream in = logs.open()) {
            // files are read in full buffers: no window for records to gather in
            LineReader reader = LineReader.start(in, ordered.size() == 1 ? ordered.get(0).toString()
                    : ordered.size() + " files", LineReader.DEFAULT_BATCHES, java.time.Duration.ZERO);
            EventAssembler.Limits limits = new EventAssembler.Limits(cfg.pendingEventsLimit(), cfg.eventTimeWait(),
                    cfg.wallClockWait());
            Pipeline pipeline = new Pipeline(reader, new LineParser(),
                    EventAssembler.factory(limits), processes::observe, new EventEncoder()::encode,
                    cfg.chain(), new Pipeline.Options(cfg.flushInterval(), Duration.ZERO, null, InstantSource.system()));
            counts = pipeline.run();
            cfg.close();   // the sink says what it held at close only once closed
            undelivered = pipeline.undelivered();
            if (pipeline.inputFailure() != null) {
                if (progress != null) {
                    progress.finish();
                }
                err.println("laurel: reading " + logs.current() + ": " + pipeline.inputFailure().getMessage());
                return Main.FAILURE;
            }
        } catch (IOException e) {
            if (progress != null) {
                progress.finish();
            }
            err.println("laurel: " + e.getMessage());
            return Main.FAILURE;
        }
        if (progress != null) {
            progress.finish();
        }
        long errors = counts.parseErrors() + counts.enricherErrors() + counts.encodeErrors() + counts.sinkErrors();
        err.println("laurel: converted " + ordered.size() + (ordered.size() == 1 ? " file: " : " files: ")
                + counts.lines() + " lines, " + counts.events() + " events, " + errors + " errors ("
                + counts + ")");
        String lost = Main.notWritten(counts, undelivered);
        if (lost != null) {
            err.println("laurel: " + output + ": " + lost + "; exit status " + Main.NOT_WRITTEN);
            return Main.NOT_WRITTEN;
        }
        return Main.OK;
    }

    /** The chain: the config's enrichers (or the hex-decoder) and one json-file sink. */
    private String chainYaml() throws IOException {
        Map<String, Object> chain = new LinkedHashMap<>();
        if (config != null) {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(config));
            if (!(loaded instanceof Map<?, ?> map)) {
                throw new IOException("not a YAML mapping");
            }
            map.forEach((k, v) -> chain.put(String.valueOf(k), v));
            // An offline conversion must not touch the live installation's files.
            chain.remove("input");
            chain.remove("state");
            chain.remove("user");
            chain.remove("proc-root");
            Object diagnostics = chain.get("diagnostics");
            if (diagnostics instanceof Map<?, ?> d) {
                Map<Object, Object> kept = new LinkedHashMap<>(d);
                kept.remove("parse-error-log");
                kept.remove("log");
                chain.put("diagnostics", kept);
            }
        } else {
            chain.put("enrichers", List.of(Map.of("type", "hex-decoder")));
        }
        chain.put("proc-root", "none");   // a log's pids are not this machine's processes
        Map<String, Object> sink = new LinkedHashMap<>();
        sink.put("type", "json-file");
        sink.put("file", output);
        if (!format.equals("laurel")) {
            sink.put("format", format);
        }
        List<Object> sinks = new ArrayList<>();
        sinks.add(sink);
        chain.put("sinks", sinks);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options).dump(chain);
    }
}
