package dev.laurel.engine.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress bar of {@code laurel convert} on a terminal: one line on stderr, redrawn four times
 * a second, {@code [#########...........]  45%  12.3/27.1 MB  audit.log.2}.
 */
final class ConvertProgress {
    private static final int WIDTH = 30;

    private final RotatedLogs logs;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean done;

    private ConvertProgress(RotatedLogs logs, PrintStream out) {
        this.logs = logs;
        this.out = out;
        this.thread = new Thread(this::run, "laurel-convert-progress");
        this.thread.setDaemon(true);
    }

    static ConvertProgress start(RotatedLogs logs, PrintStream out) {
        ConvertProgress p = new ConvertProgress(logs, out);
        p.thread.start();
        return p;
    }

    /** Draws the bar full and ends its line. */
    void finish() {
        done = true;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.print("\r" + line(logs.totalBytes(), logs.totalBytes(), null) + "\n");
        out.flush();
    }

    private void run() {
        while (!done) {
            out.print("\r" + line(logs.readBytes(), logs.totalBytes(),
                    logs.current() == null ? null : logs.current().getFileName().toString()));
            out.flush();
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One frame: the bar, the percentage, the bytes and the file. */
    static String line(long read, long total, String file) {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) read / total);
        int filled = (int) Math.round(fraction * WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%  %.1f/%.1f MB", Math.round(fraction * 100), read / 1e6, total / 1e6)
                + (file == null ? "" : "  " + file) + "\u001b[K";
    }
}
