package dev.laurel.plugins.kafka;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventSlabsTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void givesBackEachEventsKeyAndTheLengthOfLineAsked() {
        EventSlabs slabs = new EventSlabs();
        EventSlabs.Stored a = slabs.store(bytes("host:1"), bytes("{\"a\":1}tail"), 7);
        EventSlabs.Stored b = slabs.store(null, bytes("{\"b\":2}"), 7);
        assertThat(new String(a.key(), StandardCharsets.UTF_8)).isEqualTo("host:1");
        assertThat(new String(a.value(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(b.key()).isNull();
        assertThat(new String(b.value(), StandardCharsets.UTF_8)).isEqualTo("{\"b\":2}");
        assertThat(b.bytes()).as("both in one slab").isSameAs(a.bytes());
    }

    @Test
    void aSlabIsUsedAgainOnlyOnceEveryEventInItIsReleased() {
        EventSlabs slabs = new EventSlabs();
        byte[] line = new byte[EventSlabs.LARGEST_IN_SLAB];
        List<EventSlabs.Stored> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            first.add(slabs.store(null, line, line.length)); // fills the first slab
        }
        EventSlabs.Stored second = slabs.store(null, line, line.length);
        assertThat(second.bytes()).isNotSameAs(first.get(0).bytes());
        for (EventSlabs.Stored s : first.subList(0, 3)) {
            slabs.release(s);
        }
        for (int i = 0; i < 3; i++) {
            slabs.store(null, line, line.length); // the second slab full: a third one, as the first still holds one event
        }
        EventSlabs.Stored third = slabs.store(null, line, line.length);
        assertThat(third.bytes()).isNotSameAs(first.get(0).bytes()).isNotSameAs(second.bytes());
        slabs.release(first.get(3));
        for (int i = 0; i < 3; i++) {
            slabs.store(null, line, line.length);
        }
        assertThat(slabs.store(null, line, line.length).bytes()).as("the first slab again")
                .isSameAs(first.get(0).bytes());
    }

    @Test
    void anEventLargerThanAQuarterSlabHasItsOwnArray() {
        EventSlabs slabs = new EventSlabs();
        byte[] line = new byte[EventSlabs.LARGEST_IN_SLAB + 1];
        line[line.length - 1] = 'x';
        EventSlabs.Stored big = slabs.store(bytes("k"), line, line.length);
        assertThat(big.slab()).isNull();
        assertThat(big.bytes()).hasSize(line.length + 1);
        assertThat(big.value()).isEqualTo(line);
        slabs.release(big); // nothing to give back
    }
}
