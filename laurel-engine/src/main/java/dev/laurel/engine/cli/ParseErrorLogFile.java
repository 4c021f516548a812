package dev.laurel.engine.cli;

import dev.laurel.api.internal.OutputFiles;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The parse-error log: appends, and keeps to a size. A write that would take the file past
 * {@code maxBytes} first renames it to {@code FILE.1} (replacing the previous one) and begins a
 * new {@code FILE}, so at most about twice {@code maxBytes} are on disk and the latest entries
 * are kept. The pipeline's {@code ParseErrorLog} writes each entry with one
 * {@link #write(byte[], int, int)} call, so an entry is never split between the two files. New files are mode 0640: lines an attacker
 * could not get logged may still be private. Opened and rotated only in a trusted directory and
 * never through a link ({@link OutputFiles}).
 */
final class ParseErrorLogFile extends OutputStream {
    private static final int BUFFER = 16 * 1024;

    private final Path file;
    private final Path previous;
    private final long maxBytes;
    private final OutputFiles files;
    private final byte[] buf = new byte[BUFFER];
    private int count;
    private OutputStream out;
    private long size;

    /** Opens {@code file} for appending, creating it if needed. */
    ParseErrorLogFile(Path file, long maxBytes, OutputFiles files) throws IOException {
        this.file = file;
        this.files = files;
        this.previous = file.resolveSibling(file.getFileName() + ".1");
        this.maxBytes = maxBytes;
        open();
    }

    private void open() throws IOException {
        FileOutputStream opened = files.openAppend(file, PosixFilePermissions.fromString("rw-r-----"), null, null);
        out = opened;
        size = opened.getChannel().size();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (size + count + len > maxBytes && size + count > 0) {
            rotate();
        }
        if (len > buf.length - count) {
            drain();
        }
        if (len >= buf.length) {
            out.write(b, off, len);
            size += len;
        } else {
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }
    }

    private void rotate() throws IOException {
        // Not in a directory that became another account's: refused, the entry is lost and counted.
        files.checkDirectory(file.toAbsolutePath().getParent());
        drain();
        out.close();
        Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buf, 0, count);
            size += count;
            count = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
