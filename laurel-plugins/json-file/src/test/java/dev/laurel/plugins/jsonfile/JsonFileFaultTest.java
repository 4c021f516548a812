package dev.laurel.plugins.jsonfile;

import dev.laurel.api.OutputEvent;
import dev.laurel.plugins.testkit.RecordingLogger;
import dev.laurel.plugins.testkit.TestOutputs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The file stops taking writes and takes them again, on a real file system: a 256 KiB tmpfs
 * filled up (ENOSPC), a read-only bind mount over the directory (EROFS, as for root an
 * unwritable directory is), a directory removed. No event is written twice or in part, none is
 * lost under {@code on-full: block}, and under {@code drop} exactly the dropped ones are missing.
 * Needs {@code mount} (root); skipped with a message where it cannot mount.
 */
class JsonFileFaultTest {
    private static final String NO_MOUNT = "cannot mount a tmpfs here (needs root and mount(8))";

    @TempDir
    Path tmp;
    private Path dir;
    private boolean mounted;
    private final RecordingLogger log = new RecordingLogger();
    private final List<String> logged = log.lines();

    @BeforeEach
    void mountASmallTmpfs() throws Exception {
        dir = Files.createDirectory(tmp.resolve("fs"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir.toString());
        assumeTrue(mounted, NO_MOUNT);
    }

    @AfterEach
    void unmountEverything() throws Exception {
        // A bind mount a test left, then the tmpfs.
        for (int i = 0; mounted && i < 3; i++) {
            if (!run("umount", dir.toString())) {
                break;
            }
        }
    }

    private static boolean run(String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            if (p.exitValue() != 0) {
                System.err.println(String.join(" ", command) + ": " + out.trim());
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The real capture's first events, 160 KiB of them: they fit the tmpfs once it has room. */
    private static List<byte[]> realEvents() throws IOException {
        Path ref = Path.of(System.getProperty("laurel.root"), "testdata/real-enriched.laurel-0.5.1.jsonl");
        List<byte[]> lines = new ArrayList<>();
        long bytes = 0;
        for (String line : Files.readAllLines(ref, StandardCharsets.UTF_8)) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            if ((bytes += b.length + 1) > 160 * 1024) {
                break;
            }
            lines.add(b);
        }
        return lines;
    }

    /**
     * The file's lines, the last one with its end ({@code "\n"} alone if the file ends a line),
     * compared as lines so that a failure shows which, not bytes.
     */
    private static List<String> text(Path file) throws IOException {
        return List.of(Files.readString(file, StandardCharsets.UTF_8).split("\n", -1));
    }

    private static List<String> joinedText(List<byte[]> lines) {
        return List.of(new String(joined(lines), StandardCharsets.UTF_8).split("\n", -1));
    }

    private static OutputEvent event(byte[] json) {
        return TestOutputs.of(json);
    }

    private JsonFileSink sink(Path file, int bufferLimit, JsonFileSink.OnFull onFull) throws IOException {
        return JsonFileSink.append(file, new JsonFileSink.Options(0, 5, JsonFileSinkFactory.permissions("0640"), null,
                new byte[0], JsonFileSink.FSYNC_NEVER, bufferLimit, onFull), new dev.laurel.api.internal.OutputFiles(null),
                InstantSource.system(), log);
    }

    /** Takes all but about {@code free} bytes of the tmpfs. */
    private Path fill(long free) throws IOException {
        Path filler = dir.resolve("filler");
        long size = dir.getFileSystem().provider().getFileStore(dir).getUsableSpace() - free;
        Files.write(filler, new byte[(int) size]);
        return filler;
    }

    private static byte[] joined(List<byte[]> lines) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            all.writeBytes(line);
            all.write('\n');
        }
        return all.toByteArray();
    }

    @Test
    void eventsHeldWhileTheDiskIsFullAreWrittenOnceSpaceIsFreedEachLineWholeAndOnce() throws Exception {
        List<byte[]> events = realEvents();
        Path file = dir.resolve("audit.log");
        JsonFileSink sink = sink(file, 16 << 20, JsonFileSink.OnFull.BLOCK);
        Path filler = fill(64 * 1024);

        for (int i = 0; i < events.size(); i++) {
            sink.write(event(events.get(i)));
            if (i % 50 == 49) {
                sink.flush();   // as the engine does when the input idles
            }
        }
        sink.flush();
        long sizeWhileFull = Files.size(file);
        assertThat(sizeWhileFull).as("the disk filled up part-way").isLessThan(joined(events).length);
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("cannot write it (No space left on device)"));

        Files.delete(filler);
        sink.flush();

