package dev.laurel.engine.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The progress bar of {@code laurel convert} on a terminal (me.tongfei:progressbar): bytes read of
 * the whole rotated set, with the file being read, redrawn four times a second.
 */
final class ConvertProgress {
    private static final long MIB = 1024 * 1024;

    private final RotatedLogs logs;
    private final ProgressBar bar;
    private final Thread thread;
    private volatile boolean done;

    private ConvertProgress(RotatedLogs logs, PrintStream out) {
        this.logs = logs;
        // jline (the terminal width) logs through java.util.logging when it falls back to a dumb terminal
        java.util.logging.Logger.getLogger("org.jline").setLevel(java.util.logging.Level.OFF);
        this.bar = new ProgressBarBuilder()
                .setTaskName("convert")
                .setInitialMax(logs.totalBytes())
                .setUnit(" MiB", MIB)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .build();
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
        // the last frame names the file the conversion ended in, not the one of the last tick
        bar.setExtraMessage(fileName());
        bar.stepTo(logs.totalBytes());
        bar.close();
    }

    // The bar appends the message to the speed without a blank of its own.
    private String fileName() {
        Path current = logs.current();
        return current == null ? "" : " " + current.getFileName();
    }

    // The reader thread counts the bytes; this one hands them to the bar, which draws on its own.
    private void run() {
        while (!done) {
            bar.stepTo(logs.readBytes());
            bar.setExtraMessage(fileName());
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
