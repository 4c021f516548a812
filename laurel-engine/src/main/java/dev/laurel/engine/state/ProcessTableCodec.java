package dev.laurel.engine.state;

import dev.laurel.api.EventId;
import dev.laurel.engine.process.ProcessTracker;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The process table section of the state file ({@link StateFile}): the tracker's
 * {@linkplain ProcessTracker#entries() entries}, each process with its image, labels, liveness
 * and spawner. Big-endian ({@link DataOutput}):
 * <pre>
 * count        int
 * per process  pid long, ppid long, startTime long, lastExec id?, comm bytes, exe bytes,
 *              dead boolean, labels strings, propagating strings, instance id?, spawnerKnown boolean,
 *              spawnedBy? (pid long, ppid long, lastExec id?, startTime long, comm bytes, exe bytes)
 * </pre>
 * where {@code X?} is a boolean (present) then X, an id is seconds long, millis int, serial long,
 * bytes are a length (-1 for none) then the bytes, and strings a count (-1 for none) then each
 * in modified UTF-8.
 *
 * <pre>{@code
 * ProcessTableCodec.write(tracker, out);       // the processes the tracker still needs
 * tracker.restore(ProcessTableCodec.read(in));   // the table is unchanged if read throws
 * }</pre>
 */
final class ProcessTableCodec {
    private ProcessTableCodec() {
    }

    /** Writes {@code entries} for a later {@link #read}; the caller frames them (see the state file). */
    static void write(List<ProcessTracker.Entry> entries, DataOutput out) throws IOException {
        out.writeInt(entries.size());
        for (ProcessTracker.Entry p : entries) {
            write(p, out);
        }
    }

    /**
     * Writes the processes {@code tracker} still {@linkplain ProcessTracker#needed() needs} (not
     * the dead ones it is about to forget) as {@link #write(List, DataOutput)} does, one at a time:
     * saving a table of 100,000 makes no copy of it.
     */
    static void write(ProcessTracker tracker, DataOutput out) throws IOException {
        out.writeInt(tracker.needed());
        try {
            tracker.forEachNeeded(p -> {
                try {
                    write(p, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void write(ProcessTracker.Entry p, DataOutput out) throws IOException {
        out.writeLong(p.pid());
        out.writeLong(p.ppid());
        out.writeLong(p.startTime());
        writeId(out, p.lastExec());
        writeBytes(out, p.comm());
        writeBytes(out, p.exe());
        out.writeBoolean(p.dead());
        writeStrings(out, p.labels());
        writeStrings(out, p.propagating());
        writeId(out, p.instance());
        out.writeBoolean(p.spawnerKnown());
        out.writeBoolean(p.spawnedBy() != null);
        if (p.spawnedBy() != null) {
            ProcessTracker.Instance i = p.spawnedBy();
            out.writeLong(i.pid());
            out.writeLong(i.ppid());
            writeId(out, i.lastExec());
            out.writeLong(i.startTime());
            writeBytes(out, i.comm());
            writeBytes(out, i.exe());
        }
    }

    /** Reads what {@link #write} wrote; an {@link IOException} for a table cut short or corrupt. */
    static List<ProcessTracker.Entry> read(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 10_000_000) {
            throw new IOException("corrupt process table: " + n + " entries");
        }
        List<ProcessTracker.Entry> entries = new ArrayList<>(Math.min(n, 1 << 16));
        for (int i = 0; i < n; i++) {
            long pid = in.readLong();
            long ppid = in.readLong();
            long startTime = in.readLong();
            EventId lastExec = readId(in);
            byte[] comm = readBytes(in);
            byte[] exe = readBytes(in);
            boolean dead = in.readBoolean();
            Set<String> labels = readStrings(in);
            Set<String> propagating = readStrings(in);
            EventId instance = readId(in);
            boolean spawnerKnown = in.readBoolean();
            ProcessTracker.Instance spawnedBy = in.readBoolean()
                    ? ProcessTracker.Instance.of(in.readLong(), in.readLong(), readId(in), in.readLong(),
                            readBytes(in), readBytes(in))
                    : null;
            entries.add(new ProcessTracker.Entry(pid, ppid, startTime, lastExec, comm, exe, dead, labels,
                    propagating, instance, spawnerKnown, spawnedBy));
        }
        return entries;
    }

    private static void writeId(DataOutput out, EventId id) throws IOException {
        out.writeBoolean(id != null);
        if (id != null) {
            out.writeLong(id.seconds());
            out.writeInt(id.millis());
            out.writeLong(id.serial());
        }
    }

    private static EventId readId(DataInput in) throws IOException {
        return in.readBoolean() ? new EventId(in.readLong(), in.readInt(), in.readLong()) : null;
    }

    private static void writeBytes(DataOutput out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        int len = in.readInt();
        if (len < -1 || len > 1 << 20) {
            throw new IOException("corrupt process table: a field of " + len + " bytes");
        }
        if (len < 0) {
            return null;
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    private static void writeStrings(DataOutput out, Set<String> strings) throws IOException {
        out.writeInt(strings == null ? -1 : strings.size());
        if (strings != null) {
            for (String s : strings) {
                out.writeUTF(s);
            }
        }
    }

    private static Set<String> readStrings(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < -1 || n > 1 << 16) {
            throw new IOException("corrupt process table: " + n + " labels");
        }
        if (n < 0) {
            return null;
        }
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            out.add(in.readUTF());
        }
        return out;
    }
}
