package dev.laurel.plugins.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class SendQueueTest {

    private static final EventSlabs SLABS = new EventSlabs();

    private static EventSlabs.Stored event(int n) {
        byte[] line = Integer.toString(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return SLABS.store(null, line, line.length);
    }

    private static int number(EventSlabs.Stored p) {
        return Integer.parseInt(new String(p.value(), java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void keepsTheOrderAndRefusesAnEventWhenFull() throws Exception {
        SendQueue q = new SendQueue(3);
        for (int round = 0; round < 3; round++) { // the ring wraps around
            assertThat(q.offer(event(1))).isTrue();
            assertThat(q.offer(event(2))).isTrue();
            assertThat(q.offer(event(3))).isTrue();
            assertThat(q.offer(event(4))).isFalse();
            assertThat(q.size()).isEqualTo(3);
            assertThat(number(q.poll(0, TimeUnit.MILLISECONDS))).isEqualTo(1);
            assertThat(number(q.poll(0, TimeUnit.MILLISECONDS))).isEqualTo(2);
            assertThat(number(q.poll(0, TimeUnit.MILLISECONDS))).isEqualTo(3);
        }
        assertThat(q.poll(10, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aWaitingSenderIsWokenByAFullBatchOfEventsNotByTheFirst() throws Exception {
        SendQueue q = new SendQueue(10 * SendQueue.WAKE_AFTER);
        CompletableFuture<EventSlabs.Stored> taken = waitingPoll(q, 60_000);
        q.put(event(0));
        Thread.sleep(200);
        assertThat(taken).as("one event does not wake the sender").isNotDone();
        for (int i = 1; i < SendQueue.WAKE_AFTER; i++) {
            q.put(event(i));
        }
        assertThat(number(taken.get(20, TimeUnit.SECONDS))).isEqualTo(0);
    }

    @Test
    void aWaitingSenderIsWokenByTheFlushForTheEventsThere() throws Exception {
        SendQueue q = new SendQueue(10 * SendQueue.WAKE_AFTER);
        CompletableFuture<EventSlabs.Stored> taken = waitingPoll(q, 60_000);
        q.put(event(7));
        q.wakeTaker();
        assertThat(number(taken.get(20, TimeUnit.SECONDS))).isEqualTo(7);
    }

    @Test
    void aWaitingSenderTakesWhatCameWhenItsTimeoutEnds() throws Exception {
        SendQueue q = new SendQueue(10 * SendQueue.WAKE_AFTER);
        CompletableFuture<EventSlabs.Stored> taken = waitingPoll(q, 500);
        q.put(event(5));
        assertThat(number(taken.get(20, TimeUnit.SECONDS))).isEqualTo(5);
    }

    @Test
    void aChainWaitingOnAFullBufferGoesOnOnceABatchOfPlacesIsFree() throws Exception {
        int capacity = 4 * SendQueue.WAKE_AFTER;
        SendQueue q = new SendQueue(capacity);
        for (int i = 0; i < capacity; i++) {
            q.put(event(i));
        }
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
            try {
                q.put(event(capacity));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(put).isNotDone();
        for (int i = 0; i < SendQueue.WAKE_AFTER; i++) {
            assertThat(number(q.poll(0, TimeUnit.MILLISECONDS))).isEqualTo(i);
        }
        put.get(20, TimeUnit.SECONDS);
        assertThat(q.size()).isEqualTo(capacity - SendQueue.WAKE_AFTER + 1);
    }

    /** A poll from another thread, once it waits on the empty buffer. */
    private static CompletableFuture<EventSlabs.Stored> waitingPoll(SendQueue q, long millis) throws InterruptedException {
        CompletableFuture<EventSlabs.Stored> taken = CompletableFuture.supplyAsync(() -> poll(q, millis));
        while (!taken.isDone() && !q.takerWaits()) {
            Thread.sleep(1);
        }
        return taken;
    }

    private static EventSlabs.Stored poll(SendQueue q, long millis) {
        try {
            return q.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
