package dev.laurel.api.internal;

import dev.laurel.api.ConfigException;
import dev.laurel.api.Setting;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NameListTest {
    private static final Setting<List<String>> VARIABLES = Setting.stringList("variables", "Names");

    @Test
    void splitsWholeNamesFromPrefixesKeepingTheirOrder() {
        List<ConfigException.Problem> problems = new ArrayList<>();
        NameList list = NameList.read(VARIABLES, List.of("LD_PRELOAD", "LC_*", "PATH", "XDG_*"), "=\0",
                "give a variable name", problems);
        assertThat(problems).isEmpty();
        assertThat(list.names()).containsExactly("LD_PRELOAD", "PATH");
        assertThat(list.prefixes()).containsExactly("LC_", "XDG_");
    }

    @Test
    void reportsEveryInvalidEntrySayingWhatAnEntryIs() {
        List<ConfigException.Problem> problems = new ArrayList<>();
        NameList list = NameList.read(VARIABLES, List.of("*", "A*B", "A=B", "OK", "/bin/sh*"), "=/",
                "give a variable name (no '=')", problems);
        assertThat(list.names()).containsExactly("OK");
        assertThat(problems).extracting(ConfigException.Problem::message).containsExactly(
                "has an invalid entry \"*\": give a variable name (no '='), optionally ending in * for a prefix",
                "has an invalid entry \"A*B\": give a variable name (no '='), optionally ending in * for a prefix",
                "has an invalid entry \"A=B\": give a variable name (no '='), optionally ending in * for a prefix",
                "has an invalid entry \"/bin/sh*\": give a variable name (no '='), optionally ending in * for a prefix");
        assertThat(problems).extracting(ConfigException.Problem::setting).containsOnly("variables");
    }
}
