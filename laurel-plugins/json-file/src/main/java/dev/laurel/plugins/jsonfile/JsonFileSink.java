package dev.laurel.plugins.jsonfile;

import dev.laurel.api.OutputEvent;
import dev.laurel.api.Sink;
import dev.laurel.api.internal.OutputFiles;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Set;

/**
 * Writes {@code prefix + json + '\n'} per event through a 64 KiB buffer; {@link #flush()} hands
 * the buffered bytes to the operating system.
 *
 * <p>With a size limit, the file is rotated LAUREL's way once it has reached the limit: at the end
 * of the line that reached it, so no line is ever split, {@code file.N-1} becomes {@code file.N},
 * ..., {@code file} becomes {@code file.1}, and a new {@code file} is started. A file may thus
 * grow to the limit plus one line.
 *
 * <p>When the file cannot be written (disk full, a directory gone or read-only after a reopen),
 * events are held in memory, up to {@code buffer-size} bytes, and written at a later flush once
 * the file takes them again, without a restart. A write that failed part-way is finished, not
 * repeated: the file's size says how much of it arrived, so every line ends up whole and once.
 * When the held bytes reach the limit, {@link OnFull#BLOCK} makes {@link #write} wait (and
 * through the chain, auditd) and {@link OnFull#DROP} drops the event, throwing so that the engine
 * counts it.
 *
 * <p>Every open (at start, after a rotation, on SIGHUP) goes through {@link OutputFiles}: only in
 * a directory no other account can write, never through a symbolic link, a new file created
 * exclusively with the configured mode. A refusal is handled as a file that cannot be written:
 * logged, events held, retried at every flush, so nothing goes through the link and the events
 * are written once the directory is fixed.
 *
 * <p>A plain {@link FileOutputStream} in append mode rather than a {@code FileChannel}: an
 * interrupted thread must not close the log file (interruptible channels do).
 */
final class JsonFileSink implements Sink {
    static final String STDOUT = "-";
    static final int BUFFER = 64 * 1024;
    /** How long a blocked write waits between two attempts. */
    static final long RETRY_MILLIS = 250;

    /** Never sync; sync after every event; otherwise sync at a flush at most this often. */
    static final long FSYNC_NEVER = -1;
    static final long FSYNC_ALWAYS = 0;

    /** What a write does when the file cannot be written and {@code buffer-size} bytes are held. */
    enum OnFull {
        /** Wait until the file takes writes again (back-pressure up the chain to auditd). */
        BLOCK,
        /** Drop the event; the engine counts it as a sink error. */
        DROP
    }

    /**
     * How a file sink writes.
     *
     * @param size        rotate once the file has this many bytes; 0 for never
     * @param generations how many rotated files to keep ({@code file.1} newest)
     * @param mode        the permissions of a file laurel creates, exactly (not less the umask)
     * @param group       the group of a file laurel creates, or {@code null} to leave it
     * @param linePrefix  bytes written before each event's JSON, such as {@code @cee: }
     * @param fsyncMillis {@link #FSYNC_NEVER}, {@link #FSYNC_ALWAYS} or an interval
     * @param bufferLimit bytes held in memory while the file cannot be written
     * @param onFull      what happens once that many are held
     */
    record Options(long size, int generations, Set<PosixFilePermission> mode, GroupPrincipal group,
                   byte[] linePrefix, long fsyncMillis, int bufferLimit, OnFull onFull) {
        Options(long size, int generations, Set<PosixFilePermission> mode, GroupPrincipal group,
                byte[] linePrefix, long fsyncMillis) {
            this(size, generations, mode, group, linePrefix, fsyncMillis, 16 * 1024 * 1024, OnFull.BLOCK);
        }
    }

    private final Path path;
    private final Options options;
    private final OutputFiles files;
    private final InstantSource clock;
    private final System.Logger log;
    /** Standard output only. */
    private OutputStream out;

    // A file: the bytes not written yet, whole lines, oldest first.
    private final Held held = new Held();
    private FileOutputStream file;
    /** Bytes in the file (not counting held ones), as far as we know. */
    private long fileSize;
    /**
     * How many bytes of the first held line a short write already put in the file: the next
     * write continues after them, and a file closed before that loses them again (truncated), so
     * that it never ends in part of a line.
     */
    private int fragment;
    private long lastSync;
    private boolean unsynced;
    /** Why the file cannot be written now, or {@code null} while it can. */
    private IOException failure;
    private long failingSince;
    private long droppedWhileFailing;
    private boolean blockedWhileFailing;
    /** Events still held when the sink was closed: never written. */
    private long undelivered;
    /** Set once a blocked write was interrupted: laurel is stopping, so drop rather than wait. */
    private boolean noMoreBlocking;

    private JsonFileSink(Path path, Options options, OutputFiles files, InstantSource clock, System.Logger log) {
        this.path = path;
        this.options = options;
        this.files = files;
        this.clock = clock;
        this.log = log;
    }

