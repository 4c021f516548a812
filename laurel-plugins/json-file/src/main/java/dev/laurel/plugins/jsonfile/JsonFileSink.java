package dev.laurel.plugins.jsonfile;

import dev.laurel.api.OutputEvent;
import dev.laurel.api.Sink;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
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
 * <p>A plain {@link FileOutputStream} in append mode rather than a {@code FileChannel}: an
 * interrupted thread must not close the log file (interruptible channels do).
 */
final class JsonFileSink implements Sink {
    static final String STDOUT = "-";
    static final int BUFFER = 64 * 1024;

    /** Never sync; sync after every event; otherwise sync at a flush at most this often. */
    static final long FSYNC_NEVER = -1;
    static final long FSYNC_ALWAYS = 0;

    /**
     * How a file sink writes.
     *
     * @param size        rotate once the file has this many bytes; 0 for never
     * @param generations how many rotated files to keep ({@code file.1} newest)
     * @param mode        the permissions of a file laurel creates, exactly (not less the umask)
     * @param group       the group of a file laurel creates, or {@code null} to leave it
     * @param linePrefix  bytes written before each event's JSON, such as {@code @cee: }
     * @param fsyncMillis {@link #FSYNC_NEVER}, {@link #FSYNC_ALWAYS} or an interval
     */
    record Options(long size, int generations, Set<PosixFilePermission> mode, GroupPrincipal group,
                   byte[] linePrefix, long fsyncMillis) {
    }

    private final Path path;
    private final Options options;
    private final InstantSource clock;
    private final System.Logger log;
    private FileOutputStream file;
    private OutputStream out;
    /** Bytes in the file, counting those still buffered. */
    private long written;
    private long lastSync;
    private boolean unsynced;

    private JsonFileSink(Path path, Options options, InstantSource clock, System.Logger log) {
        this.path = path;
        this.options = options;
        this.clock = clock;
        this.log = log;
    }

    /** A sink on standard output; closing it flushes but leaves stdout open. */
    static JsonFileSink stdout(byte[] linePrefix) {
        JsonFileSink sink = new JsonFileSink(null, new Options(0, 0, Set.of(), null, linePrefix, FSYNC_NEVER),
                InstantSource.system(), null);
        sink.out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), BUFFER);
        return sink;
    }

    /** A sink appending to {@code path}, created with {@code options.mode()} and group if absent. */
    static JsonFileSink append(Path path, Options options, InstantSource clock, System.Logger log)
            throws IOException {
        JsonFileSink sink = new JsonFileSink(path, options, clock, log);
        sink.open();
        sink.lastSync = clock.millis();
        return sink;
    }

    @Override
    public void write(OutputEvent event) throws IOException {
        if (out == null) {
            open();   // a rotation or reopen failed before: try again rather than lose every event
        }
        byte[] prefix = options.linePrefix();
        if (prefix.length > 0) {
            out.write(prefix);
        }
        event.writeJsonTo(out);
        out.write('\n');
        if (path == null) {
            return;
        }
        unsynced = true;
        if (options.size() > 0) {
            written += prefix.length + 1L + jsonLength(event);
        }
        if (options.fsyncMillis() == FSYNC_ALWAYS) {
            out.flush();
            sync();
        }
        if (options.size() > 0 && written >= options.size()) {
            rotate();
        }
    }

    @Override
    public void flush() throws IOException {
        if (out == null) {
            return;
        }
        out.flush();
        if (options.fsyncMillis() > 0 && unsynced && clock.millis() - lastSync >= options.fsyncMillis()) {
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
        open();
    }

    @Override
    public void close() throws IOException {
        if (path == null) {
            out.flush();
        } else {
            closeFile();
        }
    }

    private void open() throws IOException {
        if (Files.notExists(path)) {
            create();
        }
        file = new FileOutputStream(path.toFile(), true);
        out = new BufferedOutputStream(file, BUFFER);
        written = file.getChannel().size();
    }

    private void create() throws IOException {
        try {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(options.mode()));
        } catch (FileAlreadyExistsException raced) {
            return;   // created meanwhile: append to it as it is
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(path);
            return;
        }
        // The mode asked for, not less the umask: a shipper's group must be able to read it.
        Files.setPosixFilePermissions(path, options.mode());
        if (options.group() != null) {
            try {
                Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(options.group());
            } catch (IOException | SecurityException e) {
                log.log(System.Logger.Level.WARNING, "cannot give " + path + " the group " + options.group().getName()
                        + ": " + e);
            }
        }
    }

    private void closeFile() throws IOException {
        if (out == null) {
            return;
        }
        OutputStream closing = out;
        out = null;
        try {
            closing.flush();
            if (options.fsyncMillis() != FSYNC_NEVER && unsynced) {
                sync();
            }
        } finally {
            closing.close();
            file = null;
        }
    }

    private void sync() throws IOException {
        file.getFD().sync();
        unsynced = false;
        lastSync = clock.millis();
    }

    private void rotate() throws IOException {
        closeFile();
        for (int g = options.generations() - 1; g >= 1; g--) {
            Path older = generation(g);
            if (Files.exists(older)) {
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

    /** The JSON's length; {@code writeJsonTo} does not say how much it wrote. */
    private static int jsonLength(OutputEvent event) throws IOException {
        int[] n = new int[1];
        event.writeJsonTo(new OutputStream() {
            @Override
            public void write(int b) {
                n[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                n[0] += len;
            }
        });
        return n[0];
    }
}
