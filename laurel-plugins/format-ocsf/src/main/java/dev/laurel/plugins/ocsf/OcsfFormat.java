package dev.laurel.plugins.ocsf;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventJson;
import dev.laurel.api.Format;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.EventId;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.internal.EventIds;
import dev.laurel.api.internal.JsonFragment;
import dev.laurel.api.internal.RecordFieldsJson;
import dev.laurel.api.internal.Records;
import dev.laurel.api.internal.ValueBytes;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes an event as one OCSF 1.8.0 event (docs/format-ocsf.md): the class and activity from
 * {@link OcsfClass}, then {@code time}, {@code metadata}, {@code device}, {@code actor}, the class's
 * own attributes ({@code process} with its {@code parent_process}, {@code file},
 * {@code dst_endpoint}, {@code user}), and under {@code unmapped} every record field and enricher
 * field that no attribute holds, as the laurel format writes it (so nothing is lost).
 *
 * <p>Values are written through {@link EventJson#fieldValue} where an attribute holds a field as
 * it is, so hex decoding and escaping are the laurel format's; such a field is then left out of
 * {@code unmapped}, as is one an attribute holds with the same text (a uid as OCSF's string
 * {@code "0"}, {@code ses} as the session's uid, {@code exit} as {@code status_code}). What an
 * attribute holds in a derived form (a joined command line, a path made absolute, {@code success}
 * as {@code status_id}) stays in {@code unmapped} as well.
 *
 * <p>Configured once; the per-event state lives in a {@link Writer} each thread reuses.
 */
final class OcsfFormat implements Format {
    static final String SCHEMA_VERSION = "1.8.0";

    private static final byte[] SCHEMA_VERSION_UTF8 = OcsfClass.utf8(SCHEMA_VERSION);
    private static final byte[] LAUREL = OcsfClass.utf8("laurel");
    private static final byte[] HOST = OcsfClass.utf8("host");
    private static final byte[] LINUX_USERS = OcsfClass.utf8("linux/linux_users");
    private static final byte[] INFORMATIONAL = OcsfClass.utf8("Informational");
    private static final byte[] SUCCESS = OcsfClass.utf8("Success");
    private static final byte[] FAILURE = OcsfClass.utf8("Failure");
    private static final byte[] UNKNOWN = OcsfClass.utf8("Unknown");
    private static final byte[] EXEC = OcsfClass.utf8("Exec");
    private static final byte[] FORK = OcsfClass.utf8("Fork");
    /** An Authentication's dst_endpoint when the host has no name: it needs a hostname or another id. */
    private static final byte[] LOCALHOST = OcsfClass.utf8("localhost");

    private final byte[] productVersion;
    private final byte[] hostname;
    private final boolean captions;
    /** The engine's process table, for a parent no parent-info enricher described; null without one. */
    private final ProcessTable processes;

    /**
     * @param captions whether to write OCSF's optional captions beside their ids (class_name,
     *                 category_name, type_name, severity, status, launch_type, a file's type, ...);
     *                 activity_name is always written, as it names an Other activity
     */
    OcsfFormat(String productVersion, String hostname, boolean captions) {
        this(productVersion, hostname, captions, null);
    }

    OcsfFormat(String productVersion, String hostname, boolean captions, ProcessTable processes) {
        this.processes = processes;
        this.productVersion = OcsfClass.utf8(productVersion);
        this.metadataStart = metadataStart(this.productVersion);
        this.hostname = hostname == null ? null : OcsfClass.utf8(hostname);
        this.captions = captions;
    }

    /** {@code "metadata":{"version":...,"product":{...},"profiles":[...]}, the object left open: the same for every event. */
    private final JsonFragment metadataStart;

    private static JsonFragment metadataStart(byte[] productVersion) {
        return JsonFragment.of(out -> {
            out.key("metadata");
            out.startObject();
            out.key("version");
            Writer.string(out, SCHEMA_VERSION_UTF8);
            out.key("product");
            out.startObject();
            out.key("name");
            Writer.string(out, LAUREL);
            out.key("vendor_name");
            Writer.string(out, LAUREL);
            out.key("version");
            Writer.string(out, productVersion);
            out.endObject();
            out.key("profiles");
            out.startArray();
            Writer.string(out, HOST);
            Writer.string(out, LINUX_USERS);
            out.endArray();
        });
    }

    /** Each thread's writer, reused from event to event (the hot path allocates as little as it can). */
    private final ThreadLocal<Writer> writers = ThreadLocal.withInitial(Writer::new);

    @Override
    public void encode(AuditEvent event, EventJson out) {
        Writer w = writers.get();
        try {
            w.start(event, out);
            w.write();
        } finally {
            w.event = null;     // no reference to the event is kept
            w.out = null;
            java.util.Arrays.fill(w.recs, 0, w.recordCount, null);
        }
    }

    @Override
    public String toString() {
        return "ocsf";
    }

    /** One event being written: its records, and which of their fields an attribute holds. */
    private final class Writer {
        private AuditEvent event;
        private EventJson out;
        /**
         * The event's records in a reused array (an array index is cheaper than an interface call
         * per look under C1, and the writer looks at them many times); null past {@link #recordCount}.
         */
        private Record[] recs = new Record[16];
        private int recordCount;
        /** Per record, a bit per field (the first 64) that an attribute holds as it is. */
        private long[] mapped = new long[16];
        private int syscall;
        private int cwd;
        private int execve;
        private int proctitle;
        /** The SYSCALL record and where its fields are (-1: absent), found in one pass. */
        private Record sc;
        private int scPid;
        private int scPpid;
        private int scUid;
        private int scUidName;
        private int scGid;
        private int scGidName;
        private int scAuid;
        private int scAuidName;
        private int scEuid;
        private int scEgid;
        private int scComm;
        private int scExe;
        private int scExit;
        private int scSuccess;
        private int scKey;
        private int scSes;
        private int scName;
        private int scArch;
        private int scNr;
        private int scOwnExec;
        private int scParent;
        /** Scratch: the event id's text, a command line, field name hashes. */
        private final byte[] id = new byte[EventIds.MAX_LENGTH];
        private final byte[] scratchId = new byte[EventIds.MAX_LENGTH];
        private int idLength;
        private byte[] scratch = new byte[256];
        private final int[] stamps = new int[NAME_SLOTS];
        private final int[] slotHashes = new int[NAME_SLOTS];
        private final int[] slotFields = new int[NAME_SLOTS];
        private int stampCount;
        /** The names of the last record without repeated names, per slot (direct-mapped by record type number). */
        private final String[][] distinctNames = new String[64][];

        /** An enricher's field under unmapped: made once, as a lambda per event allocated one. */
        private final java.util.function.BiConsumer<String, Value> writeExtra = (key, value) -> {
            out.key(key);
            out.value(value);
        };

        void start(AuditEvent event, EventJson out) {
            this.event = event;
            this.out = out;
            List<Record> list = event.records();
            int n = list.size();
            if (recs.length < n) {
                recs = new Record[Math.max(n, 2 * recs.length)];
            }
            recs = list.toArray(recs);
            recordCount = n;
            if (mapped.length < n) {
                mapped = new long[Math.max(n, 2 * mapped.length)];
            }
            java.util.Arrays.fill(mapped, 0, n, 0L);
            syscall = cwd = execve = proctitle = -1;
            sc = null;
            idLength = EventIds.write(event.id(), id, 0);
            for (int i = 0; i < recordCount; i++) {
                RecordType t = recs[i].type();
                if (t == RecordType.SYSCALL && syscall < 0) {
                    syscall = i;
                } else if (t == RecordType.CWD && cwd < 0) {
                    cwd = i;
                } else if (t == RecordType.EXECVE && execve < 0) {
                    execve = i;
                } else if (t == RecordType.PROCTITLE && proctitle < 0) {
                    proctitle = i;
                }
            }
            if (syscall >= 0) {
                findSyscallFields(recs[syscall]);
            }
        }

        /** The SYSCALL names the sc* places were last found for, compared by identity. */
        private String[] lastSyscallNames;

        /** One pass over the SYSCALL's names, which the parser interns (as are the literals here). */
        private void findSyscallFields(Record r) {
            sc = r;
            // the very names of the last SYSCALL (the parser shares them, line after line): the same places
            if (Records.sameNames(lastSyscallNames, r)) {
                return;
            }
            lastSyscallNames = Records.names(r);
            scPid = scPpid = scUid = scUidName = scGid = scGidName = scAuid = scAuidName = scEuid = scEgid = -1;
            scComm = scExe = scExit = scSuccess = scKey = scSes = scName = scArch = scNr = scOwnExec = scParent = -1;
            for (int k = r.size() - 1; k >= 0; k--) {      // backwards: the first of a repeated name wins
                String n = r.name(k);
                switch (n.length()) {
                    case 2 -> {
                        // a0..a3 are folded into ARGV; nothing of two letters is mapped
                    }
                    case 3 -> {
                        if (n == "pid") {
                            scPid = k;
                        } else if (n == "uid") {
                            scUid = k;
                        } else if (n == "gid") {
                            scGid = k;
                        } else if (n == "UID") {
                            scUidName = k;
                        } else if (n == "GID") {
                            scGidName = k;
                        } else if (n == "exe") {
                            scExe = k;
                        } else if (n == "ses") {
                            scSes = k;
                        } else if (n == "key") {
                            scKey = k;
                        } else if (n == "PID") {
                            scOwnExec = k;
                        }
                    }
                    case 4 -> {
                        if (n == "ppid") {
                            scPpid = k;
                        } else if (n == "auid") {
                            scAuid = k;
                        } else if (n == "euid") {
                            scEuid = k;
                        } else if (n == "egid") {
                            scEgid = k;
                        } else if (n == "comm") {
                            scComm = k;
                        } else if (n == "exit") {
                            scExit = k;
                        } else if (n == "AUID") {
                            scAuidName = k;
                        } else if (n == "arch") {
                            scArch = k;
                        } else if (n == "PPID") {
                            scParent = k;
                        }
                    }
                    case 7 -> {
                        if (n == "success") {
                            scSuccess = k;
                        } else if (n == "syscall") {
                            scNr = k;
                        } else if (n == "SYSCALL") {
                            scName = k;
                        }
                    }
                    default -> {
                    }
                }
            }
        }

        // OcsfClass.ofRecord per record type, direct-mapped by type number: a map look-up by name per record cost more
        private final RecordType[] classTypes = new RecordType[64];
        private final OcsfClass[] classes = new OcsfClass[64];

        private OcsfClass recordClass(RecordType type) {
            int at = type.code() & (classTypes.length - 1);
            if (classTypes[at] != type) {
                classes[at] = OcsfClass.ofRecord(type.name());
                classTypes[at] = type;
            }
            return classes[at];
        }

        void write() {
            int account = -1;
            OcsfClass c = null;
            for (int i = 0; i < recordCount && c == null; i++) {
                c = recordClass(recs[i].type());
                if (c != null) {
                    account = i;
                }
            }
            int path = -1;
            SockaddrEndpoint endpoint = null;
            if (c == null && syscall >= 0) {
                String name = syscallName();
                c = OcsfClass.ofSyscall(name);
                if (c.body() == OcsfClass.Body.FILE) {
                    path = filePath();
                    if (path < 0) {
                        c = OcsfClass.base(name);
                    }
                } else if (c.body() == OcsfClass.Body.NETWORK) {
                    int sockaddr = first(RecordType.SOCKADDR);
                    endpoint = sockaddr < 0 ? null : SockaddrEndpoint.of(recs[sockaddr], sc);
                    if (endpoint == null) {      // netlink, unnamed: no endpoint to name
                        c = OcsfClass.base(name);
                    }
                }
            }
            if (c == null) {
                c = OcsfClass.base(recordCount == 0 ? "UNKNOWN" : recs[0].type().name());
            }
            out.startObject();
            classification(c);
            status(account);
            out.key("time");
            out.number(event.id().epochMillis());
            metadata();
            device();
            switch (c.body()) {
                case EXEC -> exec();
                case FORK -> fork();
                case TARGET -> target();
                case SELF -> self();
                case FILE -> file(path);
                case NETWORK -> network(endpoint, c.direction());
                case ACCOUNT -> account(account, c.classUid() == 3001);
                case BASE -> base();
            }
            unmapped();
            out.endObject();
        }

        // ---- classification, status, metadata, device ----

        private void classification(OcsfClass c) {
            // constant per class: written in one call (JsonFragment), made the first time
            int at = captions ? 1 : 0;
            JsonFragment f = c.fragments()[at];
            if (f == null) {
                f = JsonFragment.of(o -> classification(o, c, captions));
                c.fragments()[at] = f;
            }
            f.writeTo(out);
        }

        private static void classification(EventJson out, OcsfClass c, boolean captions) {
            out.key("class_uid");
            out.number(c.classUid());
            if (captions) {
                out.key("class_name");
                string(out, c.utf8()[0]);
            }
            out.key("category_uid");
            out.number(c.categoryUid());
            if (captions) {
                out.key("category_name");
                string(out, c.utf8()[1]);
            }
            out.key("activity_id");
            out.number(c.activityId());
            out.key("activity_name");
            string(out, c.utf8()[2]);
            out.key("type_uid");
            out.number(c.typeUid());
            if (captions) {
                out.key("type_name");
                string(out, c.utf8()[3]);
            }
            out.key("severity_id");
            out.number(1);
            if (captions) {
                out.key("severity");
                string(out, INFORMATIONAL);
            }
        }

        /** success=yes/no of a syscall; res=success/failed (or 1/0) of a user-space record. */
        private void status(int account) {
            int status = 0;
            if (syscall >= 0 && scSuccess >= 0) {
                status = isText(sc, scSuccess, "yes") ? 1 : isText(sc, scSuccess, "no") ? 2 : 0;
            }
            if (account >= 0) {
                Record r = recs[account];
                byte[] res = r.decoded("res");
                if (res == null) {
                    String inMsg = message(r) == null ? null : message(r).get("res");
                    res = inMsg == null ? null : inMsg.getBytes(StandardCharsets.UTF_8);
                }
                if (res != null) {
                    status = is(res, "success") || is(res, "1") ? 1 : is(res, "failed") || is(res, "0") ? 2 : status;
                }
            }
            out.key("status_id");
            out.number(status);
            if (captions) {
                out.key("status");
                text(status == 1 ? SUCCESS : status == 2 ? FAILURE : UNKNOWN);
            }
            if (syscall >= 0 && has(sc, scExit)) {
                out.key("status_code");
                asString(sc, scExit);
                mark(syscall, scExit);
            }
        }

        private void metadata() {
            metadataStart.writeTo(out);     // constant: one call
            out.key("uid");
            out.string(id, 0, idLength);
            out.key("original_time");
            int colon = 0;
            while (id[colon] != ':') {
                colon++;
            }
            out.string(id, 0, colon);
            if (syscall >= 0) {
                int key = scKey;
                if (has(sc, key)) {
                    out.key("labels");
                    out.startArray();
                    out.fieldValue(sc, key);
                    out.endArray();
                    mark(syscall, key);
                }
            }
            out.endObject();
        }

        private void device() {
            out.key("device");
            out.startObject();
            if (event.node() != null) {
                out.key("hostname");
                out.string(event.node());
            } else if (hostname != null) {
                out.key("hostname");
                text(hostname);
            }
            out.key("type_id");
            out.number(0);
            out.endObject();
        }

        // ---- class bodies ----

        /** execve: the new image is {@code process}; its parent acts. */
        private void exec() {
            if (syscall < 0) {
                return;
            }
            out.key("launch_type_id");
            out.number(3);
            if (captions) {
                out.key("launch_type");
                text(EXEC);
            }
            out.key("actor");
            out.startObject();
            out.key("process");
            parentProcess(false);     // in full as process.parent_process
            actorUser();
            out.endObject();
            out.key("process");
            subjectProcess(true);
        }

        /** fork, clone: the child (the syscall's exit value) is {@code process}, the caller its parent. */
        private void fork() {
            long child = num(sc, scExit);
            out.key("launch_type_id");
            out.number(2);
            if (captions) {
                out.key("launch_type");
                text(FORK);
            }
            actor(false);
            out.key("process");
            if (child > 0 && child <= Integer.MAX_VALUE) {
                out.startObject();
                out.key("pid");
                out.fieldValue(sc, scExit);
                mark(syscall, scExit);
                out.key("parent_process");
                subjectProcess(false);
                out.endObject();
            } else {
                subjectProcess(false);
            }
        }

        /** kill, ptrace: the caller acts on the target process (OBJ_PID). */
        private void target() {
            actor(true);
            int obj = first(RecordType.OBJ_PID);
            out.key("process");
            if (obj >= 0) {
                targetProcess(obj);
                return;
            }
            long pid = hexArg(sc, 0);
            if (syscallName().equals("ptrace")) {
                pid = hexArg(sc, 1);
            }
            if (pid > 0 && pid <= Integer.MAX_VALUE) {
                out.startObject();
                out.key("pid");
                out.number(pid);
                out.endObject();
            } else {
                subjectProcess(false);
            }
        }

        /** exit_group, the setuid family: the caller is the process the activity is about. */
        private void self() {
            actor(false);
            out.key("process");
            subjectProcess(false);
        }

        private void file(int path) {
            actor(true);
            out.key("file");
            fileObject(path);
        }

        private void network(SockaddrEndpoint endpoint, int direction) {
            actor(true);
            boolean inbound = direction == 1;
            // connect, send: the address is the destination; accept, recv: the source;
            // bind, listen: the local endpoint, which inbound traffic is destined to
            String name = syscallName();
            boolean source = inbound && !name.equals("bind") && !name.equals("listen");
            out.key(source ? "src_endpoint" : "dst_endpoint");
            endpoint.write(out);
            out.key("connection_info");
            out.startObject();
            out.key("direction_id");
            out.number(endpoint.isLocal() ? 4 : direction);
            if (captions) {
                out.key("direction");
                out.string(endpoint.isLocal() ? "Local" : inbound ? "Inbound" : "Outbound");
            }
            if (!endpoint.isLocal()) {
                out.key("protocol_ver_id");
                out.number(endpoint.isIpv4() ? 4 : 6);
                if (captions) {
                    out.key("protocol_ver");
                    out.string(endpoint.isIpv4() ? "Internet Protocol version 4 (IPv4)" : "Internet Protocol version 6 (IPv6)");
                }
            }
            out.endObject();
        }

        /** Authentication or Account Change: the account is {@code user}; the process that reported it acts. */
        private void account(int at, boolean accountChange) {
            Record r = recs[at];
            UserMessage msg = message(r);
            if (syscall >= 0) {
                actor(true);
            } else {
                out.key("actor");
                out.startObject();
                out.key("process");
                out.startObject();
                writeInt(at, "pid", "pid");
                String exe = msg == null ? null : msg.get("exe");
                if (exe != null) {
                    out.key("file");
                    fileOfPath(exe);
                }
                if (present(r, "uid") || present(r, "UID")) {
                    out.key("user");
                    idObject(at, "uid", "UID");
                }
                out.endObject();
                if (present(r, "auid") || present(r, "AUID")) {
                    out.key("user");
                    idObject(at, "auid", "AUID");
                }
                session(at, r.indexOf("ses"), msg);
                out.endObject();
            }
            out.key("user");
            String acct = msg == null ? null : msg.account();
            String id = msg == null ? null : msg.get("id");
            if (acct != null || id != null) {
                out.startObject();
                if (acct != null) {
                    out.key("name");
                    out.string(acct);
                }
                if (id != null) {
                    out.key("uid");
                    out.string(id);
                }
                out.endObject();
            } else if (present(r, "auid") || present(r, "AUID")) {
                idObject(at, "auid", "AUID");     // LOGIN: the login uid set
            } else {
                idObject(at, "uid", "UID");
            }
            if (!accountChange) {
                // the host logged in to or authenticated on: this one
                out.key("dst_endpoint");
                out.startObject();
                if (event.node() != null) {
                    out.key("hostname");
                    out.string(event.node());
                } else {
                    out.key("hostname");
                    text(hostname != null ? hostname : LOCALHOST);
                }
                out.endObject();
                String addr = msg == null ? null : msg.get("addr");
                String host = msg == null ? null : msg.get("hostname");
                if (addr != null && isIp(addr) || host != null) {
                    out.key("src_endpoint");
                    out.startObject();
                    if (addr != null && isIp(addr)) {
                        out.key("ip");
                        out.string(addr);
                    }
                    if (host != null) {
                        out.key("hostname");
                        out.string(host);
                    }
                    out.endObject();
                }
                String op = msg == null ? null : msg.get("op");
                if (op != null) {
                    out.key("status_detail");
                    out.string(op);
                }
            }
        }

        /** Base Event: the caller as actor, if a SYSCALL names one, or a user-space record's pid. */
        private void base() {
            if (syscall >= 0) {
                actor(true);
                return;
            }
            if (recordCount == 0) {
                return;
            }
            Record r = recs[0];
            long pid = num(r, r.indexOf("pid"));
            if (pid < 0 || pid > Integer.MAX_VALUE) {
                return;
            }
            out.key("actor");
            out.startObject();
            out.key("process");
            out.startObject();
            writeInt(0, "pid", "pid");
            if (present(r, "uid") || present(r, "UID")) {
                out.key("user");
                idObject(0, "uid", "UID");
            }
            out.endObject();
            out.endObject();
        }

        // ---- actor, processes, users ----

        /** {@code actor}: the caller's process (if {@code withProcess}) and its login user. */
        private void actor(boolean withProcess) {
            out.key("actor");
            out.startObject();
            if (withProcess) {
                out.key("process");
                subjectProcess(false);
            }
            actorUser();
            out.endObject();
        }

        /** {@code actor.user}: the login user (auid), and the audit session. */
        private void actorUser() {
            if (has(sc, scAuid) || has(sc, scAuidName)) {
                out.key("user");
                idObject(syscall, scAuid, scAuidName);
            }
            session(syscall, scSes, null);
        }

        /** {@code session}: the audit session ({@code ses}, unless unset) and a message's terminal. */
        private void session(int at, int field, UserMessage msg) {
            Record r = recs[at];
            long ses = num(r, field);
            String terminal = msg == null ? null : msg.get("terminal");
            boolean set = ses >= 0 && ses != UNSET_ID;
            if (!set && terminal == null) {
                return;
            }
            out.key("session");
            out.startObject();
            if (set) {
                out.key("uid");
                asString(r, field);
                mark(at, field);
            }
            if (terminal != null) {
                out.key("terminal");
                out.string(terminal);
            }
            out.endObject();
        }

        /**
         * The SYSCALL's process: pid, name (comm), file (exe), command line (EXECVE's arguments, or
         * PROCTITLE's), working directory, user and group, the linux_users profile's ids, and its parent.
         */
        private void subjectProcess(boolean launched) {
            out.startObject();
            writeInt(syscall, scPid, "pid");
            if (launched) {
                out.key("uid");
                out.string(id, 0, idLength);
            } else if (scOwnExec >= 0 && sc.value(scOwnExec) instanceof Value.ObjectValue o
                    && o.fields().get("EVENT_ID") instanceof Value.Text t) {
                out.key("uid");     // parent-info's laurel style: the process's last exec
                out.value(t);
            }
            writeText(syscall, scComm, "name");
            commandLine(launched);
            if (has(sc, scExe)) {
                out.key("file");
                out.startObject();
                out.key("name");
                if (span(sc, scExe)) {
                    int slash = lastSlash(spanBytes, spanOffset, spanLength);
                    out.string(spanBytes, slash + 1, spanOffset + spanLength - slash - 1);
                } else {
                    out.string("");
                }
                out.key("path");
                out.fieldValue(sc, scExe);
                mark(syscall, scExe);
                out.key("type_id");
                out.number(1);
                out.endObject();
            }
            if (cwd >= 0) {
                Record c = recs[cwd];
                writeText(cwd, c.indexOf("cwd"), "working_directory");
            }
            if (has(sc, scUid) || has(sc, scUidName)) {
                out.key("user");
                idObject(syscall, scUid, scUidName);
            }
            if (has(sc, scGid) || has(sc, scGidName)) {
                out.key("group");
                idObject(syscall, scGid, scGidName);
            }
            writeInt(syscall, scAuid, "auid");
            writeInt(syscall, scEuid, "euid");
            writeInt(syscall, scEgid, "egid");
            out.key("parent_process");
            parentProcess(true);
            out.endObject();
        }

        /**
         * The parent: ppid, and what parent-info knows of it (PARENT_INFO, or SYSCALL.PPID in LAUREL's
         * style): in {@code full} its file and its own parent too, else its uid and name.
         */
        private void parentProcess(boolean full) {
            Map<String, Value> info = null;
            if (event.extra("PARENT_INFO") instanceof Value.ObjectValue o) {
                info = o.fields();
            } else if (scParent >= 0 && sc.value(scParent) instanceof Value.ObjectValue o) {
                info = o.fields();
            }
            out.startObject();
            writeInt(syscall, scPpid, "pid");
            if (info != null) {
                knownProcess(info, info.containsKey("ID") ? info.get("ID") : info.get("EVENT_ID"), true, full);
            } else if (processes != null) {
                long ppid = num(sc, scPpid);
                ProcessInfo parent = ppid < 0 ? null : processes.get(ppid);
                if (parent != null) {
                    tableProcess(parent, full);
                }
            }
            out.endObject();
        }

        /** What the engine's process table knows of a process, when no parent-info enricher said it. */
        private void tableProcess(ProcessInfo p, boolean full) {
            dev.laurel.api.EventId exec = p.lastExec();     // once: each call makes an EventId
            if (exec != null) {
                out.key("uid");
                int n = EventIds.write(exec, scratchId, 0);
                out.string(scratchId, 0, n);
            }
            byte[] comm = p.comm();
            if (comm != null) {
                out.key("name");
                out.string(comm, 0, comm.length);
            }
            if (!full) {
                return;
            }
            byte[] exe = p.exe();
            if (exe != null) {
                out.key("file");
                out.startObject();
                out.key("name");
                int slash = lastSlash(exe, 0, exe.length);
                out.string(exe, slash + 1, exe.length - slash - 1);
                out.key("path");
                out.string(exe, 0, exe.length);
                out.key("type_id");
                out.number(1);
                out.endObject();
            }
            if (p.ppid() > 0 && p.ppid() <= Integer.MAX_VALUE) {
                out.key("parent_process");
                out.startObject();
                out.key("pid");
                out.number(p.ppid());
                out.endObject();
            }
        }

        /**
         * What parent-info knows of a process (PARENT_INFO, PPID, OPID): uid (its last exec's event
         * id), name (comm), file (exe), and its parent's pid.
         */
        private void knownProcess(Map<String, Value> info, Value execId, boolean withName, boolean full) {
            if (execId instanceof Value.Text) {
                out.key("uid");
                out.value(execId);
            }
            Value comm = info.get("comm");
            if (withName && comm instanceof Value.Text) {
                out.key("name");
                out.value(comm);
            }
            if (!full) {
                return;
            }
            if (info.get("exe") instanceof Value.Text exe) {
                out.key("file");
                fileOfPath(exe);
            }
            if (info.get("ppid") instanceof Value.Number n && n.value() > 0 && n.value() <= Integer.MAX_VALUE) {
                out.key("parent_process");
                out.startObject();
                out.key("pid");
                out.number(n.value());
                out.endObject();
            }
        }

        /** An OBJ_PID record's process: opid, ocomm, its user and login user, and parent-info's OPID. */
        private void targetProcess(int obj) {
            Record r = recs[obj];
            out.startObject();
            writeInt(obj, r.indexOf("opid"), "pid");
            if (r.get("OPID") instanceof Value.ObjectValue o) {
                knownProcess(o.fields(), o.fields().get("ID"), false, true);
            }
            writeText(obj, r.indexOf("ocomm"), "name");
            int ouid = r.indexOf("ouid");
            int ouidName = r.indexOf("OUID");
            if (has(r, ouid) || has(r, ouidName)) {
                out.key("user");
                idObject(obj, ouid, ouidName);
            }
            writeInt(obj, r.indexOf("oauid"), "auid");
            int oses = r.indexOf("oses");
            long ses = num(r, oses);
            if (ses >= 0 && ses != UNSET_ID) {
                out.key("session");
                out.startObject();
                out.key("uid");
                asString(r, oses);
                mark(obj, oses);
                out.endObject();
            }
            out.endObject();
        }

        /** A user or group: {@code uid} (OCSF's is a string) and {@code name} (the ENRICHED name). */
        private void idObject(int at, int idField, int nameField) {
            Record r = recs[at];
            out.startObject();
            boolean id = has(r, idField);
            if (id) {
                out.key("uid");
                asString(r, idField);
                mark(at, idField);
            }
            boolean name = writeText(at, nameField, "name");
            if (!id && !name) {
                out.key("uid");
                out.string("");
            }
            out.endObject();
        }

        private void idObject(int at, String idField, String nameField) {
            Record r = recs[at];
            idObject(at, r.indexOf(idField), r.indexOf(nameField));
        }

        // ---- files ----

        /** The PATH record a file activity is about: the first that is not a PARENT, else the first. */
        private int filePath() {
            int firstPath = -1;
            for (int i = 0; i < recordCount; i++) {
                Record r = recs[i];
                if (r.type() != RecordType.PATH || r.decoded("name") == null) {
                    continue;
                }
                byte[] nametype = r.decoded("nametype");
                if (nametype == null || !is(nametype, "PARENT")) {
                    return i;
                }
                if (firstPath < 0) {
                    firstPath = i;
                }
            }
            return firstPath;
        }

        private void fileObject(int at) {
            Record r = recs[at];
            int nameField = r.indexOf("name");
            byte[] name = r.decoded(nameField);
            out.startObject();
            out.key("name");
            int slash = lastSlash(name);
            if (slash == name.length - 1 && name.length > 1) {       // "/usr/bin/": the directory's own name
                int prev = lastSlash(java.util.Arrays.copyOf(name, name.length - 1));
                out.string(name, prev + 1, name.length - prev - 2);
            } else {
                out.string(name, slash + 1, name.length - slash - 1);
            }
            out.key("path");
            byte[] dir = cwd >= 0 ? recs[cwd].decoded("cwd") : null;
            if (name.length > 0 && name[0] == '/' || dir == null) {
                out.fieldValue(r, nameField);
                mark(at, nameField);
            } else {
                byte[] path = new byte[dir.length + 1 + name.length];
                System.arraycopy(dir, 0, path, 0, dir.length);
                path[dir.length] = '/';
                System.arraycopy(name, 0, path, dir.length + 1, name.length);
                out.string(path, 0, path.length);
            }
            int type = fileType(octal(r.decoded("mode")));
            out.key("type_id");
            out.number(type);
            if (captions) {
                out.key("type");
                out.string(FILE_TYPES[type]);
            }
            int inode = r.indexOf("inode");
            byte[] ino = inode < 0 ? null : r.decoded(inode);
            if (ino != null) {
                out.key("uid");
                out.string(ino, 0, ino.length);
                mark(at, inode);
            }
            if (present(r, "ouid") || present(r, "OUID")) {
                out.key("owner");
                idObject(at, "ouid", "OUID");
            }
            out.endObject();
        }

        // ---- unmapped ----

        /** Every record field no attribute holds as it is, and every enricher field, as the laurel format writes them. */
        private void unmapped() {
            out.key("unmapped");
            out.startObject();
            int n = recordCount;
            for (int i = 0; i < n; i++) {
                RecordType type = recs[i].type();
                if (type == RecordType.EOE || seenBefore(i, type)) {
                    continue;
                }
                int count = 0;
                int withFields = 0;
                for (int j = i; j < n; j++) {
                    if (recs[j].type() == type) {
                        count++;
                        if (hasUnmapped(j)) {
                            withFields++;
                        }
                    }
                }
                if (withFields == 0) {
                    continue;
                }
                out.key(type.name());
                boolean array = count > 1 || !isObjectType(type);
                if (array) {
                    out.startArray();
                }
                for (int j = i; j < n; j++) {
                    if (recs[j].type() == type && hasUnmapped(j)) {
                        unmappedFields(j);
                    }
                }
                if (array) {
                    out.endArray();
                }
            }
            event.extras().forEach(writeExtra);
            out.endObject();
        }

        /**
         * Whether two of the record's field names may be equal: not for a record with the very
         * names (the parser shares them, line after line) of the last one of its slot found
         * without, else as {@link #hashesRepeat} finds.
         */
        private boolean mayRepeatNames(Record r) {
            int at = r.type().code() & (distinctNames.length - 1);
            if (Records.sameNames(distinctNames[at], r)) {
                return false;
            }
            if (hashesRepeat(r)) {
                return true;
            }
            distinctNames[at] = Records.names(r);
            return false;
        }

        /**
         * Whether two of the record's field names are equal: each name's hash code (cached in the
         * name) goes into a small open-addressing table stamped with this call's number, so
         * nothing is cleared between calls; names are compared only where hash codes are equal.
         */
        private boolean hashesRepeat(Record r) {
            int stamp = ++stampCount;
            if (stamp == 0) {                       // wrapped: forget every old stamp
                java.util.Arrays.fill(stamps, 0);
                stamp = stampCount = 1;
            }
            for (int k = 0, n = r.size(); k < n; k++) {
                String name = r.name(k);
                int h = name.hashCode();
                int slot = (h ^ h >>> 7) & (NAME_SLOTS - 1);
                while (stamps[slot] == stamp) {
                    if (slotHashes[slot] == h && r.name(slotFields[slot]).equals(name)) {
                        return true;
                    }
                    slot = (slot + 1) & (NAME_SLOTS - 1);
                }
                if (k >= NAME_SLOTS / 2) {
                    return true;                    // too many to tell cheaply: the careful path
                }
                stamps[slot] = stamp;
                slotHashes[slot] = h;
                slotFields[slot] = k;
            }
            return false;
        }

        private boolean hasUnmapped(int at) {
            int size = recs[at].size();
            long all = size >= 64 ? -1L : (1L << size) - 1;
            return size > 64 || (mapped[at] & all) != all;
        }

        private void unmappedFields(int at) {
            Record r = recs[at];
            out.startObject();
            if (r.type() == RecordType.PROCTITLE && proctitleArgv(r)) {
                out.endObject();
                return;
            }
            if (!mayRepeatNames(r)) {
                // one call for the record, not two per field; the keys are the record's names as
                // mayRepeatNames keeps them for its layout (the very array while the layout lasts),
                // by which the writer knows the layout without comparing the names again
                String[] names = distinctNames[r.type().code() & (distinctNames.length - 1)];
                RecordFieldsJson.write(out, r, names, mapped[at]);
                out.endObject();
                return;
            }
            for (int k = 0, size = r.size(); k < size; k++) {
                if (repeatedName(r, k)) {
                    continue;
                }
                if (k < 64 && (mapped[at] & 1L << k) != 0) {
                    continue;
                }
                out.key(r.name(k));
                out.fieldValue(r, k);
            }
            out.endObject();
        }

        /**
         * A name the record has more than once ({@code uid=0 uid=0}, seen in LAUREL's fixtures) is
         * written once, as the laurel format writes it: all its values in a list, at its first place.
         * Whether field {@code k}'s name repeats one before it (then it was written already).
         */
        private boolean repeatedName(Record r, int k) {
            String name = r.name(k);
            for (int j = 0; j < k; j++) {
                if (r.name(j).equals(name)) {
                    return true;
                }
            }
            boolean again = false;
            for (int j = k + 1; j < r.size() && !again; j++) {
                again = r.name(j).equals(name);
            }
            if (!again) {
                return false;
            }
            out.key(name);
            out.startArray();
            for (int j = k; j < r.size(); j++) {
                if (r.name(j).equals(name)) {
                    out.fieldValue(r, j);
                }
            }
            out.endArray();
            return true;
        }

        /**
         * PROCTITLE as the laurel format writes it: a command line with text (hex-decoder's, or
         * written as text by auditd) as {@code "ARGV": [...]}; whether it was one.
         */
        private boolean proctitleArgv(Record r) {
            int i = r.indexOf("proctitle");
            if (i < 0) {
                return false;
            }
            Value v = r.value(i);
            // decoded, or auditd's plain text: fieldValue writes the argument list, as the laurel format
            if (v instanceof Value.Text || v instanceof Value.Token t && (t.encoding() == Encoding.BARE
                    || t.encoding() == Encoding.DOUBLE_QUOTED || t.encoding() == Encoding.SINGLE_QUOTED
                    || t.encoding() == Encoding.BRACED)) {
                out.key("ARGV");
                out.fieldValue(r, i);
                return true;
            }
            return false;
        }

        private boolean seenBefore(int i, RecordType type) {
            for (int j = 0; j < i; j++) {
                if (recs[j].type() == type) {
                    return true;
                }
            }
            return false;
        }

        // ---- field helpers ----

        /** A constant string, written from its UTF-8 bytes. */
        private void text(byte[] utf8) {
            string(out, utf8);
        }

        private static void string(EventJson out, byte[] utf8) {
            out.string(utf8, 0, utf8.length);
        }

        private void mark(int at, int field) {
            if (field >= 0 && field < 64) {
                mapped[at] |= 1L << field;
            }
        }

        private int first(RecordType type) {
            for (int i = 0; i < recordCount; i++) {
                if (recs[i].type() == type) {
                    return i;
                }
            }
            return -1;
        }

        /** {@code key}: decimal field {@code field} of record {@code at}, if it is an OCSF integer (0 .. 2^31-1). */
        private void writeInt(int at, int field, String key) {
            Record r = recs[at];
            long v = num(r, field);
            if (v >= 0 && v <= Integer.MAX_VALUE) {
                out.key(key);
                out.fieldValue(r, field);
                mark(at, field);
            }
        }

        private void writeInt(int at, String field, String key) {
            writeInt(at, recs[at].indexOf(field), key);
        }

        /** {@code key}: field {@code field} of record {@code at} as the laurel format writes it, if it has a value; whether it had. */
        private boolean writeText(int at, int field, String key) {
            Record r = recs[at];
            if (!has(r, field)) {
                return false;
            }
            out.key(key);
            out.fieldValue(r, field);
            mark(at, field);
            return true;
        }

        /** A file object for a path parent-info or a message gives. */
        private void fileOfPath(Value.Text path) {
            byte[] b = path.bytes();
            out.startObject();
            out.key("name");
            int slash = lastSlash(b, 0, b.length);
            out.string(b, slash + 1, b.length - slash - 1);
            out.key("path");
            out.value(path);
            out.key("type_id");
            out.number(1);
            out.endObject();
        }

        private void fileOfPath(String path) {
            fileOfPath(Value.text(path));
        }

        /**
         * {@code cmd_line}: EXECVE's arguments (for the launched image) or PROCTITLE's, joined by
         * spaces, in a reused buffer.
         */
        private void commandLine(boolean launched) {
            int n = 0;
            if (launched && execve >= 0 && recs[execve].get("ARGV") instanceof Value.ListValue list) {
                List<Value> items = list.items();
                for (int k = 0, size = items.size(); k < size; k++) {
                    Value item = items.get(k);
                    byte[] arg;
                    if (item instanceof Value.Text t) {
                        arg = t.bytes();
                    } else if (item instanceof Value.Token t
                            && (t.encoding() == Encoding.BARE || t.encoding() == Encoding.DOUBLE_QUOTED)) {
                        // the token's bytes are its text: copied from its line, not decoded into a new array
                        if (n > 0) {
                            n = append(n, (byte) ' ');
                        }
                        n = append(n, t.bytes(), t.offset(), t.length());
                        continue;
                    } else if (item instanceof Value.Token t) {
                        arg = t.decoded();
                    } else {
                        continue;
                    }
                    if (arg == null) {
                        continue;
                    }
                    if (n > 0) {
                        n = append(n, (byte) ' ');
                    }
                    n = append(n, arg, 0, arg.length);
                }
            } else if (proctitle >= 0) {
                Record p = recs[proctitle];
                int i = p.indexOf("proctitle");
                if (!span(p, i)) {
                    return;
                }
                int end = spanOffset + spanLength;
                while (end > spanOffset && spanBytes[end - 1] == 0) {
                    end--;
                }
                n = append(0, spanBytes, spanOffset, end - spanOffset);
                for (int k = 0; k < n; k++) {
                    if (scratch[k] == 0) {
                        scratch[k] = ' ';
                    }
                }
            } else {
                return;
            }
            out.key("cmd_line");
            out.string(scratch, 0, n);
        }

        private int append(int at, byte b) {
            if (at == scratch.length) {
                scratch = java.util.Arrays.copyOf(scratch, 2 * scratch.length);
            }
            scratch[at] = b;
            return at + 1;
        }

        private int append(int at, byte[] b, int off, int len) {
            if (at + len > scratch.length) {
                scratch = java.util.Arrays.copyOf(scratch, Math.max(at + len, 2 * scratch.length));
            }
            System.arraycopy(b, off, scratch, at, len);
            return at + len;
        }

        /**
         * The syscall's name: by its number for x86_64 and aarch64 (no text to read), else the
         * SYSCALL= name auditd or the translate enricher wrote, else {@code "syscall NR"}.
         */
        private String syscallName() {
            long nr = num(sc, scNr);
            String known = scArch < 0 ? null : SyscallNames.name(archOf(sc, scArch), nr);
            if (known != null) {
                return known;
            }
            byte[] name = scName < 0 ? null : sc.decoded(scName);
            if (name != null && name.length > 0 && !Character.isDigit(name[0])) {
                return new String(name, StandardCharsets.ISO_8859_1);
            }
            return "syscall " + nr;
        }

        private UserMessage message(Record r) {
            int i = r.indexOf("msg");
            byte[] b = i < 0 ? null : r.decoded(i);
            return b == null ? null : new UserMessage(b, 0, b.length);
        }

        // where span() found a value's bytes
        private byte[] spanBytes;
        private int spanOffset;
        private int spanLength;

        /**
         * Points spanBytes/Offset/Length at field {@code i}'s bytes with auditd's encoding undone,
         * without a copy where it can (text, a quoted or bare token in the line); whether it has a value.
         */
        private boolean span(Record r, int i) {
            if (i < 0) {
                return false;
            }
            Encoding e = Records.tokenEncoding(r, i);
            if (e != null && e != Encoding.HEX && e != Encoding.NULL && e != Encoding.UNSET) {
                spanBytes = r.line();
                spanOffset = Records.tokenOffset(r, i);
                spanLength = Records.tokenLength(r, i);
                return true;
            }
            if (e == null && r.value(i) instanceof Value.Text t) {
                spanBytes = t.bytes();
                spanOffset = 0;
                spanLength = spanBytes.length;
                return true;
            }
            byte[] b = r.decoded(i);
            if (b == null) {
                return false;
            }
            spanBytes = b;
            spanOffset = 0;
            spanLength = b.length;
            return true;
        }

        /** Writes field {@code i} as a JSON string of its text (a uid: OCSF's ids are strings). */
        private void asString(Record r, int i) {
            if (span(r, i)) {
                out.string(spanBytes, spanOffset, spanLength);
            } else {
                out.string("");
            }
        }
    }

    /** Slots of the table that finds repeated field names (a power of two; records of up to half as many fields). */
    private static final int NAME_SLOTS = 128;

    /** auditd's unset id ((uid_t) -1), as in auid=4294967295 and ses=4294967295. */
    private static final long UNSET_ID = 4294967295L;

    /** Whether field {@code i} has a value: not absent, {@code (null)} or {@code ?}. */
    private static boolean has(Record r, int i) {
        if (i < 0) {
            return false;
        }
        Encoding e = Records.tokenEncoding(r, i);
        if (e != null) {
            return e != Encoding.NULL && e != Encoding.UNSET;
        }
        Value v = r.value(i);
        return v instanceof Value.Text || v instanceof Value.Number
                || v instanceof Value.Token t && t.encoding() != Encoding.NULL && t.encoding() != Encoding.UNSET;
    }

    private static boolean present(Record r, String field) {
        return has(r, r.indexOf(field));
    }

    /** Field {@code i} as a non-negative decimal number, or -1. */
    private static long num(Record r, int i) {
        if (i < 0) {
            return -1;
        }
        Encoding e = Records.tokenEncoding(r, i);
        if (e == Encoding.BARE) {
            return digits(r.line(), Records.tokenOffset(r, i), Records.tokenLength(r, i));
        }
        if (e == null && r.value(i) instanceof Value.Number n && n.radix() == Value.Radix.DEC) {
            return n.value();
        }
        return e == null && r.value(i) instanceof Value.Token t && t.encoding() == Encoding.BARE
                ? digits(t.bytes(), t.offset(), t.length()) : -1;
    }

    private static long digits(byte[] b, int off, int len) {
        if (len == 0 || len > 18) {
            return -1;
        }
        long v = 0;
        for (int k = off, end = off + len; k < end; k++) {
            int d = b[k] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** The AUDIT_ARCH number of the SYSCALL's {@code arch} (hex), or -1. */
    private static long archOf(Record r, int i) {
        Encoding e = Records.tokenEncoding(r, i);
        if (e == Encoding.BARE) {
            return hexDigits(r.line(), Records.tokenOffset(r, i), Records.tokenLength(r, i));
        }
        if (e == null && r.value(i) instanceof Value.Number n) {
            return n.value();
        }
        byte[] b = r.decoded(i);
        return b == null ? -1 : hexDigits(b, 0, b.length);
    }

    private static long hexDigits(byte[] b, int off, int len) {
        if (len == 0 || len > 16) {
            return -1;
        }
        long v = 0;
        for (int k = off, end = off + len; k < end; k++) {
            int d = Character.digit(b[k], 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** Whether field {@code i} is the token {@code ascii} ({@code success=yes}). */
    private static boolean isText(Record r, int i, String ascii) {
        if (Records.tokenEncoding(r, i) != null) {
            return Records.tokenIs(r, i, ascii);
        }
        Value v = r.value(i);
        if (v instanceof Value.Token t) {
            return t.is(ascii);
        }
        return v instanceof Value.Text text && is(text.bytes(), ascii);
    }

    // ---- static helpers ----

    private static final String[] FILE_TYPES = {"Unknown", "Regular File", "Folder", "Character Device",
            "Block Device", "Local Socket", "Named Pipe", "Symbolic Link", "Executable File", "Other"};

    /** OCSF's file type_id for a st_mode (S_IFMT bits); 0 if unknown. */
    static int fileType(long mode) {
        if (mode < 0) {
            return 0;
        }
        return switch ((int) (mode & 0170000)) {
            case 0100000 -> 1;
            case 0040000 -> 2;
            case 0020000 -> 3;
            case 0060000 -> 4;
            case 0140000 -> 5;
            case 0010000 -> 6;
            case 0120000 -> 7;
            default -> 0;
        };
    }

    private static long octal(byte[] b) {
        if (b == null || b.length == 0) {
            return -1;
        }
        long v = 0;
        for (byte c : b) {
            if (c < '0' || c > '7') {
                return -1;
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }

    private static long parseHex(byte[] b) {
        if (b == null || b.length == 0 || b.length > 16) {
            return -1;
        }
        long v = 0;
        for (byte c : b) {
            int d = Character.digit(c, 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** Syscall argument {@code n} (a0..a3, hex), or -1. */
    private static long hexArg(Record sc, int n) {
        Value argv = sc.get("ARGV");
        if (argv instanceof Value.ListValue list && list.items().size() > n) {
            return parseHex(ValueBytes.of(list.items().get(n)));
        }
        return parseHex(sc.decoded("a" + n));
    }

    private static boolean is(byte[] b, String ascii) {
        if (b.length != ascii.length()) {
            return false;
        }
        for (int i = 0; i < b.length; i++) {
            if (b[i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int lastSlash(byte[] b) {
        return lastSlash(b, 0, b.length);
    }

    /** The index of the last '/' in {@code b[off, off+len)}, or {@code off - 1}. */
    private static int lastSlash(byte[] b, int off, int len) {
        for (int i = off + len - 1; i >= off; i--) {
            if (b[i] == '/') {
                return i;
            }
        }
        return off - 1;
    }

    /** Whether a message's addr is an IP address (PAM writes addr=? or a host name otherwise). */
    private static boolean isIp(String s) {
        return !s.isEmpty() && (s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9'));
    }

    /**
     * Whether the laurel format writes records of this type as one object rather than a list: the
     * four process records, and the types auditd writes as events by themselves (as the engine's
     * EventEncoder.isObject decides).
     */
    static boolean isObjectType(RecordType type) {
        if (type == RecordType.SYSCALL || type == RecordType.EXECVE || type == RecordType.CWD
                || type == RecordType.PROCTITLE) {
            return true;
        }
        int c = type.code();
        return !((c >= 1300 && c < 1406) || (c >= 1420 && c < 2000) || (c >= 2001 && c < 2100) || c == 1006);
    }
}
