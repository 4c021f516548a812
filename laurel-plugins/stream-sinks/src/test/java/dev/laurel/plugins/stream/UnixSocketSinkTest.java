package dev.laurel.plugins.stream;

import dev.laurel.api.ConfigException;
import dev.laurel.api.SinkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.laurel.plugins.stream.StreamTesting.await;
import static dev.laurel.plugins.stream.StreamTesting.config;
import static dev.laurel.plugins.stream.StreamTesting.event;
import static dev.laurel.plugins.stream.StreamTesting.realLines;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnixSocketSinkTest {

    @TempDir
    Path dir;

    private final List<Receiver> receivers = new ArrayList<>();

    /** A listener on a unix socket that keeps every line of every connection, in order. */
    static final class Receiver implements AutoCloseable {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Path path;
        private final ServerSocketChannel server;
        private final List<SocketChannel> accepted = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        Receiver(Path path) throws IOException {
            this.path = path;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            thread = new Thread(this::serve, "test-receiver");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            try {
                while (true) {
                    SocketChannel c = server.accept();
                    accepted.add(c);
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException closed) {
                        // closed by the test
                    }
                }
            } catch (IOException closed) {
                // the server was closed
            }
        }

        int count() {
            return lines.size();
        }

        /** Goes away as a restarting receiver does: connections and listener closed, socket file removed. */
        @Override
        public void close() throws IOException {
            server.close();
            synchronized (accepted) {
                for (SocketChannel c : accepted) {
                    c.close();
                }
            }
            Files.deleteIfExists(path);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Receiver receiver(Path path) throws IOException {
        Receiver r = new Receiver(path);
        receivers.add(r);
        return r;
    }

    @AfterEach
    void stopReceivers() throws IOException {
        for (Receiver r : receivers) {
            r.close();
        }
    }

    private static LineRelay sink(Path socket, Object... more) throws ConfigException {
        Object[] pairs = new Object[more.length + 2];
        pairs[0] = "path";
        pairs[1] = socket.toString();
        System.arraycopy(more, 0, pairs, 2, more.length);
        return (LineRelay) new UnixSocketSinkFactory().create(config("unix-socket", pairs),
                new StreamTesting.RecordingContext());
    }

    @Test
    void theReceiverGetsEveryEventAlsoAcrossARestartWithBlock() throws Exception {
        List<String> lines = realLines();
        Path socket = dir.resolve("laurel.sock");
        Receiver first = receiver(socket);
        LineRelay sink = sink(socket);
        for (String line : lines.subList(0, 500)) {
            sink.write(event(line));
        }
        assertThat(await(() -> first.count() == 500)).as("first receiver got 500, has " + first.count()).isTrue();

        first.close();
        for (String line : lines.subList(500, 900)) {
            sink.write(event(line));   // the receiver is away: buffered
        }
        Thread.sleep(300);             // the relay fails to reach it meanwhile
        Receiver second = receiver(socket);
        for (String line : lines.subList(900, lines.size())) {
            sink.write(event(line));
        }
        assertThat(await(() -> second.count() == 576)).as("second receiver got " + second.count()).isTrue();
        sink.close();

        List<String> all = new ArrayList<>(first.lines);
        all.addAll(second.lines);
        assertThat(all).isEqualTo(lines);
        assertThat(sink.dropped()).isZero();
        assertThat(sink.delivered()).isEqualTo(1076);
    }

    @Test
    void blockMakesWritesWaitForRoomWhileTheReceiverIsAway() throws Exception {
        Path socket = dir.resolve("late.sock");
        LineRelay sink = sink(socket, "buffer-events", 10L, "line-prefix", "@cee: ");
        List<String> lines = realLines().subList(0, 300);
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                for (String line : lines) {
                    sink.write(event(line));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(500);
        assertThat(writing).as("held up by the full buffer").isNotDone();

        Receiver late = receiver(socket);
        writing.get(10, TimeUnit.SECONDS);
        assertThat(await(() -> late.count() == 300)).as("got " + late.count()).isTrue();
        sink.close();
        assertThat(late.lines).isEqualTo(lines.stream().map(l -> "@cee: " + l).toList());
    }

    @Test
    void dropCountsExactlyTheEventsTheReceiverNeverGot() throws Exception {
        Path socket = dir.resolve("dead.sock");
        StreamTesting.RecordingContext context = new StreamTesting.RecordingContext();
        LineRelay sink = (LineRelay) new UnixSocketSinkFactory().create(config("unix-socket",
                "path", socket.toString(), "buffer-events", 100L, "on-full", "drop"), context);
        List<String> lines = realLines();
        for (String line : lines) {
            sink.write(event(line));   // never blocks
        }
        assertThat(sink.dropped()).isPositive();

        Receiver late = receiver(socket);
        sink.close();
        assertThat(await(() -> late.count() == sink.delivered())).isTrue();
        assertThat(late.count()).isEqualTo(lines.size() - sink.dropped());
        assertThat(sink.lostAtClose()).isZero();
        assertThat(lines).containsSubsequence(late.lines);
        assertThat(context.logged("dropped " + sink.dropped() + " events")).as(context.messages.toString()).isTrue();
    }

    @Test
    void isFoundByTheServiceLoaderWithARequiredPath() {
        SinkFactory factory = ServiceLoader.load(SinkFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.type().equals("unix-socket")).findFirst().orElseThrow();
        assertThat(factory.settings()).extracting(s -> s.name())
                .containsExactly("path", "line-prefix", "buffer-events", "on-full");
        assertThat(UnixSocketSinkFactory.PATH.isRequired()).isTrue();
        assertThat(RelaySettings.BUFFER_EVENTS.firstProblem(0L)).isEqualTo("must be at least 1");
        assertThat(RelaySettings.ON_FULL.choices()).containsExactly("block", "drop");
    }

}
