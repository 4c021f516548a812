package dev.laurel.api.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SettingSyntaxTest {

    @Test
    void readsDurationsInMillisecondsSecondsMinutesAndHours() {
        assertThat(SettingSyntax.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(SettingSyntax.duration("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(SettingSyntax.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(SettingSyntax.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(SettingSyntax.duration("0")).isEqualTo(Duration.ZERO);
        for (String bad : new String[] {"", "s", "3", "3 s", "-3s", "3S", "1.5s", "3sec", "1d", "9999999999999h",
                " 60s", "60s "}) {
            assertThat(SettingSyntax.duration(bad)).as(bad).isNull();
        }
    }

    @Test
    void readsByteSizesAsPlainNumbersOrWithBinaryUnits() {
        assertThat(SettingSyntax.byteSize("16777216")).isEqualTo(16L << 20);
        assertThat(SettingSyntax.byteSize("16_777_216")).isEqualTo(16L << 20);
        assertThat(SettingSyntax.byteSize("64KiB")).isEqualTo(64L << 10);
        assertThat(SettingSyntax.byteSize("16MiB")).isEqualTo(16L << 20);
        assertThat(SettingSyntax.byteSize("1GiB")).isEqualTo(1L << 30);
        assertThat(SettingSyntax.byteSize("2TiB")).isEqualTo(2L << 40);
        assertThat(SettingSyntax.byteSize("0")).isZero();
        for (String bad : new String[] {"", "MiB", "16MB", "16 MiB", "16mib", "-1", "-1KiB", "1.5MiB",
                "9999999999TiB", "99999999999999999999"}) {
            assertThat(SettingSyntax.byteSize(bad)).as(bad).isNull();
        }
    }

    @Test
    void writesDurationsAndSizesAsTheyAreRead() {
        for (String text : new String[] {"0", "40ms", "1500ms", "3s", "90s", "5m", "1h", "36h"}) {
            assertThat(SettingSyntax.format(SettingSyntax.duration(text))).as(text).isEqualTo(text);
        }
        for (String text : new String[] {"0", "1000", "64KiB", "16MiB", "1GiB", "1025"}) {
            assertThat(SettingSyntax.formatByteSize(SettingSyntax.byteSize(text))).as(text).isEqualTo(text);
        }
    }

    @Test
    void readsWholeNumbersInDecimalOrHexadecimal() {
        assertThat(SettingSyntax.integer("-3")).isEqualTo(-3L);
        assertThat(SettingSyntax.integer("0x10")).isEqualTo(16L);
        assertThat(SettingSyntax.integer("1_000")).isEqualTo(1000L);
        assertThat(SettingSyntax.integer("x")).isNull();
        assertThat(SettingSyntax.integer("")).isNull();
    }
}
