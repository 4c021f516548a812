package dev.laurel.engine.cli;

import dev.laurel.engine.auditlog.AuditLogWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code laurel audit-log [-o OUT] [FILE...]}: laurel's JSON Lines (LAUREL's layout) back into
 * audit.log lines that {@code ausearch} and {@code aureport} read, as LAUREL's
 * {@code laurel2audit} does ({@link AuditLogWriter} says how). Files are read in the order given
 * ({@code .gz} too), standard input when none is.
 */
@Command(name = "audit-log", mixinStandardHelpOptions = true, versionProvider = Version.class,
        exitCodeOnInvalidInput = Main.USAGE, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Turns laurel's JSON lines (LAUREL's layout) back into audit.log lines that ausearch"
                + " and aureport read (LAUREL's laurel2audit).",
            "Each record on one line (EXECVE too) and an EOE line after each event; enriched (upper-case)"
                + " keys are left out, percent-encoded bytes restored.",
            "Example: laurel audit-log /var/log/laurel/audit.log -o /tmp/audit.log && ausearch -if /tmp/audit.log"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every line converted", "1:a file cannot be read or the output written",
            "64:bad command line", "65:some lines are not laurel JSON events (each named on stderr as FILE:LINE)"})
final class AuditLogCommand implements Callable<Integer> {
    static final int DATA_ERROR = 65;

    @ParentCommand
    Main parent;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", defaultValue = "-",
            description = "The audit log to write (default: standard output).")
    String output;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "laurel's JSON Lines files, plain or gzip-compressed (default: standard input).")
    List<Path> inputs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        for (Path input : inputs == null ? List.<Path>of() : inputs) {
            if (!Files.isReadable(input)) {
                err.println("laurel: cannot read " + input);
                return Main.FAILURE;
            }
        }
        AuditLogWriter writer = new AuditLogWriter();
        long[] counts = new long[2];   // events, lines that are not events
        OutputStream target;
        try {
            target = output.equals("-") ? parent.out : Files.newOutputStream(Path.of(output));
        } catch (IOException | RuntimeException e) {
            err.println("laurel: cannot write " + output + ": " + e.getMessage());
            return Main.FAILURE;
        }
        try (OutputStream out = new BufferedOutputStream(output.equals("-") ? nonClosing(target) : target, 1 << 16)) {
            if (inputs == null || inputs.isEmpty()) {
                convert(System.in, "-", writer, out, counts, err);
            } else {
                for (Path input : inputs) {
                    try (InputStream in = new RotatedLogs(List.of(input)).open()) {
                        convert(in, input.toString(), writer, out, counts, err);
                    }
                }
            }
        } catch (IOException e) {
            err.println("laurel: " + e.getMessage());
            return Main.FAILURE;
        }
        if (counts[1] > 0) {
            err.println("laurel: " + counts[1] + " lines were not laurel JSON events and were left out; "
                    + counts[0] + " events written");
            return DATA_ERROR;
        }
        return Main.OK;
    }

    /** Every line of {@code in}: an event's audit.log lines, or a message naming the line. */
    private static void convert(InputStream in, String name, AuditLogWriter writer, OutputStream out, long[] counts,
                                PrintWriter err) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[1 << 16];
        long number = 0;
        int n;
        boolean more = true;
        while (more) {
            n = in.read(buffer);
            more = n >= 0;
            int start = 0;
            for (int i = 0; i < Math.max(n, 0); i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, start, i - start);
                    number++;
                    convertLine(line, name, number, writer, out, counts, err);
                    start = i + 1;
                }
            }
            if (more) {
                line.write(buffer, start, n - start);
            } else if (line.size() > 0) {
                number++;
                convertLine(line, name, number, writer, out, counts, err);   // no newline at the end
            }
        }
    }

    private static void convertLine(ByteArrayOutputStream line, String name, long number, AuditLogWriter writer,
                                    OutputStream out, long[] counts, PrintWriter err) throws IOException {
        byte[] bytes = line.toByteArray();
        line.reset();
        if (bytes.length == 0) {
            return;
        }
        try {
            writer.write(bytes, 0, bytes.length, out);
            counts[0]++;
        } catch (AuditLogWriter.NotAnEvent e) {
            counts[1]++;
            err.println(name + ":" + number + ": not a laurel JSON event (" + e.getMessage() + "); left out");
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
