package dev.laurel.engine.process;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SharedBytesTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void equalValuesShareTheFirstArray() {
        SharedBytes shared = new SharedBytes(16);
        byte[] first = bytes("/usr/bin/true");

        assertThat(shared.share(first)).isSameAs(first);
        assertThat(shared.share(bytes("/usr/bin/true"))).isSameAs(first);
        assertThat(shared.share(bytes("/usr/bin/false"))).isNotSameAs(first).isEqualTo(bytes("/usr/bin/false"));
        assertThat(shared.share(null)).isNull();
    }

    @Test
    void aFullTableStillReturnsEqualContentAndStaysBounded() {
        SharedBytes shared = new SharedBytes(8);
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            String s = "exe-" + random.nextInt(500);
            // whatever was evicted, the value handed back always has the same content
            assertThat(shared.share(bytes(s))).isEqualTo(bytes(s));
        }
    }
}
