package dev.laurel.dist;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded generator of plausible auditd input for {@link LaurelDifferentialTest}: kernel events
 * (SYSCALL with its arguments, EXECVE whole or split into {@code aN_len}/{@code aN[i]} chunks and
 * over several records, CWD, PATH, SOCKADDR, OBJ_PID, BPRM_FCAPS, PROCTITLE, EOE), user-space
 * records with {@code msg='...'} bodies, types LAUREL writes as events by themselves, every value
 * encoding auditd uses (quoted, hex, bare, {@code (null)}, {@code ?}, empty, numbers of any size),
 * RAW and ENRICHED lines, {@code node=} prefixes, and records after their event's EOE.
 *
 * <p>Each case has serial {@link #FIRST_SERIAL} plus its index, and its own millisecond, so that
 * thousands of cases go through one run of each program and their events can be told apart.
 * A case that holds input where laurel's output differs from LAUREL 0.5.1's on purpose carries
 * that {@link Difference}: it is listed, with its reason, in {@code docs/format.md} §7.
 *
 * <p>User-space bodies and ENRICHED {@code SADDR={ ... }} values are generated only in the shapes
 * auditd writes (no quote inside a {@code msg='...'}, no brace inside a braced value).
 */
final class AuditCaseGenerator {
    static final long FIRST_SERIAL = 100_000;
    private static final long FIRST_SECOND = 1_700_000_000L;
    private static final byte GS = 0x1d;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    /**
     * The differences from LAUREL 0.5.1 that laurel keeps on purpose, each with the JSON keys of
     * the event it is confined to, and its id in docs/format.md §7 ({@code differential: ID}).
     */
    enum Difference {
        /** LAUREL percent-encodes each chunk by itself, so a character cut by the kernel is lost. */
        EXECVE_SPLIT_UTF8("execve-split-utf8", "EXECVE"),
        /** LAUREL loses the chunks before the last out-of-order one. */
        EXECVE_CHUNKS_OUT_OF_ORDER("execve-chunks-out-of-order", "EXECVE"),
        /** LAUREL writes other fields between argc and ARGV; laurel after ARGV. */
        EXECVE_OTHER_FIELDS("execve-other-fields", "EXECVE"),
        /** LAUREL writes every PROCTITLE record's fields, with duplicate keys. */
        PROCTITLE_WITHOUT_TEXT_FIRST("proctitle-without-text-first", "PROCTITLE"),
        /** LAUREL writes a record repeated byte for byte twice, with duplicate keys; laurel once. */
        DUPLICATE_RECORD("duplicate-record", "CWD"),
        /** LAUREL drops a record it cannot parse (a0=zz, a0=0x12); laurel keeps it. */
        LINE_LAUREL_REJECTS("line-laurel-rejects", "SYSCALL"),
        /**
         * A record LAUREL writes by itself with a pending kernel event's id makes LAUREL refuse
         * that event's EOE, so a record after the EOE joins the first event there; laurel writes
         * it as a second event (the key is the generator's late record's).
         */
        EOE_AFTER_SINGLE_RECORD_EVENT("eoe-after-single-record-event", "PATH");

        final String id;
        final String key;

        Difference(String id, String key) {
            this.id = id;
            this.key = key;
        }
    }

    /** One case: its input lines (each ending in a newline), and the documented differences it holds. */
    record Case(int index, byte[] input, Set<Difference> differences) {
        long serial() {
            return FIRST_SERIAL + index;
        }

        /** The input as a printf format string (bytes other than printable ASCII as \xNN). */
        String printf() {
            return printable(input);
        }
    }

    private final Random random;
    private ByteArrayOutputStream out;
    private Set<Difference> differences;
    private String header;
    private String node;
    private boolean enriched;

    AuditCaseGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** The case with this index (cases must be asked for in order, from 0). */
    Case next(int index) {
        out = new ByteArrayOutputStream();
        differences = EnumSet.noneOf(Difference.class);
        long ms = index;   // one millisecond per case
        header = String.format("msg=audit(%d.%03d:%d):", FIRST_SECOND + ms / 1000, ms % 1000, FIRST_SERIAL + index);
        node = chance(0.15) ? pick("web1", "host.example.com", "h\u00c3\u00a9", "\u00ff", "n%1+2", "a.b-c_d") : null;
        enriched = chance(0.6);
        int kind = random.nextInt(100);
        if (kind < 72) {
            kernelEvent();
        } else if (kind < 92) {
            userSpaceRecord();
        } else {
            loneRecord();
        }
        return new Case(index, out.toByteArray(), differences);
    }

    // ---- kernel events ----

    private void kernelEvent() {
        boolean execve = chance(0.45);
        List<byte[]> argv = new ArrayList<>();
        int argc = execve ? 1 + random.nextInt(4) : 0;
        for (int i = 0; i < argc; i++) {
            argv.add(bytes(i == 0 ? 12 : 40));
        }
        syscall(execve);
        if (execve) {
            execve(argv);
        }
        boolean lone = chance(0.05);
        if (lone) {
            line("UNKNOWN[9999]", "foo=bar n=" + random.nextInt(100));   // LAUREL: an event by itself
        }
        String cwd = "cwd=" + encoded(bytes(16));
        line("CWD", cwd);
        if (chance(0.02)) {
            differences.add(Difference.DUPLICATE_RECORD);
            line("CWD", cwd);
        }
        int paths = random.nextInt(4);
        for (int i = 0; i < paths; i++) {
            path(i);
        }
        if (chance(0.12)) {
            sockaddr();
        }
        if (chance(0.05)) {
            line("OBJ_PID", "opid=" + dec() + " oauid=" + dec() + " ouid=" + dec() + " oses=" + dec()
                    + " obj=unconfined ocomm=" + encoded(bytes(8)));
        }
        if (chance(0.05)) {
            line("BPRM_FCAPS", "fver=0 fp=0 fi=0 fe=0 old_pp=" + hexDigits() + " old_pi=0 old_pe=0 old_pa=0"
                    + " pp=" + hexDigits() + " pi=0 pe=" + hexDigits() + " pa=0 frootid=0");
        }
        if (chance(0.04)) {
            line("UNKNOWN[1334]", "a=" + dec() + " b=" + encoded(bytes(6)));   // a type LAUREL collects
        }
        proctitle(argv);
        line("EOE", "");
        if (chance(0.04)) {
            // a record after its event's EOE: LAUREL writes it as a second event with that id
            if (lone) {
                differences.add(Difference.EOE_AFTER_SINGLE_RECORD_EVENT);
            }
            line("PATH", "item=9 name=" + encoded(bytes(8)) + " nametype=NORMAL");
            if (chance(0.5)) {
                line("EOE", "");
            }
        }
    }

    private void syscall(boolean execve) {
        StringBuilder b = new StringBuilder();
        b.append("arch=").append(pick("c000003e", "40000028", "C000003E")).append(" syscall=").append(execve ? "59" : dec())
                .append(" success=").append(pick("yes", "no")).append(" exit=").append(dec());
        for (int i = 0; i < 4; i++) {
            if (chance(0.01)) {
                differences.add(Difference.LINE_LAUREL_REJECTS);   // not a u64 in hex: LAUREL drops the line
                b.append(" a").append(i).append('=').append(pick("0x12", "1ffffffffffffffff"));
            } else if (chance(0.93)) {
                b.append(" a").append(i).append('=').append(hexArgument(false));
            }
        }
        b.append(" items=").append(random.nextInt(4)).append(" ppid=").append(dec()).append(" pid=").append(dec())
                .append(" auid=").append(dec()).append(" uid=").append(dec()).append(" gid=").append(dec())
                .append(" euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=").append(pick("(none)", "pts0", "pts1"))
                .append(" ses=").append(dec()).append(" comm=").append(encoded(bytes(8)))
                .append(" exe=").append(encoded(bytes(20)));
        if (chance(0.3)) {
            b.append(" subj=").append(pick("", "unconfined", "system_u:system_r:init_t:s0"));
        }
        b.append(" key=").append(chance(0.5) ? "(null)" : encoded(bytes(6)));
        if (enriched) {
            b.append((char) GS).append("ARCH=x86_64 SYSCALL=").append(execve ? "execve" : pick("openat", "connect", "ptrace"))
                    .append(" AUID=\"").append(pick("unset", "user", "root")).append("\" UID=\"root\" GID=\"root\"")
                    .append(" EUID=\"root\" SUID=\"root\" FSUID=\"root\" EGID=\"root\" SGID=\"root\" FSGID=\"root\"");
        }
        String s = b.toString();
        if (chance(0.02)) {
            differences.add(Difference.LINE_LAUREL_REJECTS);
            s = s.replaceFirst(" a0=[^ ]*", " a0=zz");
            if (!s.contains(" a0=zz")) {
                s = s.replaceFirst(" items=", " a0=zz items=");
            }
        }
        line("SYSCALL", s);
    }

    /** EXECVE records: arguments whole or in chunks, over one or more records. */
    private void execve(List<byte[]> argv) {
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            byte[] a = argv.get(i);
            if (a.length >= 2 && chance(0.2)) {
                fields.addAll(chunks(i, a));
            } else {
                fields.add("a" + i + "=" + argument(a));
            }
        }
        if (chance(0.02)) {
            differences.add(Difference.EXECVE_OTHER_FIELDS);
            fields.add("foo=bar");
        }
        StringBuilder rec = new StringBuilder("argc=").append(argv.size());
        for (String f : fields) {
            if (chance(0.15)) {   // the kernel starts another EXECVE record
                line("EXECVE", rec.toString());
                rec.setLength(0);
            }
            if (rec.length() > 0) {
                rec.append(' ');
            }
            rec.append(f);
        }
        line("EXECVE", rec.toString());
    }

    /** {@code aN_len} and the {@code aN[i]} chunks of one argument, cut at random bytes. */
    private List<String> chunks(int n, byte[] a) {
        List<String> out = new ArrayList<>();
        out.add("a" + n + "_len=" + a.length * 2);
        List<String> parts = new ArrayList<>();
        int pos = 0;
        while (pos < a.length) {
            int len = 1 + random.nextInt(a.length - pos);
            if (pos + len < a.length && (a[pos + len] & 0xc0) == 0x80) {
                differences.add(Difference.EXECVE_SPLIT_UTF8);   // the cut falls inside a character
            }
            parts.add(HEX.formatHex(a, pos, pos + len));
            pos += len;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            order.add(i);
        }
        if (parts.size() > 1 && chance(0.05)) {
            differences.add(Difference.EXECVE_CHUNKS_OUT_OF_ORDER);
            java.util.Collections.swap(order, 0, 1);
        }
        for (int i : order) {
            out.add("a" + n + "[" + i + "]=" + parts.get(i));
        }
        return out;
    }

    private void path(int item) {
        StringBuilder b = new StringBuilder("item=").append(item).append(" name=")
                .append(chance(0.1) ? "(null)" : encoded(bytes(24)));
        if (chance(0.8)) {
            b.append(" inode=").append(dec()).append(" dev=fd:0").append(random.nextInt(3)).append(" mode=")
                    .append(pick("0100755", "0100644", "040755", "0", "08", "-1", "0120777"))
                    .append(" ouid=").append(dec()).append(" ogid=").append(dec()).append(" rdev=00:00");
        }
        b.append(" nametype=").append(pick("NORMAL", "PARENT", "CREATE", "DELETE", "UNKNOWN"))
                .append(" cap_fp=").append(hexArgument(true)).append(" cap_fi=0 cap_fe=").append(random.nextInt(2))
                .append(" cap_fver=0");
        if (chance(0.1)) {
            b.append(" subj=");   // empty: LAUREL writes null here, "" only in SYSCALL and USER_AUTH
        }
        if (enriched) {
            b.append((char) GS).append("OUID=\"root\" OGID=\"").append(pick("root", "user", "unknown(4242)")).append('"');
        }
        line("PATH", b.toString());
    }

    private void sockaddr() {
        String[] shapes = {
            "020000357F000001" + "0000000000000000|{ saddr_fam=inet laddr=127.0.0.1 lport=53 }",
            "0A000050000000000000000000000000000000010000000000000000|{ saddr_fam=inet6 laddr=::1 lport=80 }",
            "01002F746D702F736F636B00|{ saddr_fam=local path=/tmp/sock }",
            "1000000000000000|{ saddr_fam=netlink nlnk-fam=16 nlnk-pid=0 }",
            "2A00|{ unknown-family(42) }",
        };
        String[] s = pick(shapes).split("\\|");
        line("SOCKADDR", "saddr=" + s[0] + (enriched ? (char) GS + "SADDR=" + s[1] : ""));
    }

    private void proctitle(List<byte[]> argv) {
        String value;
        if (!argv.isEmpty() && chance(0.7)) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = 0; i < argv.size(); i++) {
                if (i > 0) {
                    b.write(0);
                }
                b.writeBytes(argv.get(i));
            }
            value = HEX.formatHex(b.toByteArray());
        } else {
            value = encoded(bytes(12));
        }
        int variant = random.nextInt(100);
        if (variant < 3) {
            line("UNKNOWN[1327]", "");   // PROCTITLE's number, with no field, then the PROCTITLE
        } else if (variant < 6) {
            differences.add(Difference.PROCTITLE_WITHOUT_TEXT_FIRST);
            // not the very line that follows: that would be a duplicate record as well
            line("PROCTITLE", "proctitle=" + (value.equals("?") ? "(null)" : "?"));
        }
        line("PROCTITLE", "proctitle=" + value);
    }

    // ---- user space and single-record types ----

    private void userSpaceRecord() {
        String type = pick("USER_AUTH", "USER_ACCT", "CRED_ACQ", "CRED_DISP", "USER_START", "USER_END", "USER_CMD",
                "USER_LOGIN", "USER_LOGOUT", "CRED_REFR", "USER_ERR", "SERVICE_START", "SERVICE_STOP");
        String acct = chance(0.8) ? "\"" + pick("root", "user", "audtest", "www-data") + "\"" : HEX.formatHex(bytes(8));
        String body = switch (random.nextInt(4)) {
            case 0 -> "op=PAM:" + pick("authentication", "accounting", "session_open", "setcred") + " grantors="
                    + pick("pam_unix", "pam_permit,pam_unix", "?") + " acct=" + acct + " exe=\"" + pick("/usr/bin/su", "/usr/sbin/sshd", "/usr/bin/sudo")
                    + "\" hostname=" + pick("?", "localhost", "10.0.0.1") + " addr=" + pick("?", "10.0.0.1") + " terminal="
                    + pick("pts/0", "ssh", "/dev/tty1", "?") + " res=" + pick("success", "failed");
            case 1 -> "cwd=\"/root\" cmd=" + HEX.formatHex(bytes(10)) + " exe=\"/usr/bin/sudo\" terminal=pts/0 res=success";
            case 2 -> "unit=" + pick("systemd-tmpfiles-clean", "cron", "ssh") + " comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\""
                    + " hostname=? addr=? terminal=? res=success";
            default -> "op=login id=" + dec() + " exe=\"/usr/sbin/sshd\" hostname=? addr=" + pick("10.1.2.3", "?") + " terminal=sshd res=failed";
        };
        StringBuilder b = new StringBuilder("pid=").append(dec()).append(" uid=").append(dec()).append(" auid=").append(dec())
                .append(" ses=").append(dec());
        if (chance(0.8)) {
            b.append(" subj=").append(pick("", "unconfined", "system_u:system_r:sshd_t:s0-s0:c0.c1023"));
        }
        b.append(" msg='").append(body).append('\'');
        if (enriched) {
            b.append((char) GS).append("UID=\"root\" AUID=\"").append(pick("unset", "user", "root")).append('"');
        }
        line(type, b.toString());
    }

    /** A type LAUREL writes as an event by itself although it is not user space. */
    private void loneRecord() {
        switch (random.nextInt(4)) {
            case 0 -> line("KERNEL", "state=initialized audit_enabled=" + random.nextInt(2) + " res=1");
            case 1 -> line("UNKNOWN[9999]", "x=" + encoded(bytes(6)));
            case 2 -> line("USER", "pid=" + dec() + " uid=0 msg='" + pick("hello", "op=test res=1") + "'");
            default -> line("MAC_MAP_DEL", "auid=" + dec() + " ses=" + dec() + " res=1");
        }
    }

    // ---- values ----

    /** A value of an ENCODED field as auditd writes it: quoted, hex, (null), ? or bare. */
    private String encoded(byte[] b) {
        int p = random.nextInt(100);
        if (p < 40 && plainText(b)) {
            return "\"" + new String(b, StandardCharsets.ISO_8859_1) + "\"";
        }
        if (p < 85) {
            return HEX.formatHex(b);
        }
        if (p < 92) {
            return "(null)";
        }
        return p < 97 ? "?" : pick("abc", "x-y", "zz9");
    }

    /** An EXECVE argument: quoted when auditd would quote it, else hex. */
    private String argument(byte[] b) {
        return plainText(b) && chance(0.8) ? "\"" + new String(b, StandardCharsets.ISO_8859_1) + "\"" : HEX.formatHex(b);
    }

    /** Bytes auditd writes in quotes: printable ASCII but space and double quote. */
    private static boolean plainText(byte[] b) {
        for (byte c : b) {
            if (c <= 0x20 || c >= 0x7f || c == '"') {
                return false;
            }
        }
        return b.length > 0;
    }

    /** Random bytes: mostly words, sometimes with spaces, quotes, control bytes, UTF-8 or not. */
    private byte[] bytes(int max) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int n = 1 + random.nextInt(max);
        boolean wild = chance(0.3);
        for (int i = 0; i < n; i++) {
            if (!wild) {
                b.write(pick("abcdefghijklmnopqrstuvwxyz0123456789/._-".getBytes(StandardCharsets.US_ASCII)));
                continue;
            }
            switch (random.nextInt(9)) {
                case 0 -> b.write(' ');
                case 1 -> b.write(pick(new byte[] {'"', '\'', '%', '+', '\\', '{', '}', '='}));
                case 2 -> b.write(random.nextInt(0x20));
                case 3 -> b.writeBytes("é".getBytes(StandardCharsets.UTF_8));
                case 4 -> b.writeBytes("日".getBytes(StandardCharsets.UTF_8));
                case 5 -> b.write(0x80 + random.nextInt(0x80));
                default -> b.write(0x21 + random.nextInt(0x5e));
            }
        }
        return b.toByteArray();
    }

    private String dec() {
        return switch (random.nextInt(20)) {
            case 0 -> "-1";
            case 1 -> "4294967295";
            case 2 -> "0007";
            case 3 -> pick("99999999999999999999", "-9223372036854775808", "9223372036854775807", "-0");
            case 4 -> pick("+5", "0x10", "12a");
            default -> Integer.toString(random.nextInt(70000));
        };
    }

    /** A HEX field's value; {@code odd}: also values that are not a 64-bit number in hex. */
    private String hexArgument(boolean odd) {
        return switch (random.nextInt(12)) {
            case 0 -> "0";
            case 1 -> "FFFFFFFFFFFFFFFF";
            case 2 -> odd ? pick("0ffffffffffffffff", "1ffffffffffffffff", "0x12") : "0ffffffffffffffff";
            default -> hexDigits();
        };
    }

    private String hexDigits() {
        String s = Long.toHexString(random.nextLong() >>> random.nextInt(64));
        return chance(0.2) ? s.toUpperCase(java.util.Locale.ROOT) : s;
    }

    private void line(String type, String body) {
        StringBuilder b = new StringBuilder();
        if (node != null) {
            b.append("node=").append(node).append(' ');
        }
        b.append("type=").append(type).append(' ').append(header);
        if (!body.isEmpty()) {
            b.append(' ').append(body);
        }
        b.append('\n');
        // one char per byte: names, values and node names hold raw bytes
        out.writeBytes(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private byte pick(byte[] options) {
        return options[random.nextInt(options.length)];
    }

    /** Bytes as a printf format string: printable ASCII as is (but \ and %), others as \xNN. */
    static String printable(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte c : b) {
            int u = c & 0xff;
            if (u == '\n') {
                s.append("\\n");
            } else if (u == '\\') {
                s.append("\\\\");
            } else if (u == '%') {
                s.append("%%");
            } else if (u == '\'') {
                s.append("\\x27");
            } else if (u >= 0x20 && u < 0x7f) {
                s.append((char) u);
            } else {
                s.append(String.format("\\x%02x", u));
            }
        }
        return s.toString();
    }
}