        assertThat(text(file)).as("every event, whole and once, in order").containsExactlyElementsOf(joinedText(events));
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("written again after").contains("0 events dropped"));
        sink.close();
    }

    @Test
    void dropPolicyMissesExactlyTheEventsItDroppedAndCounted() throws Exception {
        List<byte[]> events = realEvents();
        Path file = dir.resolve("audit.log");
        JsonFileSink sink = sink(file, 8 * 1024, JsonFileSink.OnFull.DROP);
        Path filler = fill(32 * 1024);
        List<byte[]> kept = new ArrayList<>();
        int dropped = 0;

        for (int i = 0; i < events.size(); i++) {
            if (i == events.size() * 2 / 3) {
                Files.delete(filler);   // space comes back mid-stream
            }
            try {
                sink.write(event(events.get(i)));
                kept.add(events.get(i));
            } catch (IOException e) {
                assertThat(e.getMessage()).contains("No space left on device").contains("dropped");
                dropped++;
            }
        }
        sink.close();

        assertThat(dropped).as("events dropped while the disk was full").isPositive();
        assertThat(kept.size() + dropped).isEqualTo(events.size());
        assertThat(text(file)).as("all the others, whole and once, in order").containsExactlyElementsOf(joinedText(kept));
    }

    @Test
    void blockPolicyWaitsForSpaceAndLosesNothing() throws Exception {
        List<byte[]> events = realEvents();
        Path file = dir.resolve("audit.log");
        JsonFileSink sink = sink(file, 8 * 1024, JsonFileSink.OnFull.BLOCK);
        Path filler = fill(32 * 1024);
        AtomicReference<Thread> writer = new AtomicReference<>();

        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            writer.set(Thread.currentThread());
            try {
                for (byte[] json : events) {
                    sink.write(event(json));
                }
                sink.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1000);
        assertThat(writing).as("blocked while the disk is full").isNotDone();
        // it sleeps between retries; a look that falls on a retry (runnable for a moment, longer
        // on a busy machine) looks again
        assertThat(seenIn(writer.get(), Thread.State.TIMED_WAITING)).as("waiting between retries").isTrue();
        assertThat(writing).as("still blocked").isNotDone();
        Files.delete(filler);

        writing.get(30, TimeUnit.SECONDS);
        sink.close();
        assertThat(text(file)).containsExactlyElementsOf(joinedText(events));
    }

    @Test
    void aBlockedWriteGivesUpWhenInterruptedSoThatLaurelCanStop() throws Exception {
        List<byte[]> events = realEvents();
        Path file = dir.resolve("audit.log");
        JsonFileSink sink = sink(file, 8 * 1024, JsonFileSink.OnFull.BLOCK);
        fill(32 * 1024);
        AtomicReference<Thread> writer = new AtomicReference<>();
        List<IOException> failures = Collections.synchronizedList(new ArrayList<>());

        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            writer.set(Thread.currentThread());
            for (byte[] json : events) {
                try {
                    sink.write(event(json));
                } catch (IOException e) {
                    failures.add(e);
                }
            }
        });
        Thread.sleep(1000);
        assertThat(writing).isNotDone();
        writer.get().interrupt();   // what laurel does when a stop waits too long

        writing.get(10, TimeUnit.SECONDS);
        assertThat(failures).as("the interrupted event and the later ones that did not fit are dropped, counted")
                .isNotEmpty();
        sink.close();
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("closed with").contains("not written"));
    }

    @Test
    void aDirectoryMadeReadOnlyAfterRotationIsWrittenAgainOnceWritable() throws Exception {
        List<byte[]> events = realEvents().subList(0, 40);
        Path file = dir.resolve("audit.log");
        JsonFileSink sink = sink(file, 16 << 20, JsonFileSink.OnFull.BLOCK);
        for (byte[] json : events.subList(0, 20)) {
            sink.write(event(json));
        }
        sink.flush();
        Files.move(file, dir.resolve("audit.log.1"));   // logrotate
        assumeTrue(run("mount", "--bind", dir.toString(), dir.toString())
                && run("mount", "-o", "remount,bind,ro", dir.toString()), "cannot make a read-only bind mount");

        assertThatThrownBy(sink::reopen).hasMessageContaining("Read-only file system");
        for (byte[] json : events.subList(20, 40)) {
            sink.write(event(json));
        }
        sink.flush();
        assertThat(file).doesNotExist();
        assertThat(run("umount", dir.toString())).as("the directory writable again").isTrue();
        sink.flush();

        assertThat(text(dir.resolve("audit.log.1"))).containsExactlyElementsOf(joinedText(events.subList(0, 20)));
        assertThat(text(file)).containsExactlyElementsOf(joinedText(events.subList(20, 40)));
        sink.close();
    }

    @Test
    void aDirectoryRemovedAndCreatedAgainIsWrittenAgain() throws Exception {
        List<byte[]> events = realEvents().subList(0, 40);
        Path sub = Files.createDirectory(dir.resolve("laurel"));
        Path file = sub.resolve("audit.log");
        JsonFileSink sink = sink(file, 16 << 20, JsonFileSink.OnFull.BLOCK);
        for (byte[] json : events.subList(0, 20)) {
            sink.write(event(json));
        }
        sink.flush();
        Files.move(file, dir.resolve("audit.log.1"));
        Files.delete(sub);

        assertThatThrownBy(sink::reopen).isInstanceOf(IOException.class);
        for (byte[] json : events.subList(20, 40)) {
            sink.write(event(json));
        }
        sink.flush();
        Files.createDirectory(sub);
        sink.flush();

        assertThat(text(file)).containsExactlyElementsOf(joinedText(events.subList(20, 40)));
        sink.close();
    }

    @Test
    void aFileClosedWhileTheDiskIsFullEndsWithItsLastWholeLine() throws Exception {
        List<byte[]> events = realEvents();
        Path file = dir.resolve("audit.log");
        JsonFileSink sink = sink(file, 16 << 20, JsonFileSink.OnFull.BLOCK);
        fill(20 * 1024 + 123);   // so that a write stops inside a line

        for (byte[] json : events) {
            sink.write(event(json));
            sink.flush();
        }
        sink.close();

        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        List<String> lines = text.lines().toList();
        assertThat(joinedText(events)).startsWith(lines.toArray(new String[0]));
        long notWritten = events.size() - lines.size();
        assertThat(notWritten).isPositive();
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("closed with " + notWritten + " events ("));
    }

    /** Whether {@code thread} is seen in {@code state} within 10 s, looking every 5 ms. */
    private static boolean seenIn(Thread thread, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != state) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
