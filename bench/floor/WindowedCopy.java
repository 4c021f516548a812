import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The floor of a live audit plugin on the JVM: read auditd's records in 40 ms windows, as laurel
 * does, and append them unchanged to a file; no parsing, no JSON, no second thread.
 * bench/live-side-by-side.sh FLOOR=1 runs it under auditd with laurel's JVM options, so what the
 * JVM itself costs while it waits and copies is measured next to LAUREL and laurel;
 * bench/side-by-side.sh FLOOR=1 runs it on the corpus with a window of 0 (no waiting), for what
 * starting the JVM and moving the bytes cost in a batch run.
 *
 * <p>{@code java WindowedCopy OUTPUT [WINDOW_MS]} (default 40)
 */
public final class WindowedCopy {
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: WindowedCopy OUTPUT [WINDOW_MS]");
            System.exit(2);
        }
        long window = args.length == 2 ? Long.parseLong(args[1]) : 40;
        InputStream in = new FileInputStream(FileDescriptor.in);
        try (OutputStream out = new FileOutputStream(args[0], true)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (window > 0) {
                    Thread.sleep(window);
                }
                int more;
                while (n < buf.length && in.available() > 0 && (more = in.read(buf, n, buf.length - n)) > 0) {
                    n += more;
                }
                out.write(buf, 0, n);
            }
        }
    }
}
