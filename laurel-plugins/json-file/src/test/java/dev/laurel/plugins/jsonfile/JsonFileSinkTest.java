package dev.laurel.plugins.jsonfile;

import dev.laurel.api.ConfigException;
import dev.laurel.api.OutputEvent;
import dev.laurel.plugins.testkit.TestOutputs;
import dev.laurel.api.PluginConfig;
import dev.laurel.api.PluginContext;
import dev.laurel.api.Setting;
import dev.laurel.api.Sink;
import dev.laurel.api.SinkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ServiceLoader;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonFileSinkTest {

    @TempDir
    Path dir;

    private static OutputEvent event(String json) {
        return TestOutputs.of(json);
    }

    private static PluginConfig config(String file) {
        return new PluginConfig() {
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
                return setting.name().equals("file") ? (T) file : setting.defaultValue();
            }

            @Override
            public boolean isSet(Setting<?> setting) {
                return setting.name().equals("file");
            }
        };
    }

    private static final PluginContext CONTEXT = () -> System.getLogger("test");

    private static Sink create(Path file) throws ConfigException {
        return new JsonFileSinkFactory().create(config(file.toString()), CONTEXT);
    }

    @Test
    void appendsOneLinePerEventAfterWhatTheFileHeld() throws Exception {
        Path file = dir.resolve("audit.log");
        Files.writeString(file, "{\"old\":1}\n");

        try (Sink sink = create(file)) {
            sink.write(event("{\"a\":1}"));
            sink.write(event("{\"b\":\"\u00e9\"}"));
        }

        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
                .containsExactly("{\"old\":1}", "{\"a\":1}", "{\"b\":\"\u00e9\"}");
    }

    @Test
    void buffersUntilFlushed() throws Exception {
        Path file = dir.resolve("audit.log");
        try (Sink sink = create(file)) {
            sink.write(event("{\"a\":1}"));
            assertThat(Files.size(file)).as("still buffered").isZero();

            sink.flush();

            assertThat(Files.readString(file)).isEqualTo("{\"a\":1}\n");
        }
    }

    @Test
    void writesThroughWhenTheBufferFills() throws Exception {
        Path file = dir.resolve("audit.log");
        String big = "{\"x\":\"" + "y".repeat(JsonFileSink.BUFFER) + "\"}";
        try (Sink sink = create(file)) {
            sink.write(event(big));
            assertThat(Files.size(file)).isGreaterThanOrEqualTo(JsonFileSink.BUFFER);
        }
        assertThat(Files.readString(file)).isEqualTo(big + "\n");
    }

    @Test
    void createsANewFileReadableByOwnerAndGroupOnly() throws Exception {
        Path file = dir.resolve("new.log");
        try (Sink sink = create(file)) {
            sink.write(event("{}"));
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        assertThat(mode).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
                .doesNotContain(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                        PosixFilePermission.GROUP_WRITE, PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void keepsTheModeOfAnExistingFile() throws Exception {
        Path file = dir.resolve("existing.log");
        Files.createFile(file);
        Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OTHERS_READ));
        try (Sink sink = create(file)) {
            sink.write(event("{}"));
        }
        assertThat(Files.getPosixFilePermissions(file)).contains(PosixFilePermission.OTHERS_READ);
    }

    @Test
    void aFileInAMissingDirectoryIsAConfigProblemOfTheFileOption() {
        Path file = dir.resolve("no/such/dir/audit.log");
        assertThatThrownBy(() -> create(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    assertThat(e.problems().get(0).setting()).isEqualTo("file");
                    assertThat(e.problems().get(0).message())
                            .isEqualTo("cannot open " + file + " for appending: its directory does not exist");
                });
    }

    @Test
    void isFoundByTheServiceLoaderWithARequiredFileOption() {
        SinkFactory factory = ServiceLoader.load(SinkFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.type().equals("json-file"))
                .findFirst().orElseThrow();
        assertThat(factory).isInstanceOf(JsonFileSinkFactory.class);
        assertThat(factory.settings()).first().satisfies(s -> {
            assertThat(s.name()).isEqualTo("file");
            assertThat(s.isRequired()).isTrue();
            assertThat(s.type()).isEqualTo(Setting.Type.STRING);
        });
        assertThat(factory.settings()).filteredOn(Setting::isRequired).hasSize(1);
        assertThat(JsonFileSinkFactory.FILE.firstProblem(" ")).isNotNull();
        assertThat(JsonFileSinkFactory.FILE.firstProblem("-")).isNull();
    }
}
