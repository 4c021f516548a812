package dev.laurel.api.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdsTest {
    @Test
    void idNumbersAreWrittenAsLongToStringWritesThemAtEveryMagnitude() {
        java.util.Random random = new java.util.Random(15);
        List<Long> values = new java.util.ArrayList<>(List.of(0L, 9L, 10L, 999_999_999L, 1_000_000_000L,
                (long) Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1_000_000_000_000_000_000L, Long.MAX_VALUE));
        for (int i = 0; i < 1000; i++) {
            values.add(random.nextLong() >>> 1 + random.nextInt(63));    // not negative, of every length
        }
        byte[] b = new byte[24];
        for (long v : values) {
            int end = EventIds.digits(b, 2, v);
            assertThat(new String(b, 2, end - 2, java.nio.charset.StandardCharsets.US_ASCII)).as("%d", v)
                    .isEqualTo(Long.toString(v));
        }
    }
}
