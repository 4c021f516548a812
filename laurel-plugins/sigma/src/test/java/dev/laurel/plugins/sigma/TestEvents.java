package dev.laurel.plugins.sigma;

import dev.laurel.api.AuditEvent;
import dev.laurel.plugins.testkit.TestRecords;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hand-built events as auditd writes them (parsed by the test kit as the engine parses lines):
 * records written without their {@code msg=audit(...)}, SYSCALL records from a short form, and
 * execve events from the process_creation fields a rule names.
 */
final class TestEvents {
    private static long serial = 1;

    private TestEvents() {
    }

    /** One event from records written {@code type=X field=value ...}, each given the same fresh id. */
    static AuditEvent event(List<String> records) {
        String id = "1700000000.000:" + serial++;
        String[] lines = new String[records.size()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = line(records.get(i), id);
        }
        return TestRecords.event(lines);
    }

    private static String line(String record, String id) {
        if (record.startsWith("syscall ")) {
            return syscall(record.substring(8), id);
        }
        int sp = record.indexOf(' ');
        String type = sp < 0 ? record : record.substring(0, sp);
        String rest = sp < 0 ? "" : record.substring(sp + 1);
        return type + " msg=audit(" + id + "): " + rest;
    }

    /**
     * A SYSCALL record from {@code NAME field=value ...}: the syscall's name as auditd's ENRICHED
     * format adds it, the fields given replacing the defaults (pid 100, ppid 1, root).
     */
    private static String syscall(String spec, String id) {
        String[] parts = spec.split(" ");
        Map<String, String> f = new LinkedHashMap<>();
        f.put("arch", "c000003e");
        f.put("syscall", "0");
        f.put("success", "yes");
        f.put("exit", "0");
        f.put("ppid", "1");
        f.put("pid", "100");
        f.put("auid", "1000");
        f.put("uid", "0");
        f.put("euid", "0");
        f.put("tty", "(none)");
        f.put("ses", "1");
        f.put("comm", "\"x\"");
        f.put("exe", "\"/usr/bin/x\"");
        f.put("key", "(null)");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            f.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        StringBuilder sb = new StringBuilder("type=SYSCALL msg=audit(" + id + "):");
        f.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.append("\\x1dARCH=x86_64 SYSCALL=").append(parts[0]).append(" UID=\"root\"").toString();
    }

    /**
     * An execve event of {@code pid} (parent {@code ppid}) from process_creation fields: Image,
     * CommandLine (split at spaces into arguments, hex-encoded as auditd does), CurrentDirectory,
     * User (the UID name), LogonId (ses).
     */
    static AuditEvent exec(long pid, long ppid, Map<String, String> fields) {
        String id = "1700000000.000:" + serial++;
        String image = fields.getOrDefault("Image", "/usr/bin/true");
        String[] argv = fields.getOrDefault("CommandLine", image).split(" ");
        List<String> lines = new ArrayList<>();
        lines.add("type=SYSCALL msg=audit(" + id + "): arch=c000003e syscall=59 success=yes exit=0 items=2"
                + " ppid=" + ppid + " pid=" + pid + " auid=1000 uid=1000 euid=1000 tty=pts0"
                + " ses=" + fields.getOrDefault("LogonId", "3") + " comm=" + hex("x")
                + " exe=" + hex(image) + " key=(null)\\x1dARCH=x86_64 SYSCALL=execve UID=\""
                + fields.getOrDefault("User", "alice") + "\"");
        StringBuilder ex = new StringBuilder("type=EXECVE msg=audit(" + id + "): argc=" + argv.length);
        for (int i = 0; i < argv.length; i++) {
            ex.append(" a").append(i).append('=').append(hex(argv[i]));
        }
        lines.add(ex.toString());
        lines.add("type=CWD msg=audit(" + id + "): cwd=" + hex(fields.getOrDefault("CurrentDirectory", "/home/alice")));
        return TestRecords.event(lines.toArray(new String[0]));
    }

    /** A value hex-encoded, as auditd writes values with spaces, quotes or other special bytes. */
    static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8)).toUpperCase(Locale.ROOT);
    }
}
