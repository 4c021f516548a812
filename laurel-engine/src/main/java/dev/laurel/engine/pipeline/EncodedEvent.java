package dev.laurel.engine.pipeline;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.OutputEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The event the sinks see: the event and its JSON, encoded once into a buffer that is reused
 * for the next event. Sinks must not keep it past {@link dev.laurel.api.Sink#write}.
 */
final class EncodedEvent extends OutputStream implements OutputEvent {
    private static final int INITIAL = 8 * 1024;
    private static final int KEEP = 1 << 20;

    private byte[] buf = new byte[INITIAL];
    private int size;
    private AuditEvent event;

    /** Starts encoding {@code next}: the buffer is emptied. */
    void reset(AuditEvent next) {
        if (buf.length > KEEP) {
            buf = new byte[INITIAL];   // one huge event should not pin a huge buffer forever
        }
        size = 0;
        event = next;
    }

    int size() {
        return size;
    }

    @Override
    public AuditEvent event() {
        return event;
    }

    @Override
    public byte[] json() {
        return Arrays.copyOf(buf, size);
    }

    @Override
    public void writeJsonTo(OutputStream out) throws IOException {
        out.write(buf, 0, size);
    }

    @Override
    public void write(int b) {
        if (size == buf.length) {
            grow(size + 1);
        }
        buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (size + len > buf.length) {
            grow(size + len);
        }
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    private void grow(int needed) {
        buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
    }

    @Override
    public String toString() {
        return new String(buf, 0, size, java.nio.charset.StandardCharsets.UTF_8);
    }
}
