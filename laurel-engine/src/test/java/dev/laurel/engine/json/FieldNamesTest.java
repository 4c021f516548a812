package dev.laurel.engine.json;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FieldNamesTest {

    @Test
    void givesEachNameOneNameWhicheverNamesCameBeforeIt() {
        // "name" follows five others and is followed by five: the guesses after it are wrong often
        List<String> words = List.of("host", "process", "user", "group", "file", "name", "id", "pid", "type", "path");
        FieldNames names = new FieldNames(false, () -> { });
        Map<String, FieldNames.Name> first = new HashMap<>();
        long seed = 21;
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            String word = words.get(random.nextInt(words.size()));
            String asked = random.nextBoolean() ? word : new String(word.toCharArray());   // equal, not the same String
            FieldNames.Name n = names.name(asked);
            assertThat(n).as("seed %d, call %d: %s", seed, i, word).isSameAs(first.computeIfAbsent(word, w -> n));
            assertThat(new String(n.key, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("\"" + word + "\":");
        }
        assertThat(first).hasSize(words.size());
    }
}
