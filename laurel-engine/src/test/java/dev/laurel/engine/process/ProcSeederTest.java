package dev.laurel.engine.process;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProcSeederTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void numberFieldCountsSpaceSeparatedFieldsAfterTheComm() {
        byte[] stat = b("4242 (a b) S 17 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1234 0 0\n");
        int close = "4242 (a b)".length() - 1;

        assertThat(ProcSeeder.numberField(stat, close + 1, 1)).isEqualTo(17);
        assertThat(ProcSeeder.numberField(stat, close + 1, 19)).isEqualTo(1234);
        assertThat(ProcSeeder.numberField(stat, close + 1, 0)).as("the state is not a number").isEqualTo(-1);
        assertThat(ProcSeeder.numberField(stat, close + 1, 5)).as("-1 is not a pid").isEqualTo(-1);
    }

    @Test
    void numberFieldTakesRunsOfSpacesAsOneSeparatorAndStopsAtTheLineEnd() {
        assertThat(ProcSeeder.numberField(b(")  S   7  9\n"), 1, 2)).isEqualTo(9);
        assertThat(ProcSeeder.numberField(b(") S 7\n"), 1, 2)).as("no such field").isEqualTo(-1);
        assertThat(ProcSeeder.numberField(b(") S 7"), 1, 1)).as("no newline at the end").isEqualTo(7);
        assertThat(ProcSeeder.numberField(b(") S 99999999999999999999"), 1, 1)).as("too long for a long").isEqualTo(-1);
    }
}
