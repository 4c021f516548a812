package dev.laurel.plugins.filter;

import dev.laurel.api.EventId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FirstEventsTest {

    @Test
    void aNewExecOrAReusedPidIsANewProcess() {
        FirstEvents seen = new FirstEvents(10);
        EventId exec = new EventId(1795636828L, 99, 629);
        assertThat(seen.first(new FirstEvents.Process(3751, exec, -1))).isTrue();
        assertThat(seen.first(new FirstEvents.Process(3751, exec, -1))).isFalse();
        assertThat(seen.first(new FirstEvents.Process(3751, new EventId(1795636829L, 0, 700), -1))).isTrue();
        assertThat(seen.first(new FirstEvents.Process(3751, null, 12345))).isTrue();
    }

    @Test
    void forgetsTheLeastRecentlySeenProcessBeyondItsCapacity() {
        FirstEvents seen = new FirstEvents(2);
        FirstEvents.Process a = new FirstEvents.Process(1, null, -1);
        FirstEvents.Process b = new FirstEvents.Process(2, null, -1);
        FirstEvents.Process c = new FirstEvents.Process(3, null, -1);
        seen.first(a);
        seen.first(b);
        seen.first(a);          // a is now more recent than b
        seen.first(c);          // evicts b
        assertThat(seen.size()).isEqualTo(2);
        assertThat(seen.first(a)).isFalse();
        assertThat(seen.first(b)).isTrue();
    }
}
