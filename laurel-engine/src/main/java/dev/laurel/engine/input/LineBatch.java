package dev.laurel.engine.input;

import java.io.IOException;
import java.util.Arrays;

/**
 * Complete lines read in one go, as offsets into one reused byte array. A batch belongs to the
 * consumer between {@link LineReader#poll} and {@link LineReader#release}; its bytes are
 * overwritten after release, so anything kept must be copied (the line parser does).
 */
public final class LineBatch {
    static final int INITIAL_CAPACITY = 64 * 1024;

    byte[] data = new byte[INITIAL_CAPACITY];
    int[] starts = new int[256];
    int[] lengths = new int[256];
    int count;
    int cut;
    boolean end;
    boolean caughtUp;
    IOException failure;

    /** The number of lines in this batch (0 for a batch that only signals the end). */
    public int count() {
        return count;
    }

    /** The array holding every line of this batch. */
    public byte[] data() {
        return data;
    }

    /** Where line {@code i} starts in {@link #data()}. */
    public int start(int i) {
        return starts[i];
    }

    /** The length of line {@code i}, without its newline. */
    public int length(int i) {
        return lengths[i];
    }

    /** How many lines of this batch were cut at {@link LineReader#MAX_LINE} bytes. */
    public int cut() {
        return cut;
    }

    /**
     * Whether the reader had read all the input held when it handed this batch over: live input
     * waiting for its next record, so what this batch completes should not wait in a buffer.
     */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Whether the input ended after this batch (no more batches follow). */
    public boolean isEnd() {
        return end;
    }

    /** Why reading stopped, if it stopped on an error rather than at the end of the input. */
    public IOException failure() {
        return failure;
    }

    void reset() {
        if (data.length > 4 * INITIAL_CAPACITY) {
            data = new byte[INITIAL_CAPACITY];   // do not keep a 1 MiB array for one long line
        }
        count = 0;
        cut = 0;
        end = false;
        caughtUp = false;
        failure = null;
    }

    void add(int start, int length) {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        starts[count] = start;
        lengths[count] = length;
        count++;
    }
}
