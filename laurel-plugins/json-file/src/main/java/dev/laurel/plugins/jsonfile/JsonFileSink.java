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
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes {@code json + '\n'} per event through a 64 KiB buffer; {@link #flush()} hands the
 * buffered bytes to the operating system.
 *
 * <p>A plain {@link FileOutputStream} in append mode rather than a {@code FileChannel}: an
 * interrupted thread must not close the log file (interruptible channels do).
 */
final class JsonFileSink implements Sink {
    static final String STDOUT = "-";
    static final int BUFFER = 64 * 1024;

    private static final FileAttribute<Set<PosixFilePermission>> MODE_0640 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----"));

    private final OutputStream out;
    private final boolean closeTarget;

    private JsonFileSink(OutputStream target, boolean closeTarget) {
        this.out = new BufferedOutputStream(target, BUFFER);
        this.closeTarget = closeTarget;
    }

    /** A sink on standard output; closing it flushes but leaves stdout open. */
    static JsonFileSink stdout() {
        return new JsonFileSink(new FileOutputStream(FileDescriptor.out), false);
    }

    /** A sink appending to {@code path}, created 0640 (less the umask) if absent. */
    static JsonFileSink append(Path path) throws IOException {
        if (Files.notExists(path)) {
            try {
                Files.createFile(path, MODE_0640);
            } catch (FileAlreadyExistsException raced) {
                // created meanwhile: append to it
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(path);
            }
        }
        return new JsonFileSink(new FileOutputStream(path.toFile(), true), true);
    }

    @Override
    public void write(OutputEvent event) throws IOException {
        event.writeJsonTo(out);
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closeTarget) {
            out.close();
        } else {
            out.flush();
        }
    }
}
