package dev.laurel.engine.process;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PidMapTest {
    /** A value that knows its pid, as the tracker's entries do. */
    private record P(int pid, String name) {
    }

    @Test
    void behavesAsAHashMapUnderRandomPutsRemovesAndRemoveIfs() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            PidMap<P> map = new PidMap<>(P::pid);
            Map<Long, P> reference = new HashMap<>();
            // dense pids (as the kernel hands them out), some far apart (a pid is an int), negatives too
            long range = random.nextBoolean() ? 500 : 1L << 31;
            for (int op = 0; op < 5_000; op++) {
                long pid = random.nextInt(10) == 0 ? -random.nextInt(50) : Math.floorMod(random.nextLong(), range);
                int kind = random.nextInt(100);
                if (kind < 55) {
                    P v = new P((int) pid, "v" + op);
                    map.put(pid, v);
                    reference.put(pid, v);
                } else if (kind < 90) {
                    map.remove(pid);
                    reference.remove(pid);
                } else if (kind < 91) {
                    int m = 2 + random.nextInt(5);
                    map.removeIf(v -> v.name().hashCode() % m == 0);
                    reference.values().removeIf(v -> v.name().hashCode() % m == 0);
                } else {
                    assertThat(map.get(pid)).as("seed %d, get %d", seed, pid).isEqualTo(reference.get(pid));
                }
            }
            assertThat(map.size()).as("seed %d", seed).isEqualTo(reference.size());
            assertThat(map.values()).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(reference.values());
            for (Map.Entry<Long, P> e : reference.entrySet()) {
                assertThat(map.get(e.getKey())).as("seed %d", seed).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void aNumberBeyondIntIsNoPidAndNeverFound() {
        PidMap<P> map = new PidMap<>(P::pid);
        P seven = new P(7, "seven");
        map.put(7, seven);
        long alias = 7 + (1L << 32);   // the same low 32 bits as 7
        assertThat(map.get(alias)).isNull();
        map.remove(alias);
        assertThat(map.get(7)).isSameAs(seven);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> map.put(alias, new P(7, "alias")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a pid: " + alias);
    }

    @Test
    void aMissingPidIsNull() {
        PidMap<P> map = new PidMap<>(P::pid);
        map.put(7, new P(7, "seven"));
        map.remove(7);
        assertThat(map.get(7)).isNull();
        assertThat(map.size()).isZero();
    }

    @Test
    void aValueIsStoredOnlyUnderItsOwnPid() {
        // the map keeps no keys of its own: a lookup compares the pid the value gives
        PidMap<P> map = new PidMap<>(P::pid);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> map.put(8, new P(7, "seven")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the value's pid is 7, not 8");
        assertThat(map.size()).isZero();
    }
}
