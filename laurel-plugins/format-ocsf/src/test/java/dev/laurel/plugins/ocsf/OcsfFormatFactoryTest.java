package dev.laurel.plugins.ocsf;

import dev.laurel.api.FormatFactory;
import dev.laurel.engine.json.FormatJson;
import dev.laurel.engine.testkit.TestData;
import dev.laurel.plugins.testkit.MapConfig;
import org.junit.jupiter.api.Test;

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

    @Test
    void hostnameOptionNamesTheDeviceOfEventsWithoutNode() throws Exception {
        var format = MapConfig.create(new OcsfFormatFactory(), Map.of("hostname", "audit-host-7"));
        String json = new String(new FormatJson(format, "ocsf").encode(TestData.event("1795636827.735:307")),
                StandardCharsets.UTF_8);
        assertThat(json).contains("\"device\":{\"hostname\":\"audit-host-7\",\"type_id\":0}");
        assertThat(format).hasToString("ocsf");
    }

    @Test
    void captionsAreWrittenOnlyWhenAskedFor() throws Exception {
        var plain = MapConfig.create(new OcsfFormatFactory(), Map.of());
        var captioned = MapConfig.create(new OcsfFormatFactory(), Map.of("captions", true));
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
