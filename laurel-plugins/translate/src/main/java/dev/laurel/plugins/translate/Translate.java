package dev.laurel.plugins.translate;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.Enricher;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.SockaddrDecoder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adds the translations auditd's ENRICHED format and LAUREL's {@code [translate]} write, in
 * LAUREL's places: at the end of each record, first a name for every {@code *uid}/{@code *gid}
 * field in field order ({@code UID}, {@code AUID}, {@code OGID}, ...), then {@code ARCH} and
 * {@code SYSCALL} in SYSCALL records; {@code SADDR} at the end of SOCKADDR records.
 *
 * <p>auditd's own ENRICHED translations (the fields from {@link Record#enrichedFrom()} on) of the
 * kinds this instance writes are removed first, so a record never carries both; for an id the
 * user database does not list, auditd's name is kept rather than {@code unknown(N)}.
 *
 * <p>With {@code uring-op}, URINGOP records get {@code URING_OP}, the io_uring operation's name
 * ({@code "uring_op":18} gives {@code "URING_OP":"openat"}), as LAUREL 0.8 writes it.
 */
final class Translate implements Enricher {

    private static final long NONE = Long.MIN_VALUE;
    private static final RecordType URINGOP = RecordType.of(1336);
    private static final int MAX_CACHED_NAMES = 1024;

    private final SyscallTables syscalls;
    private final boolean sockaddrObject;
    private final UserDb users;
    private final boolean dropRaw;
    private final boolean uringOps;
    private final Map<String, String> upper = new HashMap<>();
    private final List<String> translated = new ArrayList<>();
    // auditd's ENRICHED user and group names of the record being translated, by field name
    private final Map<String, Value> auditdNames = new HashMap<>();
    // the event being enriched, whose SYSCALL arch gives a sockaddr's byte order
    private AuditEvent event;

    /**
     * @param syscalls       the tables for ARCH, SYSCALL and SADDR; {@code null} to leave those alone
     * @param sockaddrObject SADDR as an object with LAUREL's keys instead of auditd's text
     * @param users          names for uid/gid fields; {@code null} to leave those alone
     * @param dropRaw        remove each raw field that got a translation
     */
    Translate(SyscallTables syscalls, boolean sockaddrObject, UserDb users, boolean dropRaw) {
        this(syscalls, sockaddrObject, users, dropRaw, false);
    }

    /** @param uringOps URING_OP, the name of URINGOP's {@code uring_op}, as LAUREL 0.8 writes it */
    Translate(SyscallTables syscalls, boolean sockaddrObject, UserDb users, boolean dropRaw, boolean uringOps) {
        this.uringOps = uringOps;
        this.syscalls = syscalls;
        this.sockaddrObject = sockaddrObject;
        this.users = users;
        this.dropRaw = dropRaw;
    }

    @Override
    public void enrich(AuditEvent event) {
        this.event = event;
        for (Record r : event.records()) {
            translate(r);
        }
        this.event = null;
    }

    void translate(Record r) {
        auditdNames.clear();
        removeEnrichedTranslations(r);
        int raw = r.enrichedFrom();
        translated.clear();
        if (uringOps && r.type() == URINGOP) {
            Value.Text op = UringOps.name(uringOp(r.get("uring_op")));
            if (op != null) {
                r.add("URING_OP", op);      // before the user names, where LAUREL 0.8 puts it
            }
        }
        if (users != null) {
            for (int i = 0; i < raw; i++) {
                String name = r.name(i);
                boolean uid = name.endsWith("uid");
                if (!uid && !name.endsWith("gid")) {
                    continue;
                }
                long id = decimal(r.value(i));
                if (id != NONE) {
                    String key = upper(name);
                    Value.Text ours = uid ? users.user(id) : users.group(id);
                    // An id this host's database lacks (a log from another host, a user since
                    // deleted): auditd's name, made when the event happened, says more.
                    Value theirs = UserDb.isUnknown(ours) ? auditdNames.get(key) : null;
                    r.add(key, theirs != null ? theirs : ours);
                    translated.add(name);
                }
            }
        }
        if (syscalls != null) {
            if (r.type() == RecordType.SYSCALL) {
                translateSyscall(r);
            } else if (r.type() == RecordType.SOCKADDR) {
                translateSockaddr(r);
            }
        }
        if (dropRaw) {
            for (String name : translated) {
                r.remove(name);
            }
        }
    }

