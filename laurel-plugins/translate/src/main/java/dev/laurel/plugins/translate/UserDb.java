package dev.laurel.plugins.translate;

import dev.laurel.api.Value;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;

/**
 * User and group names by id, read from files in {@code /etc/passwd} format ({@code name:x:id:...}),
 * as auditd's ENRICHED format and LAUREL's {@code user-db} write them: {@code 4294967295} (the
 * kernel's "no id") is {@code unset}, an id the file does not list is {@code unknown(N)}.
 *
 * <p>Reads the files directly rather than asking NSS (LDAP, sssd): lookups stay fast and never
 * block the chain. A file is looked at again when its names are older than {@code maxAge}, and
 * parsed again only if its modification time or size changed. If it cannot be read then, the
 * names read before are kept and the problem is logged once.
 *
 * <p>Not thread-safe: used from the chain's thread.
 */
final class UserDb {

    static final long UNSET = 4294967295L;
    private static final Value.Text UNSET_NAME = Value.text("unset");

    private final NameFile users;
    private final NameFile groups;

    UserDb(Path passwd, Path group, Duration maxAge, InstantSource clock, System.Logger logger) throws IOException {
        this.users = new NameFile(passwd, maxAge, clock, logger);
        this.groups = new NameFile(group, maxAge, clock, logger);
    }

    /** The user name for {@code uid}, {@code unset} or {@code unknown(uid)}. */
    Value.Text user(long uid) {
        return users.name(uid);
    }

    /** The group name for {@code gid}, {@code unset} or {@code unknown(gid)}. */
    Value.Text group(long gid) {
        return groups.name(gid);
    }

    /** Whether {@code name} is the {@code unknown(N)} this class gives for an id it lacks. */
    static boolean isUnknown(Value.Text name) {
        byte[] b = name.bytes();
        return b.length > UNKNOWN.length && b[b.length - 1] == ')'
                && java.util.Arrays.equals(b, 0, UNKNOWN.length, UNKNOWN, 0, UNKNOWN.length);
    }

    private static final byte[] UNKNOWN = "unknown(".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** One file of names with its time-bounded cache. */
    private static final class NameFile {
        private final Path path;
        private final Duration maxAge;
        private final InstantSource clock;
        private final System.Logger logger;
        private Map<Long, Value.Text> names;
        private Instant checkedAt;
        private FileTime modified;
        private long size;
        private boolean failing;

        NameFile(Path path, Duration maxAge, InstantSource clock, System.Logger logger) throws IOException {
            this.path = path;
            this.maxAge = maxAge;
            this.clock = clock;
            this.logger = logger;
            load(Files.readAttributes(path, BasicFileAttributes.class));
            this.checkedAt = clock.instant();
        }

        Value.Text name(long id) {
            if (id == UNSET) {
                return UNSET_NAME;
            }
            Instant now = clock.instant();
            if (now.compareTo(checkedAt.plus(maxAge)) >= 0) {
                refresh();
                checkedAt = now;
            }
            Value.Text name = names.get(id);
            return name != null ? name : Value.text("unknown(" + id + ")");
        }

        private void refresh() {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                if (!a.lastModifiedTime().equals(modified) || a.size() != size) {
                    load(a);
                }
                failing = false;
            } catch (IOException | RuntimeException e) {
                if (!failing) {
                    logger.log(System.Logger.Level.WARNING, "cannot re-read " + path
                            + "; keeping the names read before: " + e);
                    failing = true;
                }
            }
        }

        private void load(BasicFileAttributes a) throws IOException {
            names = parse(Files.readAllBytes(path));
            modified = a.lastModifiedTime();
            size = a.size();
        }
    }

    /**
     * Names by id from {@code passwd}/{@code group} text: the first line naming an id wins, as with
     * getpwuid(3); comments, NIS {@code +}/{@code -} lines and malformed lines are skipped.
     */
    static Map<Long, Value.Text> parse(byte[] file) {
        // ISO-8859-1 keeps every byte, so names that are not UTF-8 come out as written
        String text = new String(file, StandardCharsets.ISO_8859_1);
        Map<Long, Value.Text> names = new HashMap<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String line = text.substring(start, end);
            start = end + 1;
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '+' || line.charAt(0) == '-') {
                continue;
            }
            int c1 = line.indexOf(':');
            int c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
            int c3 = c2 < 0 ? -1 : line.indexOf(':', c2 + 1);
            if (c1 <= 0 || c2 < 0) {
                continue;
            }
            long n = parseId(line, c2 + 1, c3 < 0 ? line.length() : c3);
            if (n < 0) {
                continue;
            }
            names.putIfAbsent(n, Value.text(line.substring(0, c1).getBytes(StandardCharsets.ISO_8859_1)));
        }
        return names;
    }

    /** The decimal id in {@code s[from, to)}, or -1 if it is not one. */
    private static long parseId(String s, int from, int to) {
        if (from >= to || to - from > 10) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
