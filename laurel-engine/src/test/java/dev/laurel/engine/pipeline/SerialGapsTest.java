package dev.laurel.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SerialGapsTest {

    @Test
    void countsSerialsThatNeverArriveOnceTheWindowHasPassed() {
        SerialGaps gaps = new SerialGaps();
        for (long s = 100; s < 200; s++) {
            if (s != 150 && s != 151) {
                gaps.see(null, s);
            }
        }
        assertThat(gaps.lost()).isZero();   // they may still come, out of order
        long found = 0;
        for (long s = 200; s < 200 + SerialGaps.WINDOW; s++) {
            found += gaps.see(null, s);
        }
        assertThat(found).isEqualTo(2);
        assertThat(gaps.lost()).isEqualTo(2);
        assertThat(gaps.finish()).isZero();
    }

    @Test
    void outOfOrderSerialsWithinTheWindowAreNotLost() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Long> serials = new ArrayList<>();
        for (long s = 1; s <= 100_000; s++) {
            serials.add(s);
        }
        // shuffle in blocks smaller than the window, as CPUs finishing events in any order do
        for (int i = 0; i < serials.size(); i += 1000) {
            Collections.shuffle(serials.subList(i, Math.min(serials.size(), i + 1000)), random);
        }
        SerialGaps gaps = new SerialGaps();
        for (long s : serials) {
            gaps.see("n", s);
        }
        assertThat(gaps.lost() + gaps.finish()).as("seed %d", seed).isLessThanOrEqualTo(1);
    }

    @Test
    void gapsAtTheEndAreCountedByFinish() {
        SerialGaps gaps = new SerialGaps();
        gaps.see(null, 10);
        gaps.see(null, 13);
        assertThat(gaps.finish()).isEqualTo(2);
    }

    @Test
    void nodesAreCountedApart() {
        SerialGaps gaps = new SerialGaps();
        gaps.see("a", 1);
        gaps.see("b", 1000);
        gaps.see("a", 2);
        gaps.see("b", 1002);
        assertThat(gaps.finish()).isEqualTo(1);
    }

    @Test
    void oneFarAwaySerialIsIgnoredButTwoNearEachOtherStartANewSequence() {
        SerialGaps gaps = new SerialGaps();
        for (long s = 1_000_001; s <= 1_000_010; s++) {
            gaps.see(null, s);
        }
        gaps.see(null, 999_999_999L);   // a damaged line
        for (long s = 1_000_011; s <= 1_000_020; s++) {
            gaps.see(null, s);
        }
        assertThat(gaps.lost()).isZero();
        // a reboot: the kernel starts again at 1
        gaps.see(null, 1);
        gaps.see(null, 2);
        gaps.see(null, 3);
        assertThat(gaps.restarts()).isEqualTo(1);
        assertThat(gaps.lost()).isZero();
        // a burst of loss: 5,000 serials skipped
        gaps.see(null, 5004);
        gaps.see(null, 5005);
        assertThat(gaps.lost()).isEqualTo(5000);
        assertThat(gaps.finish()).isZero();
    }
}
