package dev.laurel.engine.migrate;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class YamlTextTest {

    @Test
    void scalarsReadBackAsTheSameStrings() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String alphabet = "aZ09_-./@:#'\"\\ ,[]{}*&!|>%?\t\n\u0001\u007f\u00e9\u2028\ud83d\ude00yesnotrue~";
        for (int i = 0; i < 5000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(12);
            for (int j = 0; j < n; j++) {
                int at = random.nextInt(alphabet.length());
                char c = alphabet.charAt(at);
                if (Character.isHighSurrogate(c)) {
                    b.append(c).append(alphabet.charAt(at + 1));
                } else if (!Character.isLowSurrogate(c)) {
                    b.append(c);
                }
            }
            String s = b.toString();
            String doc = new YamlText().entry(0, s, List.of(s, s), null).entry(0, "m", Map.of(s.isEmpty() ? "k" : s, s), null)
                    .toString();
            Object loaded = new Yaml().load(doc);
            assertThat(loaded).as("seed %d, string %s, document %s", seed, s, doc)
                    .isEqualTo(Map.of(s, List.of(s, s), "m", Map.of(s.isEmpty() ? "k" : s, s)));
        }
    }

    @Test
    void wordsYamlWouldReadAsOtherTypesAreQuoted() {
        for (String s : List.of("yes", "No", "on", "true", "null", "~", "123", "1:20", "0x10", "-", ".inf")) {
            assertThat(YamlText.scalar(s)).isNotEqualTo(s);
            assertThat((Object) new Yaml().load("v: " + YamlText.scalar(s))).isEqualTo(Map.of("v", s));
        }
        assertThat(YamlText.scalar("/var/log/laurel/audit.log")).isEqualTo("/var/log/laurel/audit.log");
    }
}
