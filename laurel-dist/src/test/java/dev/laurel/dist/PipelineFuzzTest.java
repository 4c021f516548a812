package dev.laurel.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.laurel.engine.assemble.EventAssembler;
import dev.laurel.engine.config.ConfigLoader;
import dev.laurel.engine.config.LaurelConfig;
import dev.laurel.engine.input.LineReader;
import dev.laurel.engine.json.EventEncoder;
import dev.laurel.engine.parse.LineParser;
import dev.laurel.engine.pipeline.Pipeline;
import dev.laurel.engine.pipeline.PipelineCounts;
import dev.laurel.engine.plugin.PluginRegistry;
import dev.laurel.engine.process.ProcessTracker;
import dev.laurel.engine.testkit.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.time.InstantSource;

/**
 * Jazzer target for the whole chain as laurel runs it: a config file loaded by
 * {@link ConfigLoader} (hex-decoder, translate, parent-info, key-labeler, execve-transform, sigma
 * with the SigmaHQ Linux rules of testdata/sigma, and three json-file sinks writing the laurel,
 * ecs and ocsf formats), the fuzzer's bytes as auditd's stream through {@link Pipeline} with the
 * real parser, assembler, process table and encoders. Nothing may throw out of the pipeline, no
 * enricher or format may fail, and every line each sink writes is one valid JSON object in
 * UTF-8, one per event, with no key twice in any object.
 *
 * <p>In every build it replays the committed inputs in
 * {@code PipelineFuzzTestInputs/wholeChainWritesOneValidJsonLinePerEvent/} (slices of the real
 * capture, damaged lines, hostile arguments) as a regression test. {@code JAZZER_FUZZ=1 mvn -o
 * -pl laurel-dist -am test -Dtest=PipelineFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}
 * fuzzes for real, for at most the {@code maxDuration} below; findings land in that directory
 * as {@code crash-*}: name them and commit them as regression inputs. Use {@code test}, not
 * {@code verify}: Jazzer instruments the classes it finds in directories on the class path, and
 * after {@code package} the reactor hands the engine and plugins over as jars (a run then covers
 * 44 edges instead of about 5,000).
 */
class PipelineFuzzTest {
    /** Fails on a key written twice in one object: laurel never writes one (docs/format.md §1). */
    private static final ObjectMapper JSON = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final Chain CHAIN = Chain.load();

    /** One config for every input: loading it is the slow part, and state carries over as in a long run. */
    private record Chain(LaurelConfig config, ProcessTracker processes, List<Output> outputs) {
        static Chain load() {
            try {
                Path dir = Files.createTempDirectory("laurel-fuzz");
                dir.toFile().deleteOnExit();
                List<Output> outputs = List.of(new Output(dir.resolve("laurel.jsonl"), "ID"),
                        new Output(dir.resolve("ecs.jsonl"), "@timestamp"),
                        new Output(dir.resolve("ocsf.jsonl"), "class_uid"));
                Path rules = TestData.root().resolve("testdata/sigma/rules");
                Path config = dir.resolve("laurel.yaml");
                Files.writeString(config, """
                        proc-root: none
                        limits:
                          pending-events: 50
                          pending-bytes: 200000
                          processes: 1000
                        diagnostics:
                          log: stderr
                          log-level: error
                        enrichers:
                          - type: hex-decoder
                          - type: translate
                            sockaddr: object
                          - type: parent-info
                            style: both
                          - type: key-labeler
                            label-keys: [exec, software_mgmt]
                            propagate-labels: [exec]
                            label-argv:
                              "^(sh|bash) -c": shell
                          - type: execve-transform
                            execve-argv: [array, string]
                            execve-argv-limit-bytes: 4096
                          - type: sigma
                            rules: ["%s"]
                            label-levels: {high: sigma-high, critical: sigma-critical}
                            propagate-labels: [sigma-critical]
                        sinks:
                          - type: json-file
                            file: "%s"
                          - type: json-file
                            id: ecs
                            file: "%s"
                            format: ecs
                          - type: json-file
                            id: ocsf
                            file: "%s"
                            format: {type: ocsf, captions: true}
                        """.formatted(rules, outputs.get(0).file(), outputs.get(1).file(), outputs.get(2).file()));
                ProcessTracker processes = new ProcessTracker();
                LaurelConfig loaded = new ConfigLoader(PluginRegistry.discover(null), processes).load(config);
                processes.limit(loaded.processesLimit());
                return new Chain(loaded, processes, outputs);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A sink's file and a key every event of its format has. */
    private record Output(Path file, String alwaysKey) {
    }

    @FuzzTest(maxDuration = "10m")
    void wholeChainWritesOneValidJsonLinePerEvent(byte[] input) throws IOException {
        long[] before = new long[CHAIN.outputs.size()];
        for (int i = 0; i < before.length; i++) {
            before[i] = Files.exists(CHAIN.outputs.get(i).file()) ? Files.size(CHAIN.outputs.get(i).file()) : 0;
        }
        LaurelConfig cfg = CHAIN.config;
        Pipeline pipeline = new Pipeline(LineReader.start(new ByteArrayInputStream(input), "fuzz"),
                new LineParser(),
                EventAssembler.factory(new EventAssembler.Limits(cfg.pendingEventsLimit(), cfg.eventTimeWait(),
                        cfg.wallClockWait(), cfg.pendingBytesLimit())),
                CHAIN.processes::observe, new EventEncoder()::encode, cfg.chain(),
                new Pipeline.Options(Duration.ofMillis(100), Duration.ZERO, new ByteArrayOutputStream(),
                        InstantSource.system()));

        PipelineCounts counts = pipeline.run();

        assertThat(counts.enricherErrors()).as("enricher errors").isZero();
        assertThat(counts.encodeErrors()).as("encoding errors").isZero();
        assertThat(counts.sinkErrors()).as("sink errors").isZero();
        for (int k = 0; k < before.length; k++) {
            Output out = CHAIN.outputs.get(k);
            byte[] written = tail(out.file(), before[k]);
            String what = out.file().getFileName().toString();
            assertThat(utf8(written)).as(what + ": UTF-8").isTrue();
            int lines = 0;
            int start = 0;
            for (int i = 0; i < written.length; i++) {
                if (written[i] == '\n') {
                    JsonNode event = JSON.readTree(written, start, i - start);
                    assertThat(event.isObject()).as(what).isTrue();
                    assertThat(event.has(out.alwaysKey())).as(what + ": has " + out.alwaysKey()).isTrue();
                    for (int j = start; j < i; j++) {
                        assertThat(written[j] >= 0 && written[j] < 0x20).as(what + ": raw control byte").isFalse();
                    }
                    start = i + 1;
                    lines++;
                }
            }
            assertThat(start).as(what + ": every line ends").isEqualTo(written.length);
            assertThat((long) lines).as(what + ": one line per event").isEqualTo(counts.events() - counts.dropped());
        }
    }

    private static byte[] tail(Path file, long from) throws IOException {
        if (!Files.exists(file)) {
            return new byte[0];
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(b);
            return b;
        }
    }

    private static boolean utf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