    private void translateSyscall(Record r) {
        Value archValue = r.get("arch");
        if (archValue == null) {
            return;
        }
        long arch = hex(archValue);
        if (arch == NONE) {
            return;
        }
        SyscallTables.Arch a = syscalls.arch(arch);
        r.add("ARCH", a != null ? a.name() : Value.text("unknown-elf-type(" + Long.toHexString(arch) + ")"));
        translated.add("arch");
        Value syscallValue = r.get("syscall");
        long nr = syscallValue == null ? NONE : decimal(syscallValue);
        if (nr != NONE) {
            Value.Text name = a == null ? null : a.syscall(nr);
            r.add("SYSCALL", name != null ? name : Value.text("unknown-syscall(" + nr + ")"));
            translated.add("syscall");
        }
    }

    private void translateSockaddr(Record r) {
        byte[] sa = SockaddrDecoder.bytes(r.get("saddr"));
        if (sa == null) {
            return;
        }
        boolean littleEndian = SockaddrDecoder.isLittleEndian(event == null ? null : event.first(RecordType.SYSCALL));
        SockaddrDecoder.Decoded d = sockaddrObject ? SockaddrDecoder.object(sa, littleEndian)
                : SockaddrDecoder.text(sa, littleEndian);
        if (d != null) {
            r.add("SADDR", d.value());
            if (d.complete()) {         // drop-raw must not lose bytes SADDR does not show
                translated.add("saddr");
            }
        }
    }

    /** Removes auditd's ENRICHED fields that this instance writes itself. */
    private void removeEnrichedTranslations(Record r) {
        for (int i = r.size() - 1; i >= r.enrichedFrom(); i--) {
            String name = r.name(i);
            boolean ours = (syscalls != null && (name.equals("ARCH") || name.equals("SYSCALL") || name.equals("SADDR")))
                    || (users != null && (name.endsWith("UID") || name.endsWith("GID")));
            // Record.remove drops the first field of that name; only do so when it is this one
            if (ours && r.indexOf(name) == i) {
                if (users != null && (name.endsWith("UID") || name.endsWith("GID"))) {
                    auditdNames.put(name, r.value(i));
                }
                r.remove(name);
            }
        }
    }

    private String upper(String name) {
        String u = upper.get(name);
        if (u == null) {
            u = name.toUpperCase(Locale.ROOT);
            if (upper.size() < MAX_CACHED_NAMES) {      // user-space records may carry any names
                upper.put(name, u);
            }
        }
        return u;
    }

    /** A decimal number (optionally negative) from a bare token or a decimal Number; else NONE. */
    static long decimal(Value v) {
        if (v instanceof Value.Number n) {
            return n.radix() == Value.Radix.DEC ? n.value() : NONE;
        }
        if (!(v instanceof Value.Token t) || t.encoding() != Encoding.BARE) {
            return NONE;
        }
        byte[] b = t.bytes();
        int i = t.offset();
        int end = i + t.length();
        boolean negative = i < end && b[i] == '-';
        if (negative) {
            i++;
        }
        if (i == end || end - i > 18) {
            return NONE;
        }
        long n = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return NONE;
            }
            n = n * 10 + d;
        }
        return negative ? -n : n;
    }

    /**
     * URINGOP's {@code uring_op}: a decimal number, whether hex-decoder made it one (style
     * laurel-0.8) or it is still the token, which the parser marks as hex ({@code 18} are two hex
     * digits) though the kernel writes it in decimal; NONE otherwise.
     */
    static long uringOp(Value v) {
        if (v instanceof Value.Token t) {
            return decimal(new Value.Token(t.bytes(), t.offset(), t.length(), Encoding.BARE));
        }
        return decimal(v);
    }

    /** A hex number as the kernel writes {@code arch} ({@code c000003e}, optionally 0x-prefixed). */
    static long hex(Value v) {
        if (v instanceof Value.Number n) {
            return n.value();
        }
        if (!(v instanceof Value.Token t) || t.encoding() != Encoding.BARE) {
            return NONE;
        }
        byte[] b = t.bytes();
        int i = t.offset();
        int end = i + t.length();
        if (end - i > 2 && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            i += 2;
        }
        if (i == end || end - i > 15) {
            return NONE;
        }
        long n = 0;
        for (; i < end; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                return NONE;
            }
            n = n << 4 | d;
        }
        return n;
    }
}
