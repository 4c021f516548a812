package dev.laurel.plugins.stream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.WARNING;

/**
 * A running command: lines go to its standard input, its standard error to laurel's log, its
 * standard output nowhere.
 */
final class CommandPeer implements Peer {
    /** How long a command may take to exit after its stdin was closed before it is killed. */
    static final long EXIT_WAIT_MILLIS = 2_000;

    private final Process process;
    private final OutputStream stdin;
    private final String name;
    private final System.Logger log;

    private CommandPeer(Process process, String name, System.Logger log) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.name = name;
        this.log = log;
    }

    /**
     * Starts {@code argv} (no shell) each time a peer is needed: {@code command} as the user wrote
     * it, or {@code command} behind what starts it without laurel's capabilities; the log names
     * {@code command}.
     */
    static Peer.Source of(List<String> command, List<String> argv, System.Logger log) {
        String name = "command " + String.join(" ", command);
        return new Peer.Source() {
            @Override
            public Peer open() throws IOException {
                Process process = new ProcessBuilder(List.copyOf(argv))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                CommandPeer peer = new CommandPeer(process, name, log);
                Thread stderr = new Thread(peer::copyStderr, "laurel-pipe-stderr-" + process.pid());
                stderr.setDaemon(true);
                stderr.start();
                return peer;
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }

    @Override
    public void write(ByteBuffer[] buffers) throws IOException {
        if (!process.isAlive()) {
            throw new IOException("it exited with status " + process.exitValue());
        }
        for (ByteBuffer b : buffers) {
            stdin.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
        }
        stdin.flush();
    }

    @Override
    public void close() {
        try {
            stdin.close();   // end of input: lets the command finish its work
        } catch (IOException ignored) {
            // it is gone already
        }
        try {
            if (!process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void copyStderr() {
        try (BufferedReader err = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                log.log(WARNING, name + " (pid " + process.pid() + "): " + line);
            }
        } catch (IOException e) {
            // the process is gone
        }
    }
}
