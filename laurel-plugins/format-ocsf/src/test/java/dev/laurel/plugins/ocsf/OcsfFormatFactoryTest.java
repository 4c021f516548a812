package dev.laurel.plugins.ocsf;

import dev.laurel.api.FormatFactory;
import dev.laurel.engine.json.FormatJson;
import dev.laurel.engine.testkit.TestData;
import dev.laurel.plugins.testkit.MapConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class OcsfFormatFactoryTest {

    @Test
    void isFoundByServiceLoaderAsOcsf() {
        assertThat(ServiceLoader.load(FormatFactory.class).stream().map(p -> p.get().type()))
                .contains("ocsf");
    }

    private static String encode(dev.laurel.api.Format format) throws Exception {
        return new String(new FormatJson(format, "ocsf").encode(TestData.event("1795636827.735:307")),
                StandardCharsets.UTF_8);
    }

    @Test
    void hostNameOptionNamesTheDeviceOfEventsWithoutNode() throws Exception {
        var format = MapConfig.create(new OcsfFormatFactory(), Map.of("host-name", "audit-host-7"), (Path) null);
        assertThat(encode(format)).contains("\"device\":{\"hostname\":\"audit-host-7\",\"type_id\":0}");
        assertThat(format).hasToString("ocsf");
    }

    @Test
    void hostNameDefaultsToTheKernelsFromTheProcRoot(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/hostname"), "kernel-host\n");
        assertThat(encode(MapConfig.create(new OcsfFormatFactory(), Map.of(), proc)))
                .contains("\"device\":{\"hostname\":\"kernel-host\",\"type_id\":0}");
        // proc-root: none, and no host-name: a device without a host name (type_id is what OCSF requires)
        assertThat(encode(MapConfig.create(new OcsfFormatFactory(), Map.of(), (Path) null)))
                .contains("\"device\":{\"type_id\":0}");
    }

    @Test
    void captionsAreWrittenOnlyWhenAskedFor() throws Exception {
        var plain = MapConfig.create(new OcsfFormatFactory(), Map.of(), (Path) null);
        var captioned = MapConfig.create(new OcsfFormatFactory(), Map.of("captions", true), (Path) null);
        var event = TestData.event("1795636827.735:307");
        String a = new String(new FormatJson(plain, "ocsf").encode(event), StandardCharsets.UTF_8);
        String b = new String(new FormatJson(captioned, "ocsf").encode(event), StandardCharsets.UTF_8);
        assertThat(a).contains("\"activity_name\":\"Launch\"").doesNotContain("class_name");
        assertThat(b).contains("\"class_name\":\"Process Activity\"", "\"type_name\":\"Process Activity: Launch\"",
                "\"severity\":\"Informational\"", "\"status\":\"Success\"");
    }

    @Test
    void productVersionIsLaurelsFromTheBuild() {
        assertThat(OcsfFormatFactory.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