    /** A sink on standard output; closing it flushes but leaves stdout open. */
    static JsonFileSink stdout(byte[] linePrefix) {
        JsonFileSink sink = new JsonFileSink(null, new Options(0, 0, Set.of(), null, linePrefix, FSYNC_NEVER),
                null, InstantSource.system(), null);
        sink.out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), BUFFER);
        return sink;
    }

    /**
     * A sink appending to {@code path}, created with {@code options.mode()} and group if absent;
     * {@code files} says which directories and files are trusted.
     *
     * @throws OutputFiles.Refused the directory or file is not trusted
     */
    static JsonFileSink append(Path path, Options options, OutputFiles files, InstantSource clock,
                               System.Logger log) throws IOException {
        JsonFileSink sink = unopened(path, options, files, clock, log);
        sink.open();
        return sink;
    }

    /** A file sink that opens {@code path} at its first write (for a dry run: never). */
    static JsonFileSink unopened(Path path, Options options, OutputFiles files, InstantSource clock,
                                 System.Logger log) {
        JsonFileSink sink = new JsonFileSink(path, options, files, clock, log);
        sink.lastSync = clock.millis();
        return sink;
    }

    @Override
    public void write(OutputEvent event) throws IOException {
        byte[] prefix = options.linePrefix();
        if (path == null) {
            if (prefix.length > 0) {
                out.write(prefix);
            }
            event.writeJsonTo(out);
            out.write('\n');
            return;
        }
        int mark = held.length;
        held.write(prefix);
        event.writeJsonTo(held);
        held.write('\n');
        unsynced = true;
        int eventLength = held.length - mark;
        // A drop takes the event's bytes off the end, unless a short write already put some of
        // them in the file: then the rest must follow them.
        if (held.length > options.bufferLimit() && !makeRoom(mark) && held.length - eventLength >= fragment) {
            held.length -= eventLength;
            throw new IOException("cannot write " + path + " (" + failure.getMessage() + ") and "
                    + options.bufferLimit() + " bytes are held: event " + event.event().id() + " dropped");
        }
        if (failure == null && (held.length >= BUFFER || options.fsyncMillis() == FSYNC_ALWAYS)) {
            if (drain() && options.fsyncMillis() == FSYNC_ALWAYS) {
                sync();
            }
        }
        if (failure == null && options.size() > 0 && fileSize + held.length >= options.size() && drain()) {
            rotate();
        }
    }

    @Override
    public void flush() throws IOException {
        if (path == null) {
            out.flush();
            return;
        }
        if (drain() && options.fsyncMillis() > 0 && unsynced && clock.millis() - lastSync >= options.fsyncMillis()) {
            sync();
        }
    }

    /** Closes the file and opens {@code path} again, a new file if it was moved away. */
    @Override
    public void reopen() throws IOException {
        if (path == null) {
            return;
        }
        closeFile();
        try {
            open();
        } catch (IOException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        if (path == null) {
            out.flush();
            return;
        }
        closeFile();
        undelivered = held.lines();
        if (held.length > 0 && log != null) {
            log.log(System.Logger.Level.ERROR, "json-file " + path + ": closed with " + undelivered
                    + " events (" + held.length + " bytes) not written: " + failure.getMessage());
        }
    }

    /** The events held at {@link #close()}, which the file did not take. */
    @Override
    public long undelivered() {
        return undelivered;
    }

    /**
     * Room for the event just held past the limit: the policy's answer once the file takes no
     * writes. Returns false if the event (the bytes after {@code mark}) is to be dropped.
     */
    private boolean makeRoom(int mark) throws IOException {
        if (noMoreBlocking) {
            droppedWhileFailing++;
            return false;   // laurel is stopping: no attempt per event, the close makes the last one
        }
        if (drain()) {
            return true;
        }
        if (options.onFull() == OnFull.DROP) {
            if (droppedWhileFailing++ == 0) {
                warn("holding " + mark + " bytes; dropping events (each counted) until it takes writes again");
            }
            return false;
        }
        if (!blockedWhileFailing) {
            blockedWhileFailing = true;
            warn("holding " + mark + " bytes; waiting until it takes writes again (holding up auditd)");
        }
        while (true) {
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                // laurel is stopping and must not wait for ever: drop from now on.
                noMoreBlocking = true;
                droppedWhileFailing++;
                warn("interrupted while waiting; dropping events from now on");
                return false;
            }
            if (drain()) {
                return true;
            }
        }
    }

    /** Writes the held bytes to the file; returns whether all went. Never throws. */
    private boolean drain() {
        if (held.length == 0 && failure == null) {
            return true;
        }
        if (file == null) {
            try {
                open();
            } catch (IOException e) {
                failed(e);
                return false;
            }
        }
        if (held.length > 0) {
            int from = fragment;
            int n = 0;
            try {
                // In chunks: FileOutputStream copies all it is given before the first byte goes
                // out, so on a full disk each attempt cost a copy of everything held (16 MiB per
                // dropped event, 36 s for the events still read at a stop); now one chunk.
                while (from < held.length) {
                    n = Math.min(BUFFER, held.length - from);
                    file.write(held.bytes, from, n);
                    fileSize += n;
                    from += n;
                }
                held.clear();
                fragment = 0;
            } catch (IOException e) {
                // Part of the chunk may be in the file (a short write, then ENOSPC): the whole
                // lines that arrived are done, so that no line is written twice; of a line cut,
                // the part in the file is remembered.
                int arrived = (int) arrivedOf(n);
                fileSize += arrived;
                int inFile = from + arrived;
                int whole = inFile;
                while (whole > 0 && held.bytes[whole - 1] != '\n') {
                    whole--;
                }
                held.discardFirst(whole);
                fragment = inFile - whole;
                failed(e);
                return false;
            }
        }
        recovered();
        return true;
    }

    /** How many of the {@code n} bytes just written arrived, from the file's size. */
    private long arrivedOf(int n) {
        try {
            return Math.max(0, Math.min(n, Files.size(path) - fileSize));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void failed(IOException e) {
        if (failure == null) {
            failingSince = clock.millis();
            warn("cannot write it (" + e.getMessage() + "); holding events in memory, up to "
                    + options.bufferLimit() + " bytes, then " + (options.onFull() == OnFull.BLOCK
                    ? "waiting (on-full: block)" : "dropping (on-full: drop)") + "; retrying at every flush");
        }
        failure = e;
    }

    private void recovered() {
        if (failure == null) {
            return;
        }
        if (log != null) {
            log.log(System.Logger.Level.WARNING, "json-file " + path + ": written again after "
                    + (clock.millis() - failingSince) + " ms; " + droppedWhileFailing + " events dropped meanwhile");
        }
        failure = null;
        droppedWhileFailing = 0;
        blockedWhileFailing = false;
        held.shrink();
    }

    private void warn(String message) {
        if (log != null) {
            log.log(System.Logger.Level.WARNING, "json-file " + path + ": " + message);
        }
    }

    /** Opens the path, creating it with the mode (exactly, so a shipper's group can read it) and group. */
    private void open() throws IOException {
        FileOutputStream opened = files.openAppend(path, options.mode(), options.group(), log);
        try {
            fileSize = opened.getChannel().size();
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        file = opened;
    }

    /** Writes what it can and closes the file; what could not be written stays held. */
    private void closeFile() throws IOException {
        if (file == null) {
            return;
        }
        FileOutputStream closing = file;
        try {
            if (drain() && options.fsyncMillis() != FSYNC_NEVER && unsynced) {
                sync();
            }
            if (fragment > 0) {
                cutFragment();
            }
        } finally {
            file = null;
            closing.close();
        }
    }

    /** Takes the part of a line a short write left at the end of the file off again. */
    private void cutFragment() {
        // RandomAccessFile, not the stream's channel: an interrupt (a stop) must not close it.
        // By path, so only after the checks that keep the path from leading elsewhere.
        try {
            files.checkFile(path);
        } catch (OutputFiles.Refused e) {
            warn("not taking the part of a line at its end off again: " + e.getMessage());
            fragment = 0;
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            long end = raf.length();
            if (end >= fragment) {
                raf.setLength(end - fragment);
                fileSize = end - fragment;
            }
        } catch (IOException e) {
            warn("cannot take the part of a line at its end off again: " + e.getMessage());
        } finally {
            fragment = 0;   // the next file gets the whole line
        }
    }

    private void sync() throws IOException {
        file.getFD().sync();
        unsynced = false;
        lastSync = clock.millis();
    }

    private void rotate() throws IOException {
        try {
            files.checkDirectory(path.toAbsolutePath().getParent());
        } catch (OutputFiles.Refused e) {
            // Neither rename nor create where another account could have planted a link: hold
            // the events until the directory is fixed (drain opens the path again, checked).
            closeFile();
            failed(e);
            return;
        }
        closeFile();
        for (int g = options.generations() - 1; g >= 1; g--) {
            Path older = generation(g);
            if (Files.exists(older, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(older, generation(g + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (options.generations() >= 1) {
            Files.move(path, generation(1), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(path);
        }
        open();
    }

    /** {@code file.N}. */
    Path generation(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    /** Bytes waiting for the file: an array that grows as needed and shrinks back after an outage. */
    private static final class Held extends OutputStream {
        byte[] bytes = new byte[BUFFER];
        int length;

        @Override
        public void write(int b) {
            room(1);
            bytes[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, bytes, length, len);
            length += len;
        }

        private void room(int n) {
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
            }
        }

        void clear() {
            length = 0;
        }

        void discardFirst(int n) {
            if (n == 0) {
                return;   // the usual case of a failed attempt: no copy of all that is held
            }
            System.arraycopy(bytes, n, bytes, 0, length - n);
            length -= n;
        }

        /** Back to the usual size once an outage's backlog is written. */
        void shrink() {
            if (length == 0 && bytes.length > 4 * BUFFER) {
                bytes = new byte[BUFFER];
            }
        }

        long lines() {
            long n = 0;
            for (int i = 0; i < length; i++) {
                if (bytes[i] == '\n') {
                    n++;
                }
            }
            return n;
        }
    }
}
