package dev.laurel.engine.input;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class LineReaderTest {

    /** Everything the reader hands over, until the end. */
    private record Read(List<byte[]> lines, int cut, IOException failure) {
        List<String> strings() {
            return lines.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
        }
    }

    private static Read readAll(LineReader reader) throws InterruptedException {
        List<byte[]> lines = new ArrayList<>();
        int cut = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            LineBatch b = reader.poll(100, TimeUnit.MILLISECONDS);
            if (b == null) {
                continue;
            }
            for (int i = 0; i < b.count(); i++) {
                lines.add(Arrays.copyOfRange(b.data(), b.start(i), b.start(i) + b.length(i)));
            }
            cut += b.cut();
            boolean end = b.isEnd();
            IOException failure = b.failure();
            reader.release(b);
            if (end) {
                return new Read(lines, cut, failure);
            }
        }
        return fail("no end of input within 20 s");
    }

    /** Returns at most a few bytes per read, as a pipe under load may. */
    private static final class Trickle extends InputStream {
        private final byte[] data;
        private final Random random;
        private int pos;

        Trickle(byte[] data, Random random) {
            this.data = data;
            this.random = random;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int available() {
            return data.length - pos;   // as a pipe reports what waits in it
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, data.length - pos), 1 + random.nextInt(random.nextBoolean() ? 9 : 70_000));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void splitsAnyChunkingOfTheStreamIntoTheSameLines() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 100; round++) {
            List<String> expected = new ArrayList<>();
            StringBuilder input = new StringBuilder();
            int n = random.nextInt(200);
            for (int i = 0; i < n; i++) {
                int len = random.nextInt(random.nextInt(40) == 0 ? 150_000 : 300);
                StringBuilder line = new StringBuilder(len);
                for (int j = 0; j < len; j++) {
                    line.append((char) (0x20 + random.nextInt(0xdf)));   // any byte but \n
                }
                expected.add(line.toString());
                input.append(line).append('\n');
            }
            Read read = readTrickled(input, random);
            assertThat(read.strings()).as("seed %d round %d", seed, round).isEqualTo(expected);
            assertThat(read.failure()).isNull();
        }
    }

    @Test
    void findsEveryNewlineAmongShortLinesOfAnyBytes() throws Exception {
        // lines searched eight bytes at a time: empty and short lines, newlines at every offset
        // of a word, and the bytes a word-wise search could mistake for one (0x0b, 0x8a, 0x00)
        byte[] tricky = {0x00, 0x01, 0x09, 0x0b, (byte) 0x8a, (byte) 0x8b, (byte) 0xff, 0x7f, ' '};
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            List<String> expected = new ArrayList<>();
            StringBuilder input = new StringBuilder();
            int n = random.nextInt(300);
            for (int i = 0; i < n; i++) {
                int len = random.nextInt(random.nextBoolean() ? 3 : 20);
                StringBuilder line = new StringBuilder(len);
                for (int j = 0; j < len; j++) {
                    int b = random.nextBoolean() ? tricky[random.nextInt(tricky.length)] & 0xff : random.nextInt(256);
                    line.append((char) (b == '\n' ? 'x' : b));
                }
                expected.add(line.toString());
                input.append(line).append('\n');
            }
            Read read = readTrickled(input, random);
            assertThat(read.strings()).as("seed %d round %d", seed, round).isEqualTo(expected);
        }
    }

    /** All of {@code input} (ISO-8859-1), read in random chunks through 3 to 6 buffers. */
    private static Read readTrickled(CharSequence input, Random random) throws InterruptedException {
        byte[] bytes = input.toString().getBytes(StandardCharsets.ISO_8859_1);
        try (LineReader reader = LineReader.start(new Trickle(bytes, random), "test", 3 + random.nextInt(4))) {
            return readAll(reader);
        }
    }

    @Test
    void keepsALastLineWithoutNewline() throws Exception {
        try (LineReader reader = LineReader.start(stream("a\nb\n\nlast"), "test")) {
            assertThat(readAll(reader).strings()).containsExactly("a", "b", "", "last");
        }
    }

    @Test
    void anEmptyInputEndsAtOnce() throws Exception {
        try (LineReader reader = LineReader.start(stream(""), "test")) {
            Read read = readAll(reader);
            assertThat(read.lines()).isEmpty();
            assertThat(read.failure()).isNull();
        }
    }

    @Test
    void cutsALineLongerThanTheLimitAndKeepsTheNextOne() throws Exception {
        byte[] huge = new byte[LineReader.MAX_LINE * 2 + 123];
        Arrays.fill(huge, (byte) 'x');
        byte[] input = concat("first\n".getBytes(StandardCharsets.US_ASCII), huge,
                "\nafter\n".getBytes(StandardCharsets.US_ASCII));

        try (LineReader reader = LineReader.start(new Trickle(input, new Random(7)), "test", 3)) {
            Read read = readAll(reader);
            assertThat(read.lines()).hasSize(3);
            assertThat(read.strings().get(0)).isEqualTo("first");
            assertThat(read.lines().get(1)).hasSize(LineReader.MAX_LINE);
            assertThat(read.strings().get(2)).isEqualTo("after");
            assertThat(read.cut()).isEqualTo(1);
            assertThat(reader.cutLines()).isEqualTo(1);
        }
    }

    @Test
    void aLineOfExactlyTheLimitIsNotCut() throws Exception {
        byte[] line = new byte[LineReader.MAX_LINE];
        Arrays.fill(line, (byte) 'y');
        byte[] input = concat(line, "\nz\n".getBytes(StandardCharsets.US_ASCII));
        try (LineReader reader = LineReader.start(new ByteArrayInputStream(input), "test", 3)) {
            Read read = readAll(reader);
            assertThat(read.cut()).isZero();
            assertThat(read.lines()).hasSize(2);
            assertThat(read.lines().get(0)).hasSize(LineReader.MAX_LINE);
        }
    }

    @Test
    void handsOverALineAsSoonAsItIsComplete() throws Exception {
        PipedOutputStream auditd = new PipedOutputStream();
        try (LineReader reader = LineReader.start(new PipedInputStream(auditd), "pipe")) {
            auditd.write("type=EOE msg=audit(1.0:1): \n".getBytes(StandardCharsets.US_ASCII));
            auditd.flush();
            LineBatch b = reader.poll(5, TimeUnit.SECONDS);
            assertThat(b).isNotNull();
            assertThat(b.count()).isEqualTo(1);
            assertThat(b.isEnd()).isFalse();
            reader.release(b);
            auditd.close();
        }
    }

    @Test
    void gathersRecordsWrittenOneByOneIntoOneBatchMarkedCaughtUp() throws Exception {
        PipedOutputStream auditd = new PipedOutputStream();
        try (LineReader reader = LineReader.start(new PipedInputStream(auditd, 1 << 16), "pipe")) {
            String[] records = {
                "type=SYSCALL msg=audit(1.0:1): pid=1\n", "type=EXECVE msg=audit(1.0:1): argc=1 a0=\"x\"\n",
                "type=CWD msg=audit(1.0:1): cwd=\"/\"\n", "type=PROCTITLE msg=audit(1.0:1): proctitle=78\n",
                "type=EOE msg=audit(1.0:1): \n"};
            for (String r : records) {   // one write per record, as auditd writes a plugin
                auditd.write(r.getBytes(StandardCharsets.US_ASCII));
                auditd.flush();
            }
            List<Integer> batches = new ArrayList<>();
            boolean caughtUp = false;
            for (int lines = 0; lines < records.length; ) {
                LineBatch b = reader.poll(5, TimeUnit.SECONDS);
                assertThat(b).as("a batch within 5 s").isNotNull();
                batches.add(b.count());
                lines += b.count();
                caughtUp = b.isCaughtUp();
                reader.release(b);
            }
            // the reader waits for the window's records instead of handing over each line; a
            // stall of the writing thread longer than the window could split them once
            assertThat(batches).as("lines per batch").hasSizeLessThanOrEqualTo(2);
            assertThat(caughtUp).as("the last batch emptied the pipe").isTrue();
            auditd.close();
        }
    }

    @Test
    void withoutAWindowEachRecordIsHandedOverAsItComesAndStillMarkedCaughtUp() throws Exception {
        PipedOutputStream auditd = new PipedOutputStream();
        try (LineReader reader = LineReader.start(new PipedInputStream(auditd, 1 << 16), "pipe",
                LineReader.DEFAULT_BATCHES, java.time.Duration.ZERO)) {
            for (int i = 1; i <= 3; i++) {
                auditd.write(("type=EOE msg=audit(1.0:" + i + "): \n").getBytes(StandardCharsets.US_ASCII));
                auditd.flush();
                LineBatch b = reader.poll(5, TimeUnit.SECONDS);
                assertThat(b).as("record %d handed over before the next is written", i).isNotNull();
                assertThat(b.count()).isEqualTo(1);
                assertThat(b.isCaughtUp()).isTrue();
                reader.release(b);
            }
            auditd.close();
        }
    }

    @Test
    void aBatchReadFromAFullBufferIsNotCaughtUp() throws Exception {
        byte[] data = "type=EOE msg=audit(1.0:1): \n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        try (LineReader reader = LineReader.start(new ByteArrayInputStream(data), "file")) {
            LineBatch b = reader.poll(5, TimeUnit.SECONDS);
            assertThat(b).isNotNull();
            assertThat(b.count()).isPositive();
            assertThat(b.isCaughtUp()).as("a 64 KiB read leaves more to read").isFalse();
            reader.release(b);
        }
    }

    /** Time that passes only when the reading thread waits or reads: see {@link Socket}. */
    private static final class VirtualClock implements ReaderClock {
        private volatile long now = 1_000_000_000L;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void parkNanos(long nanos) {
            now += nanos;     // only the reading thread parks
        }
    }

    /**
     * auditd's socket to its plugin as the reader sees it: records arriving at a steady rate,
     * the socket holding at most {@code capacity} bytes of them and auditd's queue the rest. Time
     * is the socket's own {@link VirtualClock}, which the reader runs on too: it advances only
     * by the reader's waits and reads, so what these tests see does not depend on how busy the
     * machine is.
     */
    private static final class Socket extends InputStream {
        private static final byte[] RECORD = "type=PATH msg=audit(1.0:1): item=0 name=\"/bin/true\" inode=1\n"
                .getBytes(StandardCharsets.US_ASCII);
        private final VirtualClock clock = new VirtualClock();
        private final long start = clock.nanoTime();
        private final double bytesPerNano;
        private final int capacity;
        private final long total;
        private long taken;
        /** The most bytes auditd's queue held beyond the socket at any read. */
        long mostQueued;

        Socket(double bytesPerSecond, double seconds, int capacity) {
            this.bytesPerNano = bytesPerSecond / 1e9;
            this.capacity = capacity;
            this.total = (long) (bytesPerSecond * seconds);
        }

        private long waiting() {
            return Math.min(total, (long) ((clock.nanoTime() - start) * bytesPerNano)) - taken;
        }

        @Override
        public int available() {
            return (int) Math.min(capacity, waiting());
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long waiting;
            while ((waiting = waiting()) == 0) {
                if (taken == total) {
                    return -1;
                }
                clock.parkNanos(100_000);
            }
            mostQueued = Math.max(mostQueued, waiting - capacity);
            int n = (int) Math.min(len, Math.min(capacity, waiting));
            clock.parkNanos(n);     // a read copies about a byte a nanosecond
            for (int i = 0; i < n; i++) {
                b[off + i] = RECORD[(int) ((taken + i) % RECORD.length)];
            }
            taken += n;
            return n;
        }
    }

    /** Takes every batch until the end; returns how many held lines. */
    private static int countBatches(LineReader reader) throws InterruptedException {
        int batches = 0;
        while (true) {
            LineBatch b = reader.poll(20, TimeUnit.SECONDS);
            assertThat(b).as("a batch within 20 s").isNotNull();
            boolean end = b.isEnd();
            if (b.count() > 0) {
                batches++;
            }
            reader.release(b);
            if (end) {
                return batches;
            }
        }
    }

    @Test
    void aThousandEventsASecondAreHandedOverOncePerWindowThoughEachWindowFillsTheSocket() throws Exception {
        // 1,000 events/s of 1,150 bytes: a 40 ms window gathers 46 KB, more than the socket's
        // 36 KB; the rest waits in auditd's queue and is read at once after the window's read.
        Socket socket = new Socket(1_150_000, 2, 36_000);
        try (LineReader reader = LineReader.start(socket, "socket", LineReader.DEFAULT_BATCHES,
                java.time.Duration.ofMillis(40), socket.clock)) {
            int batches = countBatches(reader);
            // 2 s of 40 ms windows is 50; a window halved for a full socket would give 100 or more
            assertThat(batches).as("batches in 2 s").isBetween(10, 70);
            assertThat(socket.mostQueued).as("bytes auditd held beyond the socket").isLessThan(200_000);
        }
    }

    @Test
    void aBurstOfTwentyThousandEventsASecondIsReadAsFastAsItComes() throws Exception {
        // 23 MB/s for 1 s: after the first window, reads follow each other while auditd's queue
        // holds more than one read takes, and the window shrinks for when they stop
        Socket socket = new Socket(23_000_000, 1, 36_000);
        try (LineReader reader = LineReader.start(socket, "socket", LineReader.DEFAULT_BATCHES,
                java.time.Duration.ofMillis(40), socket.clock)) {
            countBatches(reader);
            // from the socket's start, not from a reading of the clock here: the reader's thread
            // may have run (and moved the clock) before this thread gets to read it
            long millis = (socket.clock.nanoTime() - socket.start) / 1_000_000;
            // the burst's last byte arrives at 1 s; reading it must end within a window after
            assertThat(millis).as("ms to read a 1 s burst").isBetween(1_000L, 1_040L);
            // 40 ms of the burst (920 KB) may pile up at its start; no more later
            assertThat(socket.mostQueued).as("bytes auditd held beyond the socket").isLessThan(2_000_000);
        }
    }

    @Test
    void wakeUpEndsAWaitingPollWithoutABatchAndTheNextPollStillGetsOne() throws Exception {
        PipedOutputStream auditd = new PipedOutputStream();
        try (LineReader reader = LineReader.start(new PipedInputStream(auditd), "pipe")) {
            Thread waker = new Thread(() -> {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
                reader.wakeUp();
            });
            long t0 = System.nanoTime();
            waker.start();
            LineBatch none = reader.poll(10, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            waker.join();
            assertThat(none).isNull();
            assertThat(millis).as("ms until the woken poll returned").isBetween(50L, 5_000L);

            auditd.write("a\n".getBytes(StandardCharsets.US_ASCII));
            auditd.flush();
            LineBatch b = reader.poll(5, TimeUnit.SECONDS);
            assertThat(b).isNotNull();
            assertThat(b.count()).isEqualTo(1);
            reader.release(b);
        }
    }

    @Test
    void reportsAReadErrorAsTheEnd() throws Exception {
        InputStream broken = new InputStream() {
            private boolean first = true;

            @Override
            public int read() {
                return -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (first) {
                    first = false;
                    b[off] = 'a';
                    b[off + 1] = '\n';
                    return 2;
                }
                throw new IOException("connection reset");
            }
        };
        try (LineReader reader = LineReader.start(broken, "test")) {
            Read read = readAll(reader);
            assertThat(read.strings()).containsExactly("a");
            assertThat(read.failure()).hasMessage("connection reset");
        }
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
