package dev.laurel.plugins.jsonfile;

import dev.laurel.api.ConfigException;
import dev.laurel.api.OutputEvent;
import dev.laurel.plugins.testkit.TestOutputs;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rotation, mode, group, line prefix, reopen and fsync over LAUREL 0.5.1's output for the real capture. */
class JsonFileRotationTest {

    @TempDir
    Path dir;

    private static final PluginContext CONTEXT = () -> System.getLogger("test");

    /** The 1,076 pre-encoded events of the real capture. */
    private static List<byte[]> realLines() throws IOException {
        Path ref = Path.of(System.getProperty("laurel.root"), "testdata/real-enriched.laurel-0.5.1.jsonl");
        List<byte[]> lines = new ArrayList<>();
        for (String line : Files.readAllLines(ref, StandardCharsets.UTF_8)) {
            lines.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return lines;
    }

    private static OutputEvent event(byte[] json) {
        return TestOutputs.of(json);
    }

    private static Sink create(Map<String, Object> options) throws ConfigException {
        return new JsonFileSinkFactory().create(new PluginConfig() {
            @Override
            public String type() {
                return "json-file";
            }

            @Override
            public String id() {
                return "json-file";
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T get(Setting<T> setting) {
                Object v = options.get(setting.name());
                return v != null ? (T) v : setting.defaultValue();
            }

            @Override
            public boolean isSet(Setting<?> setting) {
                return options.containsKey(setting.name());
            }
        }, CONTEXT);
    }

    private static Map<String, Object> options(Path file, Object... pairs) {
        Map<String, Object> m = new HashMap<>();
        m.put("file", file.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void rotatesTheRealCaptureIntoGenerationsWithoutSplittingALine() throws Exception {
        List<byte[]> lines = realLines();
        assertThat(lines).hasSize(1076);
        Path plain = dir.resolve("plain.log");
        try (Sink sink = create(options(plain))) {
            for (byte[] line : lines) {
                sink.write(event(line));
            }
        }
        long total = Files.size(plain);
        long size = 64 * 1024;
        int generations = (int) (total / size) + 3;   // enough to keep everything
        Path file = dir.resolve("audit.log");
        try (Sink sink = create(options(file, "size", size, "generations", (long) generations))) {
            for (int i = 0; i < lines.size(); i++) {
                sink.write(event(lines.get(i)));
                if (i % 100 == 0) {
                    sink.flush();
                }
            }
        }

        List<Path> files = new ArrayList<>();
        for (int g = generations; g >= 1; g--) {
            Path gen = dir.resolve("audit.log." + g);
            if (Files.exists(gen)) {
                files.add(gen);
            }
        }
        files.add(file);
        assertThat(files.size()).as("generations written").isGreaterThan(3);
        assertThat(dir.resolve("audit.log." + generations)).as("room was left").doesNotExist();
        StringBuilder concatenated = new StringBuilder();
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            assertThat(text).as(f + " ends at a line end").endsWith("\n");
            for (String line : text.split("\n")) {
                assertThat(line).as("whole JSON object in " + f).startsWith("{").endsWith("}");
            }
            if (!f.equals(file)) {
                long n = Files.size(f);
                long lastLine = text.substring(text.lastIndexOf('\n', text.length() - 2) + 1).getBytes(StandardCharsets.UTF_8).length;
                assertThat(n).as(f + " reached the size with its last line").isGreaterThanOrEqualTo(size);
                assertThat(n - lastLine).as(f + " was below the size before its last line").isLessThan(size);
            }
            concatenated.append(text);
        }
        assertThat(concatenated.toString()).isEqualTo(Files.readString(plain, StandardCharsets.UTF_8));
    }

    @Test
    void keepsOnlyTheConfiguredNumberOfGenerationsNewestFirst() throws Exception {
        Path file = dir.resolve("audit.log");
        try (Sink sink = create(options(file, "size", 1L, "generations", 3L))) {
            for (int i = 1; i <= 6; i++) {
                sink.write(event(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
            }
        }
        // Every line fills a file: 6 rotated away, the last three kept, file itself new and empty.
        assertThat(Files.readString(file)).isEmpty();
        assertThat(Files.readString(dir.resolve("audit.log.1"))).isEqualTo("{\"n\":6}\n");
        assertThat(Files.readString(dir.resolve("audit.log.2"))).isEqualTo("{\"n\":5}\n");
        assertThat(Files.readString(dir.resolve("audit.log.3"))).isEqualTo("{\"n\":4}\n");
        assertThat(dir.resolve("audit.log.4")).doesNotExist();
    }

    @Test
    void createsFilesWithExactlyTheModeAskedForAlsoAfterRotation() throws Exception {
        Path file = dir.resolve("audit.log");
        try (Sink sink = create(options(file, "size", 10L, "generations", 2L))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
            sink.write(event("{\"a\":\"0123456789\"}".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("audit.log.1"))))
                .isEqualTo("rw-r-----");

        Path other = dir.resolve("other.log");
        create(options(other, "mode", "0604")).close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(other))).isEqualTo("rw----r--");
    }

    @Test
    void givesANewFileTheGroupAsked() throws Exception {
        Path probe = Files.createFile(dir.resolve("probe"));
        GroupPrincipal mine = Files.readAttributes(probe, PosixFileAttributes.class).group();
        Path file = dir.resolve("audit.log");
        create(options(file, "group", mine.getName())).close();
        assertThat(Files.readAttributes(file, PosixFileAttributes.class).group()).isEqualTo(mine);
    }

    @Test
    void rejectsAnUnknownGroupABadModeAndABadFsync() {
        Path file = dir.resolve("audit.log");
        assertThatThrownBy(() -> create(options(file, "group", "no-such-group-xyz")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems().get(0).setting()).isEqualTo("group");
                    assertThat(e.problems().get(0).message()).isEqualTo("no group named \"no-such-group-xyz\" on this system");
                });
        assertThat(JsonFileSinkFactory.MODE.firstProblem("0648")).isEqualTo("must be an octal mode such as \"0640\"");
        assertThat(JsonFileSinkFactory.MODE.firstProblem("640")).isNull();
        assertThat(JsonFileSinkFactory.FSYNC.firstProblem("sometimes")).isNotNull();
        assertThat(JsonFileSinkFactory.FSYNC.firstProblem("0s")).isNotNull();
        assertThat(JsonFileSinkFactory.FSYNC.firstProblem("250ms")).isNull();
        assertThat(JsonFileSinkFactory.fsyncMillis("2m")).isEqualTo(120_000L);
        assertThatThrownBy(() -> create(options(Path.of("-"), "size", 5L)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems().get(0).message())
                        .isEqualTo("applies to files only, not to standard output (file: \"-\")"));
    }

    @Test
    void writesTheLinePrefixBeforeEveryEvent() throws Exception {
        Path file = dir.resolve("audit.log");
        try (Sink sink = create(options(file, "line-prefix", "@cee: "))) {
            sink.write(event("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
            sink.write(event("{\"b\":2}".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(Files.readString(file)).isEqualTo("@cee: {\"a\":1}\n@cee: {\"b\":2}\n");
    }

    @Test
    void reopenAfterTheFileWasMovedAwayWritesToANewFile() throws Exception {
        Path file = dir.resolve("audit.log");
        Path moved = dir.resolve("audit.log-20261125");
        try (Sink sink = create(options(file))) {
            sink.write(event("{\"before\":1}".getBytes(StandardCharsets.UTF_8)));
            sink.flush();
            Files.move(file, moved);   // logrotate's default: rename, then SIGHUP
            sink.write(event("{\"between\":2}".getBytes(StandardCharsets.UTF_8)));
            sink.reopen();
            sink.write(event("{\"after\":3}".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(Files.readString(moved)).isEqualTo("{\"before\":1}\n{\"between\":2}\n");
        assertThat(Files.readString(file)).isEqualTo("{\"after\":3}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    }

    @Test
    void syncsAlwaysOrByIntervalWithoutLosingLines() throws Exception {
        for (String policy : List.of("always", "1ms", "never")) {
            Path file = dir.resolve("audit-" + policy + ".log");
            try (Sink sink = create(options(file, "fsync", policy))) {
                sink.write(event("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
                if (policy.equals("always")) {
                    assertThat(Files.readString(file)).as("written through at once").isEqualTo("{\"a\":1}\n");
                }
                Thread.sleep(2);
                sink.flush();
                sink.write(event("{\"b\":2}".getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(Files.readString(file)).isEqualTo("{\"a\":1}\n{\"b\":2}\n");
        }
    }
}
