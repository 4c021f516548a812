package dev.laurel.engine.state;

import dev.laurel.api.internal.OutputFiles;
import dev.laurel.engine.pipeline.Pipeline;
import dev.laurel.engine.process.ProcessTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The state laurel keeps across restarts, in {@value #NAME} in the configured state directory:
 * the process table and the records of events still waiting for their EOE.
 *
 * <h2>Format, version 2</h2>
 * Big-endian ({@link java.io.DataOutput}):
 * <pre>
 * magic        8 bytes  "LAURELst"
 * version      int      2 (1 had no spawner in the process table)
 * written      long     epoch milliseconds
 * sections     repeated: tag int (1 = process table, 2 = pending lines, 0 = end), length int, bytes
 * checksum     long     CRC-32 of everything before it
 * </pre>
 * The process table section is {@link ProcessTableCodec}'s; the pending lines section is a
 * count, then each raw input line (node prefix included) as length and bytes. Unknown section
 * tags are skipped, so a later version may add sections without a new version number.
 *
 * <p>Written to {@code NAME.tmp} (mode 0600), forced to disk and renamed over the old file, so a
 * crash leaves the old state or the new one, never half of one. At start-up a file that is
 * missing, older than {@code maxAge}, of another version, or corrupt is ignored with a log line:
 * laurel then starts with what /proc tells it, as without a state directory.
 *
 * <p>A state another account could have written is never read: the directory must be owned by
 * root or laurel's account and not writable by others, the file too, and not a link
 * ({@link OutputFiles}). The loader makes that a config error at start; here, at every restore
 * and save, a refusal is logged and nothing read or written.
 *
 * <pre>{@code
 * StateFile state = new StateFile(dir, tracker, Duration.ofHours(1), InstantSource.system());
 * List<byte[]> pending = state.restore();   // at start-up
 * state.save(assembler.pendingLines());     // at exit, on SIGHUP, periodically
 * }</pre>
 */
public final class StateFile implements Pipeline.StateStore {
    /** The file's name in the state directory. */
    public static final String NAME = "laurel.state";
    /** The format version written. */
    public static final int VERSION = 2;

    static final byte[] MAGIC = "LAURELst".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int END = 0;
    static final int PROCESSES = 1;
    static final int PENDING = 2;

    /** What a byte array holds; a bigger file is broken. */
    private static final long MAX_SIZE = Integer.MAX_VALUE - 64;

    private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);

    private final Path file;
    private final Path temp;
    private final ProcessTracker processes;
    private final Duration maxAge;
    private final InstantSource clock;
    private final OutputFiles files;
    private long failures;

    /**
     * The state file in {@code directory}, saving and restoring {@code processes}; files of root
     * and of this process's account are trusted.
     */
    public StateFile(Path directory, ProcessTracker processes, Duration maxAge, InstantSource clock) {
        this(directory, processes, maxAge, clock, new OutputFiles(null));
    }

    /**
     * The state file in {@code directory}, trusted only as {@code files} says: a directory or
     * file another account may change is neither read nor written.
     */
    public StateFile(Path directory, ProcessTracker processes, Duration maxAge, InstantSource clock,
                     OutputFiles files) {
        this.files = Objects.requireNonNull(files, "files");
        this.file = directory.resolve(NAME);
        this.temp = directory.resolve(NAME + ".tmp");
        this.processes = Objects.requireNonNull(processes, "processes");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The file's path. */
    public Path path() {
        return file;
    }

    @Override
    public List<byte[]> restore() {
        byte[] data;
        try {
            // What another account could have written is not restored: its pending events would
            // come out as real ones, its processes as real parents.
            files.checkPrivateFile(file);
        } catch (OutputFiles.Refused e) {
            LOG.error("ignoring the state file: {}", e.getMessage());
            return List.of();
        }
        try {
            if (Files.size(file) > MAX_SIZE) {
                LOG.warn("ignoring the state file {}: {} bytes is too big", file, Files.size(file));
                return List.of();
            }
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException none) {
            LOG.debug("no state file {}: starting afresh", file);
            return List.of();
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring the state file {}: cannot read it: {}", file, e.toString());
            return List.of();
        }
        try {
            return restore(data);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring the state file {}: {}", file, e.getMessage());
            return List.of();
        }
    }

    private List<byte[]> restore(byte[] data) throws IOException {
        int fixed = MAGIC.length + 4 + 8 + 8;
        if (data.length < fixed || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException("not a laurel state file");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 0, data.length - 8));
        in.skipNBytes(MAGIC.length);
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("format version " + version + ", this laurel reads version " + VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length - 8);
        long stored = new DataInputStream(new ByteArrayInputStream(data, data.length - 8, 8)).readLong();
        if (stored != crc.getValue()) {
            throw new IOException("corrupt (checksum mismatch)");
        }
        long written = in.readLong();
        Duration age = Duration.ofMillis(clock.millis() - written);
        if (age.compareTo(maxAge) > 0) {
            throw new IOException("written " + Instant.ofEpochMilli(written) + ", " + age.toSeconds()
                    + " s ago, longer than state-max-age " + maxAge.toSeconds() + " s");
        }
        byte[] table = null;
        List<byte[]> pending = List.of();
        while (true) {
            int tag = in.readInt();
            if (tag == END) {
                break;
            }
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IOException("corrupt (a section of " + length + " bytes)");
            }
            byte[] section = in.readNBytes(length);
            switch (tag) {
                case PROCESSES -> table = section;
                case PENDING -> pending = readLines(section);
                default -> LOG.debug("state file {}: skipping unknown section {}", file, tag);
            }
        }
        if (table != null) {
            // last, so that a corrupt file leaves the table as it was
            processes.restore(ProcessTableCodec.read(new DataInputStream(new ByteArrayInputStream(table))));
        }
        LOG.info("restored the state of {}: {} processes, {} records of unfinished events",
                Instant.ofEpochMilli(written), processes.size(), pending.size());
        return pending;
    }

    private static List<byte[]> readLines(byte[] section) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(section));
        int n = in.readInt();
        if (n < 0 || n > section.length / 4) {
            throw new IOException("corrupt (" + n + " pending lines)");
        }
        List<byte[]> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int length = in.readInt();
            if (length < 0 || length > in.available()) {
                throw new IOException("corrupt (a pending line of " + length + " bytes)");
            }
            lines.add(in.readNBytes(length));
        }
        return lines;
    }

    @Override
    public boolean save(List<byte[]> pendingLines) {
        try {
            write(pendingLines);
            LOG.debug("saved the state: {} processes, {} records of unfinished events", processes.size(),
                    pendingLines.size());
            return true;
        } catch (IOException | RuntimeException e) {
            if (failures++ < 5) {
                LOG.error("cannot write the state file {}: {}", file,
                        e instanceof OutputFiles.Refused ? e.getMessage() : e.toString());
            }
            return false;
        }
    }

    /**
     * Streams the state into the temporary file, then renames it over the old one. Nothing of the
     * size of the table is held: each section's length is counted first by encoding it into
     * nothing (the table does not change in between: one thread owns it), then it is encoded again
     * into the file through a 64 KiB buffer. Writing the file once whole into byte arrays (the
     * sections, the file, its copy for the checksum) took about five times its size each minute,
     * in arrays too big for the young generation, which the heap grew to hold.
     */
    private void write(List<byte[]> pendingLines) throws IOException {
        files.checkPrivateFile(file);
        Files.deleteIfExists(temp);
        try (FileChannel channel = files.createNew(temp, PosixFilePermissions.fromString("rw-------"), null, null)) {
            OutputStream raw = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 64 * 1024);
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
            DataOutputStream out = new DataOutputStream(checked);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(clock.millis());

            DataOutputStream counter = new DataOutputStream(OutputStream.nullOutputStream());
            ProcessTableCodec.write(processes, counter);
            out.writeInt(PROCESSES);
            out.writeInt(counter.size());
            ProcessTableCodec.write(processes, out);

            long pendingSize = 4;
            for (byte[] line : pendingLines) {
                pendingSize += 4 + line.length;
            }
            if (pendingSize > MAX_SIZE) {
                throw new IOException("the unfinished events take " + pendingSize + " bytes");
            }
            out.writeInt(PENDING);
            out.writeInt((int) pendingSize);
            out.writeInt(pendingLines.size());
            for (byte[] line : pendingLines) {
                out.writeInt(line.length);
                out.write(line);
            }

            out.writeInt(END);
            out.flush();
            new DataOutputStream(raw).writeLong(checked.getChecksum().getValue());
            raw.flush();
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
