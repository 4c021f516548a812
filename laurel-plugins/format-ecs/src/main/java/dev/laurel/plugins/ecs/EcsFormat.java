package dev.laurel.plugins.ecs;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventJson;
import dev.laurel.api.Format;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.EventIds;
import dev.laurel.api.internal.JsonFragment;
import dev.laurel.api.internal.RecordFieldsJson;
import dev.laurel.api.internal.Records;
import dev.laurel.api.internal.SockaddrDecoder;
import dev.laurel.api.internal.ValueBytes;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes an event in the Elastic Common Schema 9.4.0, as nested objects: {@code @timestamp},
 * {@code event.*} (category, type and action from go-libaudit's normalizations), {@code host.name},
 * {@code process.*} with {@code process.parent.*}, {@code user.*}, {@code group.*}, {@code file.*},
 * {@code source.*}/{@code destination.*}, {@code network.*}, {@code container.id}, {@code tags}
 * (the audit key) and {@code labels} (process labels); every record and field without an ECS home
 * is kept under {@code auditd.*}, lower case ({@link AuditdKeys}). docs/format-ecs.md lists every
 * field.
 *
 * <pre>{@code
 * {"@timestamp":"2021-07-18T12:29:23.720Z","event":{"kind":"event","category":["process"],
 *  "type":["start"],"action":"executed","outcome":"success","sequence":348501,...},
 *  "process":{"pid":724395,"name":"perl","executable":"/usr/bin/perl","args":["perl","-e",...],...},
 *  ...,"auditd":{"syscall":{"arch":"0xc000003e",...},"paths":[...]}}
 * }</pre>
 *
 * <p>Values are written by {@link EventJson#fieldValue} where ECS's type is LAUREL's (numbers,
 * text), so nothing is decoded twice; ids ECS types as keyword are written as strings.
 * Not thread-safe (reuses buffers): the engine calls it on the chain's thread.
 */
final class EcsFormat implements Format {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Syscalls whose SOCKADDR is the remote end they reach out to; for the others it is the local or peer address. */
    private static final List<String> OUTGOING = List.of("connect", "sendto", "sendmsg", "sendmmsg");
    private static final List<String> INCOMING = List.of("accept", "accept4", "recvfrom", "recvmsg", "recvmmsg");

    // SYSCALL fields by slot: found in one pass over the record
    private static final int PID = 0;
    private static final int PPID = 1;
    private static final int COMM = 2;
    private static final int EXE = 3;
    private static final int UID = 4;
    private static final int UID_NAME = 5;
    private static final int EUID = 6;
    private static final int EUID_NAME = 7;
    private static final int GID = 8;
    private static final int GID_NAME = 9;
    private static final int SUID = 10;
    private static final int SUID_NAME = 11;
    private static final int SGID = 12;
    private static final int SGID_NAME = 13;
    private static final int KEY = 14;
    private static final int LABELS = 15;
    private static final int EXE_SHA256 = 16;
    private static final int SUCCESS = 17;
    private static final int SYSCALL_NAME = 18;
    private static final int SLOTS = 19;
    /** The slots whose fields have an ECS home, and so are not repeated under auditd.syscall. */
    private static final int MAPPED = (1 << PID) | (1 << PPID) | (1 << COMM) | (1 << EXE) | (1 << UID)
            | (1 << UID_NAME) | (1 << EUID) | (1 << EUID_NAME) | (1 << GID) | (1 << GID_NAME) | (1 << SUID)
            | (1 << SUID_NAME) | (1 << SGID) | (1 << SGID_NAME) | (1 << KEY) | (1 << LABELS) | (1 << EXE_SHA256);
    private static final Map<String, Integer> SYSCALL_SLOTS = Map.ofEntries(
            Map.entry("pid", PID), Map.entry("ppid", PPID), Map.entry("comm", COMM), Map.entry("exe", EXE),
            Map.entry("uid", UID), Map.entry("UID", UID_NAME), Map.entry("euid", EUID), Map.entry("EUID", EUID_NAME),
            Map.entry("gid", GID), Map.entry("GID", GID_NAME), Map.entry("suid", SUID), Map.entry("SUID", SUID_NAME),
            Map.entry("sgid", SGID), Map.entry("SGID", SGID_NAME), Map.entry("key", KEY), Map.entry("LABELS", LABELS),
            Map.entry("EXE_SHA256", EXE_SHA256), Map.entry("success", SUCCESS), Map.entry("SYSCALL", SYSCALL_NAME));

    private final String hostName;
    private final ProcessTable processes;
    private final Normalizations normalizations = Normalizations.DEFAULT;

    // PATH fields by slot ({@link #pathSlots})
    private static final int P_NAME = 0;
    private static final int P_INODE = 1;
    private static final int P_DEV = 2;
    private static final int P_OUID = 3;
    private static final int P_OGID = 4;
    private static final int P_OUID_NAME = 5;
    private static final int P_OGID_NAME = 6;
    private static final int P_MODE = 7;
    private static final int P_NAMETYPE = 8;
    private final FieldSlots pathSlots = new FieldSlots("name", "inode", "dev", "ouid", "ogid", "OUID", "OGID",
            "mode", "nametype");

    // per event, reused: see the class comment
    private final Nesting nest = new Nesting();
    private final AuditdKeys keys = new AuditdKeys();
    private final int[] slots = new int[SLOTS];
    /** The SYSCALL names {@link #slots} were found for, compared by identity. */
    private String[] lastSyscallNames;
    private byte[] lastSyscallBytes;
    private String lastSyscall;
    /** The SYSCALL fields (by index, the first 64) that {@link #MAPPED} slots hold. */
    private long syscallMapped;
    private final byte[] time = new byte[24];
    private final byte[] idText = new byte[EventIds.MAX_LENGTH];
    private long timeDay = Long.MIN_VALUE;
    private byte[] text = new byte[256];
    private final Map<String, String> labelKeys = new HashMap<>();
    /** The LABELS values last written ({@link #writeLabels}) and their keys. */
    private Value[] lastLabels;
    private String[] lastLabelKeys;
    private final RecordType[] lowerTypes = new RecordType[64];
    private final String[] lowerTypeNames = new String[64];
    /** The syscall name {@link #lastRow} is the row of, compared by identity ({@link #syscallName} keeps it while it repeats). */
    private String lastRowSyscall;
    private Normalizations.Row lastRow;

    /**
     * @param hostName  {@code host.name} of events without a node, or null for none
     * @param processes the engine's process table for {@code process.entity_id}, or null
     */
    EcsFormat(String hostName, ProcessTable processes) {
        this.hostName = hostName;
        this.processes = processes;
    }

    /** What one event is made of, found in one pass over its records. */
    private static final class Parts {
        Record syscall;
        Record execve;
        Record cwd;
        Record proctitle;
        Record path;
        Record sockaddr;
        /** A user-space record the event is (USER_START, DAEMON_START, ...): kernel events have none. */
        Record userSpace;
        Record objPid;
        Normalizations.Row row;

        void clear() {
            syscall = null;
            execve = null;
            cwd = null;
            proctitle = null;
            path = null;
            sockaddr = null;
            userSpace = null;
            objPid = null;
            row = null;
        }
    }

    @Override
    public void encode(AuditEvent event, EventJson out) {
        Parts p = parts(event);
        findSlots(p.syscall);
        String syscallName = p.syscall == null ? null : syscallName(p.syscall, slots[SYSCALL_NAME]);
        Normalizations.Row row = p.row != null ? p.row : p.syscall != null ? syscallRow(syscallName) : null;

        List<Value> sigma = sigmaMatches(event);
        nest.reset(out);
        out.startObject();
        out.key("@timestamp");
        writeTime(out, event.id().epochMillis());
        writeEvent(event, out, p, row, syscallName, sigma != null);
        String host = event.node() != null ? event.node() : hostName;
        if (host != null) {
            out.key("host");
            out.startObject();
            out.key("name");
            out.string(host);
            out.endObject();
        }
        writeProcess(event, out, p);
        writeUser(out, p);
        writeFile(out, p.path);
        writeNetwork(out, p, syscallName);
        writeContainer(event, out);
        writeTags(out, p.syscall);
        writeLabels(out, p.syscall);
        writeRule(sigma, out);
        writeAuditd(event, out, p);
        out.endObject();
        p.clear();      // no reference to this event's records is kept
    }

    /**
     * Where the SYSCALL's fields are ({@link #slots}, {@link #syscallMapped}): found by name, or
     * kept from the last SYSCALL if this one has the very same names (the parser shares them).
     */
    private void findSlots(Record sc) {
        if (sc == null) {
            Arrays.fill(slots, -1);
            syscallMapped = 0;
            lastSyscallNames = null;
            return;
        }
        if (Records.sameNames(lastSyscallNames, sc)) {
            return;
        }
        int n = sc.size();
        Arrays.fill(slots, -1);
        syscallMapped = 0;
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = sc.name(i);
            Integer slot = SYSCALL_SLOTS.get(names[i]);
            if (slot != null && slots[slot] < 0) {
                slots[slot] = i;
                if (i < 64 && (MAPPED & (1 << slot)) != 0) {
                    syscallMapped |= 1L << i;
                }
            }
        }
        lastSyscallNames = names;
    }

    /** The normalization of syscall {@code name}, kept while the name is the same String. */
    private Normalizations.Row syscallRow(String name) {
        if (name != lastRowSyscall || name == null) {
            lastRow = normalizations.syscall(name);
            lastRowSyscall = name;
        }
        return lastRow;
    }

    /** The syscall's name (ENRICHED or translate's SYSCALL), the String kept while the bytes repeat. */
    private String syscallName(Record sc, int i) {
        if (i < 0) {
            return null;
        }
        Encoding enc = Records.tokenEncoding(sc, i);
        if (enc == Encoding.BARE) {
            byte[] line = sc.line();
            int off = Records.tokenOffset(sc, i);
            int len = Records.tokenLength(sc, i);
            byte[] last = lastSyscallBytes;
            if (last != null && Arrays.equals(last, 0, last.length, line, off, off + len)) {
                return lastSyscall;
            }
            lastSyscallBytes = Arrays.copyOfRange(line, off, off + len);
            lastSyscall = new String(lastSyscallBytes, StandardCharsets.UTF_8);
            return lastSyscall;
        }
        return text(sc, i);
    }

    /** The event's parts, one object reused: see {@link #parts}. */
    private final Parts parts = new Parts();

    private Parts parts(AuditEvent event) {
        Parts p = parts;
        p.clear();
        List<Record> records = event.records();
        for (int i = 0, n = records.size(); i < n; i++) {
            Record r = records.get(i);
            RecordType t = r.type();
            if (t == RecordType.SYSCALL) {
                p.syscall = p.syscall == null ? r : p.syscall;
            } else if (t == RecordType.EXECVE) {
                p.execve = p.execve == null ? r : p.execve;
            } else if (t == RecordType.CWD) {
                p.cwd = p.cwd == null ? r : p.cwd;
            } else if (t == RecordType.PROCTITLE) {
                p.proctitle = p.proctitle == null ? r : p.proctitle;
            } else if (t == RecordType.PATH) {
                // the object of the call: the first path that is not the directory it is in
                if (p.path == null || isParent(p.path) && !isParent(r)) {
                    p.path = r;
                }
            } else if (t == RecordType.SOCKADDR) {
                p.sockaddr = p.sockaddr == null ? r : p.sockaddr;
            } else if (t == RecordType.OBJ_PID) {
                p.objPid = p.objPid == null ? r : p.objPid;
            } else if (p.row == null) {
                p.row = normalizations.record(t);
            }
            if (i == 0 && t.isUserSpace()) {
                p.userSpace = r;
            }
        }
        if (p.row == null && p.syscall == null && !records.isEmpty()) {
            p.row = normalizations.record(records.get(0).type());
        }
        return p;
    }

    private boolean isParent(Record path) {
        int i = pathSlots.of(path)[P_NAMETYPE];
        return i >= 0 && Records.tokenIs(path, i, "PARENT");
    }

    // --- event.* ---

    private void writeEvent(AuditEvent event, EventJson out, Parts p, Normalizations.Row row, String syscallName,
            boolean sigmaMatched) {
        // ECS: kind "alert" for an event a detection rule outside the stack flagged: the sigma enricher's
        (sigmaMatched ? ALERT_START : EVENT_START).writeTo(out);
        if (row != null) {
            row.members().writeTo(out);     // category, type and action, constant per row
        }
        if (row == null || row.action() == null) {
            // no action in the table: the syscall's name, or the record type's
            String action = syscallName != null ? syscallName
                    : event.records().isEmpty() ? null : lowerCase(event.records().get(0).type());
            if (action != null) {
                out.key("action");
                out.string(action);
            }
        }
        out.key("outcome");
        out.string(outcome(p));
        out.key("sequence");
        out.number(event.id().serial());
        out.key("id");
        writeId(out, event.id());
        out.endObject();
    }

    /** {@code "event":{"kind":"event","module":"auditd"}}, the object left open; and with kind "alert". */
    private static final JsonFragment EVENT_START = eventStart("event");
    private static final JsonFragment ALERT_START = eventStart("alert");

    private static JsonFragment eventStart(String kind) {
        return JsonFragment.of(out -> {
            out.key("event");
            out.startObject();
            out.key("kind");
            out.string(kind);
            out.key("module");
            out.string("auditd");
        });
    }

    /**
     * A name in lower case, kept per String instance (direct-mapped by hash): enrichers' names
     * and their objects' keys are constants, and a map look-up each cost more.
     */
    private String lowerCase(String name) {
        int at = name.hashCode() & (lowerNames.length - 1);
        if (lowerNames[at] != name) {
            lowerNameValues[at] = keys.lower(name);
            lowerNames[at] = name;
        }
        return lowerNameValues[at];
    }

    private final String[] lowerNames = new String[64];
    private final String[] lowerNameValues = new String[64];

    /**
     * Whether {@code name} is {@code constant}: by identity first, as enrichers' names are
     * constants, then the length (inlined, where equals is a call under C1).
     */
    private static boolean is(String name, String constant) {
        return name == constant || name.length() == constant.length() && name.equals(constant);
    }

    /** A record type's name in lower case, kept per type (direct-mapped by number): a map look-up per record cost more. */
    private String lowerCase(RecordType type) {
        int at = type.code() & (lowerTypes.length - 1);
        if (lowerTypes[at] != type) {
            lowerTypeNames[at] = lowerCase(type.name());
            lowerTypes[at] = type;
        }
        return lowerTypeNames[at];
    }

    /** {@code values} as a JSON array of strings. */
    static void strings(EventJson out, String[] values) {
        out.startArray();
        for (String v : values) {
            out.string(v);
        }
        out.endArray();
    }

    /** success=yes/no of the syscall, or res= of a user-space record (a field, or inside its msg). */
    private String outcome(Parts p) {
        if (p.syscall != null && slots[SUCCESS] >= 0) {
            Record sc = p.syscall;
            int i = slots[SUCCESS];
            if (Records.tokenEncoding(sc, i) != null) {
                // the token as parsed, compared in its line: no Token made
                return Records.tokenIs(sc, i, "yes") ? "success" : Records.tokenIs(sc, i, "no") ? "failure" : "unknown";
            }
            Value v = sc.value(i);
            if (v instanceof Value.Token t) {
                return t.is("yes") ? "success" : t.is("no") ? "failure" : "unknown";
            }
        }
        Record r = p.userSpace;
        if (r != null) {
            byte[] res = r.decoded("res");
            if (res == null) {
                res = MsgFields.get(r.decoded("msg"), "res");
            }
            if (res != null) {
                return isSuccess(res) ? "success" : isAny(res, "failed", "failure", "fail", "0") ? "failure" : "unknown";
            }
        }
        return "unknown";
    }

    private static boolean isSuccess(byte[] res) {
        return isAny(res, "success", "yes", "1");
    }

    private static boolean isAny(byte[] b, String... words) {
        for (String w : words) {
            if (w.length() == b.length && w.equals(new String(b, StandardCharsets.ISO_8859_1))) {
                return true;
            }
        }
        return false;
    }

    // --- process.* ---

    private void writeProcess(AuditEvent event, EventJson out, Parts p) {
        Record sc = p.syscall;
        nest.begin("process");
        if (sc != null) {
            field(out, "pid", sc, slots[PID]);
            field(out, "name", sc, slots[COMM]);
            field(out, "executable", sc, slots[EXE]);
        } else if (p.userSpace != null) {
            field(out, "pid", p.userSpace, p.userSpace.indexOf("pid"));
            byte[] exe = MsgFields.get(p.userSpace.decoded("msg"), "exe");
            if (exe != null) {
                nest.key("executable");
                out.string(exe, 0, exe.length);
            }
        }
        if (p.execve != null) {
            int argv = p.execve.indexOf("ARGV");
            field(out, "args", p.execve, argv);
            field(out, "args_count", p.execve, p.execve.indexOf("argc"));
            if (argv >= 0) {
                int n = joined(p.execve.value(argv), false);
                if (n >= 0) {
                    nest.key("command_line");
                    out.string(text, 0, n);
                }
            }
            int env = p.execve.indexOf("ENV");
            if (env >= 0 && p.execve.value(env) instanceof Value.ObjectValue vars && !vars.fields().isEmpty()) {
                writeEnvVars(out, vars);
            }
        }
        if (p.proctitle != null) {
            int title = p.proctitle.indexOf("proctitle");
            int n = title < 0 ? -1 : joined(p.proctitle.value(title), true);
            if (n >= 0) {
                nest.key("title");
                out.string(text, 0, n);
            }
        }
        if (p.cwd != null) {
            field(out, "working_directory", p.cwd, p.cwd.indexOf("cwd"));
        }
        if (sc != null) {
            writeEntityId(event, out, sc);
            keyword(out, "saved_user", "id", sc, slots[SUID], "name", slots[SUID_NAME]);
            keyword(out, "saved_group", "id", sc, slots[SGID], "name", slots[SGID_NAME]);
            int hash = slots[EXE_SHA256];
            if (hash >= 0) {
                nest.begin("hash");
                field(out, "sha256", sc, hash);
                nest.end();
            }
            writeParent(event, out, sc);
        }
        nest.end();
    }

    /** execve-env's EXECVE.ENV as ECS's {@code process.env_vars}: {@code ["NAME=value", ...]} (kept under auditd.execve.env too). */
    private void writeEnvVars(EventJson out, Value.ObjectValue vars) {
        nest.key("env_vars");
        out.startArray();
        for (Map.Entry<String, Value> e : vars.fields().entrySet()) {
            byte[] value = ValueBytes.of(e.getValue());
            if (value == null) {
                continue;
            }
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            int n = append(0, name, name.length);
            n = append(n, (byte) '=');
            n = append(n, value, value.length);
            out.string(text, 0, n);
        }
        out.endArray();
    }

    /** The id of the process's exec event, from the process table (this event, for an execve). */
    private void writeEntityId(AuditEvent event, EventJson out, Record sc) {
        if (processes == null || slots[PID] < 0) {
            return;
        }
        long pid = sc.getLong("pid", -1);
        ProcessInfo info = pid < 0 ? null : processes.get(pid);
        dev.laurel.api.EventId exec = info == null ? null : info.lastExec();    // once: each call makes an EventId
        if (exec != null) {
            nest.key("entity_id");
            writeId(out, exec);
        }
    }

    private void writeParent(AuditEvent event, EventJson out, Record sc) {
        nest.begin("parent");
        field(out, "pid", sc, slots[PPID]);
        if (event.extra("PARENT_INFO") instanceof Value.ObjectValue info) {
            Map<String, Value> f = info.fields();
            member(out, "name", f.get("comm"));
            member(out, "executable", f.get("exe"));
            member(out, "entity_id", f.get("ID"));
        }
        nest.end();
    }

    private void member(EventJson out, String key, Value v) {
        if (v != null && !(v instanceof Value.Null)) {
            nest.key(key);
            out.value(v);
        }
    }

    /** {@code group: {idKey: ..., nameKey: ...}} with the id as a keyword string. */
    private void keyword(EventJson out, String group, String idKey, Record r, int id, String nameKey, int name) {
        if (id < 0 && name < 0) {
            return;
        }
        nest.begin(group);
        keywordField(out, idKey, r, id);
        field(out, nameKey, r, name);
        nest.end();
    }

    /** Field {@code i} as LAUREL writes it, under {@code key}; nothing if {@code i < 0}. */
    private void field(EventJson out, String key, Record r, int i) {
        if (i >= 0) {
            nest.key(key);
            out.fieldValue(r, i);
        }
    }

    /** Field {@code i} as a string (ECS keyword), decoded; nothing if {@code i < 0} or it has no value. */
    private void keywordField(EventJson out, String key, Record r, int i) {
        if (i < 0) {
            return;
        }
        Encoding enc = Records.tokenEncoding(r, i);
        if (enc == Encoding.BARE || enc == Encoding.DOUBLE_QUOTED) {
            // as the parser found it in the line: no copy
            nest.key(key);
            out.string(r.line(), Records.tokenOffset(r, i), Records.tokenLength(r, i));
            return;
        }
        byte[] b = r.decoded(i);
        if (b != null) {
            nest.key(key);
            out.string(b, 0, b.length);
        }
    }

    /**
     * A list of arguments (EXECVE's ARGV) or a command line with NULs between them (a decoded
     * proctitle) as one line with spaces between, in {@link #text}; its length, or -1 if {@code v}
     * has no text.
     */
    private int joined(Value v, boolean nulSeparated) {
        if (v instanceof Value.ListValue list) {
            int n = 0;
            List<Value> items = list.items();
            for (int i = 0, size = items.size(); i < size; i++) {
                Value item = items.get(i);
                if (item instanceof Value.Token t && (t.encoding() == Encoding.BARE || t.encoding() == Encoding.DOUBLE_QUOTED)) {
                    // the token's bytes are its text: copied from its line, not decoded into a new array
                    if (n > 0) {
                        n = append(n, (byte) ' ');
                    }
                    n = append(n, t.bytes(), t.offset(), t.length());
                    continue;
                }
                byte[] b = ValueBytes.of(item);
                if (b == null) {
                    continue;
                }
                if (n > 0) {
                    n = append(n, (byte) ' ');
                }
                n = append(n, b, b.length);
            }
            return n;
        }
        byte[] b = ValueBytes.of(v);
        if (b == null) {
            return -1;
        }
        int len = b.length;
        while (nulSeparated && len > 0 && b[len - 1] == 0) {
            len--;
        }
        int n = append(0, b, len);
        if (nulSeparated) {
            for (int i = 0; i < n; i++) {
                if (text[i] == 0) {
                    text[i] = ' ';
                }
            }
        }
        return n;
    }

    private int append(int n, byte b) {
        if (n == text.length) {
            text = Arrays.copyOf(text, 2 * n);
        }
        text[n] = b;
        return n + 1;
    }

    private int append(int n, byte[] b, int len) {
        return append(n, b, 0, len);
    }

    private int append(int n, byte[] b, int off, int len) {
        if (n + len > text.length) {
            text = Arrays.copyOf(text, Math.max(2 * text.length, n + len));
        }
        System.arraycopy(b, off, text, n, len);
        return n + len;
    }

    // --- user.*, group.* ---

    private void writeUser(EventJson out, Parts p) {
        Record sc = p.syscall;
        if (sc != null) {
            nest.begin("user");
            keywordField(out, "id", sc, slots[UID]);
            field(out, "name", sc, slots[UID_NAME]);
            keyword(out, "effective", "id", sc, slots[EUID], "name", slots[EUID_NAME]);
            nest.end();
            keyword(out, "group", "id", sc, slots[GID], "name", slots[GID_NAME]);
        } else if (p.userSpace != null) {
            Record r = p.userSpace;
            nest.begin("user");
            keywordField(out, "id", r, r.indexOf("uid"));
            field(out, "name", r, r.indexOf("UID"));
            byte[] acct = MsgFields.get(r.decoded("msg"), "acct");
            if (acct != null) {
                nest.begin("effective");
                nest.key("name");
                out.string(acct, 0, acct.length);
                nest.end();
            }
            nest.end();
        }
    }

    // --- file.* ---

    private void writeFile(EventJson out, Record path) {
        if (path == null) {
            return;
        }
        nest.begin("file");
        int[] at = pathSlots.of(path);
        int name = at[P_NAME];
        field(out, "path", path, name);
        if (name >= 0) {
            writeFileName(out, path, name);
        }
        keywordField(out, "inode", path, at[P_INODE]);
        keywordField(out, "device", path, at[P_DEV]);
        keywordField(out, "uid", path, at[P_OUID]);
        keywordField(out, "gid", path, at[P_OGID]);
        field(out, "owner", path, at[P_OUID_NAME]);
        field(out, "group", path, at[P_OGID_NAME]);
        int m = at[P_MODE];
        byte[] mode = m < 0 ? null : path.decoded(m);
        if (mode != null && mode.length >= 4 && isOctal(mode)) {
            nest.key("mode");
            out.string(mode, mode.length - 4, 4);      // permissions and special bits, as ECS's "0640"
            String type = fileType(mode);
            if (type != null) {
                nest.key("type");
                out.string(type);
            }
        }
        nest.end();
    }

    /** {@code file.name}: the path's last part, if it has one after its last slash. */
    private void writeFileName(EventJson out, Record path, int name) {
        byte[] b;
        int off;
        int len;
        Encoding enc = Records.tokenEncoding(path, name);
        if (enc == Encoding.DOUBLE_QUOTED || enc == Encoding.BARE) {
            // the token's bytes are its text: read in the line, no copy
            b = path.line();
            off = Records.tokenOffset(path, name);
            len = Records.tokenLength(path, name);
        } else {
            b = path.decoded(name);
            if (b == null) {
                return;
            }
            off = 0;
            len = b.length;
        }
        int end = off + len;
        int slash = end - 1;
        while (slash >= off && b[slash] != '/') {
            slash--;
        }
        if (slash < end - 1) {
            nest.key("name");
            out.string(b, slash + 1, end - slash - 1);
        }
    }

    private static boolean isOctal(byte[] b) {
        for (byte c : b) {
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }

    /** ECS's file.type from the mode's S_IFMT bits: file, dir or symlink; null for others. */
    private static String fileType(byte[] mode) {
        long m = 0;
        for (byte c : mode) {
            m = m * 8 + (c - '0');
        }
        long fmt = m & 0170000;
        return fmt == 0100000 ? "file" : fmt == 0040000 ? "dir" : fmt == 0120000 ? "symlink" : null;
    }

    // --- source.*, destination.*, network.* ---

    private void writeNetwork(EventJson out, Parts p, String syscallName) {
        if (p.sockaddr == null) {
            return;
        }
        byte[] sa = SockaddrDecoder.bytes(p.sockaddr.get("saddr"));
        if (sa == null || sa.length < 2) {
            return;
        }
        boolean little = SockaddrDecoder.isLittleEndian(p.syscall);
        int family = little ? (sa[0] & 0xff) | (sa[1] & 0xff) << 8 : (sa[0] & 0xff) << 8 | (sa[1] & 0xff);
        boolean incoming = syscallName != null && (INCOMING.contains(syscallName) || syscallName.equals("bind"));
        String side = incoming ? "source" : "destination";
        if (family == 1) {      // AF_UNIX: the socket's path (abstract ones as @name)
            int start = 2;
            boolean abstractName = sa.length > 2 && sa[2] == 0;
            int end = abstractName ? 3 : 2;
            while (end < sa.length && sa[end] != 0) {
                end++;
            }
            if (end > start + (abstractName ? 1 : 0)) {
                out.key(side);
                out.startObject();
                out.key("address");
                if (abstractName) {
                    byte[] name = new byte[end - start];
                    name[0] = '@';
                    System.arraycopy(sa, start + 1, name, 1, end - start - 1);
                    out.string(name, 0, name.length);
                } else {
                    out.string(sa, start, end - start);
                }
                out.endObject();
            }
            return;
        }
        SockaddrDecoder.Endpoint e = SockaddrDecoder.endpoint(sa, little);
        if (e == null) {
            return;
        }
        String ip = SockaddrDecoder.address(e.address());
        out.key(side);
        out.startObject();
        out.key("address");
        out.string(ip);
        out.key("ip");
        out.string(ip);
        out.key("port");
        out.number(e.port());
        out.endObject();
        out.key("network");
        out.startObject();
        out.key("type");
        out.string(e.address().length == 4 ? "ipv4" : "ipv6");
        if (syscallName != null && (OUTGOING.contains(syscallName) || INCOMING.contains(syscallName))) {
            out.key("direction");
            out.string(OUTGOING.contains(syscallName) ? "egress" : "ingress");
        }
        out.endObject();
    }

    // --- container, tags, labels ---

    private void writeContainer(AuditEvent event, EventJson out) {
        if (event.extra("CONTAINER_INFO") instanceof Value.ObjectValue info && info.fields().get("ID") != null) {
            out.key("container");
            out.startObject();
            out.key("id");
            out.value(info.fields().get("ID"));
            out.endObject();
        }
    }

    /** The audit rule's key; several keys (auditd joins them with 0x01) as several tags. */
    private void writeTags(EventJson out, Record sc) {
        int k = sc == null ? -1 : slots[KEY];
        byte[] key = k < 0 ? null : sc.decoded(k);
        if (key == null) {
            return;
        }
        out.key("tags");
        out.startArray();
        int from = 0;
        for (int i = 0; i <= key.length; i++) {
            if (i == key.length || key[i] == 0x01) {
                if (i > from) {
                    out.string(key, from, i - from);
                }
                from = i + 1;
            }
        }
        out.endArray();
    }

    /** Process labels (key-labeler's LABELS) as {@code labels.NAME: "true"}. */
    private void writeLabels(EventJson out, Record sc) {
        int l = sc == null ? -1 : slots[LABELS];
        if (l < 0 || !(sc.value(l) instanceof Value.ListValue list) || list.items().isEmpty()) {
            return;
        }
        List<Value> items = list.items();
        if (!sameItems(items, lastLabels)) {
            lastLabelKeys = labelKeys(items);
            lastLabels = items.toArray(Value[]::new);
        }
        out.key("labels");
        out.startObject();
        for (String key : lastLabelKeys) {
            out.key(key);
            out.string("true");
        }
        out.endObject();
    }

    /** Whether {@code items} are the very values of {@code last}: key-labeler hands the same while the labels are. */
    private static boolean sameItems(List<Value> items, Value[] last) {
        int n = items.size();
        if (last == null || last.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (items.get(i) != last[i]) {
                return false;
            }
        }
        return true;
    }

    /** The keys of labels {@code items}, spelled as {@link AuditdKeys} spells a record's keys. */
    private String[] labelKeys(List<Value> items) {
        keys.clear();
        List<String> spelled = new ArrayList<>(items.size());
        for (Value v : items) {
            byte[] b = ValueBytes.of(v);
            if (b != null) {
                String name = labelKey(new String(b, StandardCharsets.UTF_8));
                keys.add(name);
                spelled.add(keys.spelled(name));
            }
        }
        return spelled.toArray(String[]::new);
    }

    // --- rule.*, threat.* from the sigma enricher ---

    /** Sigma's levels, least severe first. */
    private static final List<String> SIGMA_LEVELS = List.of("informational", "low", "medium", "high", "critical");

    /** The {@code SIGMA} list of the sigma enricher, {@code null} if the event matched no rule. */
    private static List<Value> sigmaMatches(AuditEvent event) {
        return event.extra("SIGMA") instanceof Value.ListValue list && !list.items().isEmpty() ? list.items() : null;
    }

    /**
     * The Sigma rules the event matched: the most severe (the first of equals) as ECS's
     * single-valued {@code rule.*}; the ATT&CK tags of all of them as {@code threat.*} (tactics by
     * name, techniques and sub-techniques by id). The whole list stays under
     * {@code auditd.sigma}, as every enricher's field does.
     */
    private void writeRule(List<Value> matches, EventJson out) {
        if (matches == null) {
            return;
        }
        Map<String, Value> top = null;
        int topLevel = -2;
        Set<String> tactics = new LinkedHashSet<>();
        Set<String> techniques = new LinkedHashSet<>();
        Set<String> subtechniques = new LinkedHashSet<>();
        for (Value m : matches) {
            if (!(m instanceof Value.ObjectValue o)) {
                continue;
            }
            int level = SIGMA_LEVELS.indexOf(text(o.fields().get("level")));
            if (level > topLevel) {
                top = o.fields();
                topLevel = level;
            }
            if (o.fields().get("tags") instanceof Value.ListValue tags) {
                for (Value t : tags.items()) {
                    attackTag(text(t), tactics, techniques, subtechniques);
                }
            }
        }
        if (top == null) {
            return;
        }
        out.key("rule");
        out.startObject();
        ruleField(out, "id", top.get("id"));
        ruleField(out, "name", top.get("title"));
        out.key("ruleset");
        out.string("sigma");
        out.endObject();
        if (tactics.isEmpty() && techniques.isEmpty()) {
            return;
        }
        out.key("threat");
        out.startObject();
        out.key("framework");
        out.string("MITRE ATT&CK");
        if (!tactics.isEmpty()) {
            out.key("tactic");
            out.startObject();
            out.key("name");
            strings(out, tactics.toArray(String[]::new));
            out.endObject();
        }
        if (!techniques.isEmpty()) {
            out.key("technique");
            out.startObject();
            out.key("id");
            strings(out, techniques.toArray(String[]::new));
            if (!subtechniques.isEmpty()) {
                out.key("subtechnique");
                out.startObject();
                out.key("id");
                strings(out, subtechniques.toArray(String[]::new));
                out.endObject();
            }
            out.endObject();
        }
        out.endObject();
    }

    /**
     * Sorts one Sigma tag: a tactic ({@code attack.command-and-control}: "Command and Control",
     * by name, so that tactics ATT&CK adds need no table here), a technique ({@code attack.t1059})
     * or a sub-technique ({@code attack.t1059.004}, its technique too); groups, software and other
     * tags are left out (they stay in {@code auditd.sigma}).
     */
    static void attackTag(String tag, Set<String> tactics, Set<String> techniques, Set<String> subtechniques) {
        if (tag == null || !tag.startsWith("attack.")) {
            return;
        }
        String name = tag.substring("attack.".length()).toLowerCase(Locale.ROOT);
        if (name.matches("t\\d{4}(\\.\\d{3})?")) {
            techniques.add(name.substring(0, 5).toUpperCase(Locale.ROOT));
            if (name.length() > 5) {
                subtechniques.add(name.toUpperCase(Locale.ROOT));
            }
        } else if (name.matches("[a-z]+(-[a-z]+)*") && !name.matches("[gs]\\d+")) {
            StringBuilder words = new StringBuilder();
            for (String w : name.split("-")) {
                words.append(words.length() == 0 ? "" : " ")
                        .append(w.equals("and") || w.equals("of") ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1));
            }
            tactics.add(words.toString());
        }
    }

    private static void ruleField(EventJson out, String key, Value v) {
        String t = text(v);
        if (t != null) {
            out.key(key);
            out.string(t);
        }
    }

    private static String text(Value v) {
        byte[] b = ValueBytes.of(v);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** A label as an ECS label key: no dots (ECS's rule for labels), lower case. */
    private String labelKey(String label) {
        String key = labelKeys.get(label);
        if (key == null) {
            if (labelKeys.size() > 1024) {
                labelKeys.clear();
            }
            key = label.replace('.', '_');
            labelKeys.put(label, key);
        }
        return key;
    }

    // --- auditd.* ---

    /**
     * Every record and enricher field without an ECS home: each record type under its name in
     * lower case ({@code auditd.syscall}, PATH as the list {@code auditd.paths}), an object for one
     * record and a list for several, each field spelled by {@link AuditdKeys}; then the
     * enrichers' top-level fields.
     */
    private void writeAuditd(AuditEvent event, EventJson out, Parts p) {
        nest.begin("auditd");
        // the records and their types in reused arrays: the loops below look at them several
        // times, and an array index is cheaper than an interface call per look under C1
        List<Record> list = event.records();
        int n = list.size();
        if (recordArray.length < n) {
            recordArray = new Record[Math.max(n, 2 * recordArray.length)];
            typeArray = new RecordType[recordArray.length];
        }
        Record[] records = list.toArray(recordArray);
        RecordType[] types = typeArray;
        for (int i = 0; i < n; i++) {
            types[i] = records[i].type();
        }
        try {
            writeAuditdRecords(out, p, records, types, n);
        } finally {
            Arrays.fill(records, 0, n, null);   // no reference to this event's records is kept
        }
        Map<String, Value> extras = event.extras();
        if (!extras.isEmpty()) {
            extrasOut = out;
            extras.forEach(writeExtra);
            extrasOut = null;
        }
        nest.end();
    }

    private Record[] recordArray = new Record[16];
    private RecordType[] typeArray = new RecordType[16];

    private void writeAuditdRecords(EventJson out, Parts p, Record[] records, RecordType[] types, int n) {
        for (int i = 0; i < n; i++) {
            RecordType type = types[i];
            if (type == RecordType.EOE || seenBefore(types, i, type)) {
                continue;
            }
            int count = 1;
            for (int j = i + 1; j < n; j++) {
                count += types[j] == type ? 1 : 0;
            }
            if (count > 1 || type == RecordType.PATH) {
                nest.open();
                out.key(type == RecordType.PATH ? "paths" : lowerCase(type));
                out.startArray();
                for (int j = i; j < n; j++) {
                    if (types[j] == type) {
                        out.startObject();
                        writeFields(out, records[j], p, false);
                        out.endObject();
                    }
                }
                out.endArray();
            } else {
                nest.begin(lowerCase(type));
                writeFields(out, records[i], p, true);
                nest.end();
            }
        }
    }

    private static boolean seenBefore(RecordType[] types, int i, RecordType type) {
        for (int j = 0; j < i; j++) {
            if (types[j] == type) {
                return true;
            }
        }
        return false;
    }

    /** A record's fields without an ECS home; {@code lazy}: through {@link #nest}, so that nothing is written for none. */
    private void writeFields(EventJson out, Record r, Parts p, boolean lazy) {
        String[] spelled = keys.of(r);
        int n = r.size();
        if (n > 64) {
            // more fields than a mask holds (no record auditd writes has so many): one by one
            for (int i = 0; i < n; i++) {
                if (!isMapped(r, i, p)) {
                    if (lazy) {
                        nest.open();
                    }
                    out.key(spelled[i]);
                    out.fieldValue(r, i);
                }
            }
            return;
        }
        long skip = r == p.syscall ? syscallMapped : mappedFields(r, p);
        if (lazy) {
            long all = n == 64 ? -1L : (1L << n) - 1;
            if ((skip & all) == all) {
                return;
            }
            nest.open();
        }
        RecordFieldsJson.write(out, r, spelled, skip);   // one call for the record, not two per field
    }

    /** The fields of {@code r} (at most 64) written to an ECS field as they are, as a mask; not for the SYSCALL. */
    private long mappedFields(Record r, Parts p) {
        if (r != p.execve && r != p.cwd && r != p.userSpace) {
            return 0;
        }
        long mask = 0;
        for (int i = 0, n = r.size(); i < n; i++) {
            if (isMapped(r, i, p)) {
                mask |= 1L << i;
            }
        }
        return mask;
    }

    /** Whether field {@code i} of {@code r} was written to an ECS field as it is. */
    private boolean isMapped(Record r, int i, Parts p) {
        if (r == p.syscall) {
            return i < 64 ? (syscallMapped & (1L << i)) != 0 : isMappedSlot(i);
        }
        if (r == p.execve) {
            String name = r.name(i);
            return name.equals("ARGV") || name.equals("argc");
        }
        if (r == p.cwd) {
            return r.name(i).equals("cwd");
        }
        if (r == p.userSpace && p.syscall == null) {
            String name = r.name(i);
            return name.equals("pid") || name.equals("uid") || name.equals("UID");
        }
        return false;
    }

    private boolean isMappedSlot(int i) {
        for (int s = 0; s < SLOTS; s++) {
            if (slots[s] == i) {
                return (MAPPED & (1 << s)) != 0;
            }
        }
        return false;
    }

    /** The writer {@link #writeExtra} writes to while it is called. */
    private EventJson extrasOut;
    /** {@link #writeExtra(EventJson, String, Value)} on {@link #extrasOut}: made once, as a lambda per event allocated one. */
    private final java.util.function.BiConsumer<String, Value> writeExtra = (name, value) -> writeExtra(extrasOut, name, value);

    /** Whether {@link #writeMember} writes PARENT_INFO's members (else CONTAINER_INFO's). */
    private boolean memberParent;
    /** A member of PARENT_INFO or CONTAINER_INFO that has no ECS home, to {@link #extrasOut}; made once. */
    private final java.util.function.BiConsumer<String, Value> writeMember = (k, v) -> {
        boolean mapped = memberParent ? is(k, "comm") || is(k, "exe") || is(k, "ID") : is(k, "ID");
        if (!mapped) {
            nest.key(lowerCase(k));
            extrasOut.value(v);
        }
    };

    private void writeExtra(EventJson out, String name, Value value) {
        String key = lowerCase(name);
        boolean parent = is(name, "PARENT_INFO");
        if (value instanceof Value.ObjectValue o && (parent || is(name, "CONTAINER_INFO"))) {
            // what went to process.parent.* or container.id is not repeated
            nest.begin(key);
            memberParent = parent;
            // forEach, not the entry set: an unmodifiable map's entries are each wrapped anew
            o.fields().forEach(writeMember);
            nest.end();
            return;
        }
        nest.open();
        out.key(key);
        out.value(value);
    }

    /** {@code SECONDS.MILLIS:SERIAL} as EventId writes it, without a String. */
    private void writeId(EventJson out, dev.laurel.api.EventId id) {
        out.string(idText, 0, EventIds.write(id, idText, 0));
    }

    // --- @timestamp ---

    /** {@code 2021-07-18T12:29:23.720Z}, the date part made once a day. */
    private void writeTime(EventJson out, long millis) {
        long day = Math.floorDiv(millis, 86_400_000L);
        if (day != timeDay) {
            String date = LocalDate.ofEpochDay(day).toString();     // yyyy-mm-dd for years 0-9999
            byte[] d = date.getBytes(StandardCharsets.US_ASCII);
            if (d.length != 10) {
                out.string(java.time.Instant.ofEpochMilli(millis).toString());
                return;
            }
            System.arraycopy(d, 0, time, 0, 10);
            time[10] = 'T';
            time[13] = ':';
            time[16] = ':';
            time[19] = '.';
            time[23] = 'Z';
            timeDay = day;
        }
        int ms = (int) Math.floorMod(millis, 86_400_000L);
        two(11, ms / 3_600_000);
        two(14, ms / 60_000 % 60);
        two(17, ms / 1000 % 60);
        int frac = ms % 1000;
        time[20] = (byte) ('0' + frac / 100);
        time[21] = (byte) ('0' + frac / 10 % 10);
        time[22] = (byte) ('0' + frac % 10);
        out.string(time, 0, 24);
    }

    private void two(int at, int v) {
        time[at] = HEX[v / 10];
        time[at + 1] = HEX[v % 10];
    }

    /** Field {@code i} as a Java string, or null. */
    private static String text(Record r, int i) {
        if (i < 0) {
            return null;
        }
        byte[] b = r.decoded(i);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ecs";
    }
}
