package dev.laurel.engine.migrate;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class LaurelTomlTest {

    @Test
    void readsTablesQuotedDottedKeysAndEveryValueKind() throws Exception {
        Map<String, Object> toml = LaurelToml.parse("""
                # LAUREL
                directory = "/var/log/laurel"   # a comment after a value
                statusreport-period = 3_600
                [auditlog]
                file = 'audit.log'
                read-users = [ "splunk",
                               # a comment inside a list
                               'elastic', ]
                [label-process]
                label-exe.'^/usr/lib/jvm/.*/bin/java$' = 'java'
                label-exe."^/opt/\\\\d+/" = "opt"
                [enrich]
                pid = false
                container = true
                [debug.parse-error-log]
                file = "pe\\u00e4.log"
                """);

        assertThat(toml.get("directory")).isEqualTo("/var/log/laurel");
        assertThat(toml.get("statusreport-period")).isEqualTo(3600L);
        assertThat(toml.get("auditlog")).isEqualTo(Map.of("file", "audit.log", "read-users", List.of("splunk", "elastic")));
        assertThat(toml.get("label-process")).isEqualTo(Map.of("label-exe",
                Map.of("^/usr/lib/jvm/.*/bin/java$", "java", "^/opt/\\d+/", "opt")));
        assertThat(toml.get("enrich")).isEqualTo(Map.of("pid", false, "container", true));
        assertThat(toml.get("debug")).isEqualTo(Map.of("parse-error-log", Map.of("file", "pe\u00e4.log")));
    }

    @Test
    void reportsErrorsWithTheirLine() {
        LaurelToml.SyntaxError unclosed = catchThrowableOfType(LaurelToml.SyntaxError.class,
                () -> LaurelToml.parse("user = \"_laurel\"\n\n[auditlog]\nfile = \"audit.log\n"));
        assertThat(unclosed.line()).isEqualTo(4);
        assertThat(unclosed).hasMessageContaining("not closed");

        LaurelToml.SyntaxError twice = catchThrowableOfType(LaurelToml.SyntaxError.class,
                () -> LaurelToml.parse("[enrich]\npid = true\npid = false\n"));
        assertThat(twice.line()).isEqualTo(3);
        assertThat(twice).hasMessageContaining("\"pid\" is set twice");

        LaurelToml.SyntaxError junk = catchThrowableOfType(LaurelToml.SyntaxError.class,
                () -> LaurelToml.parse("a = 1 2\n"));
        assertThat(junk.line()).isEqualTo(1);
        assertThat(junk).hasMessageContaining("one key = value per line");
    }
}
