package dev.laurel.plugins.ocsf;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.Encoding;
import dev.laurel.api.EventJson;
import dev.laurel.api.Format;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;

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
 * {@code unmapped}. What an attribute holds in another form (a uid as OCSF's string, a joined
 * command line, a path made absolute) stays in {@code unmapped} as well.
 *
 * <p>Immutable: the per-event state lives in a {@link Writer} made for each event.
 */
final class OcsfFormat implements Format {
    static final String SCHEMA_VERSION = "1.8.0";
    private static final int NO_INT = Integer.MIN_VALUE;

    private final String productVersion;
    private final String hostname;

    OcsfFormat(String productVersion, String hostname) {
        this.productVersion = productVersion;
        this.hostname = hostname;
    }

    @Override
    public void encode(AuditEvent event, EventJson out) {
        new Writer(event, out).write();
    }

    @Override
    public String toString() {
        return "ocsf";
    }

    /** One event being written: its records, and which of their fields an attribute holds. */
    private final class Writer {
        private final AuditEvent event;
        private final EventJson out;
        private final List<Record> records;
        /** Per record, a bit per field (the first 64) that an attribute holds as it is. */
        private final long[] mapped;
        private int syscall = -1;
        private int cwd = -1;
        private int execve = -1;
        private int proctitle = -1;

        Writer(AuditEvent event, EventJson out) {
            this.event = event;
            this.out = out;
            this.records = event.records();
            this.mapped = new long[records.size()];
            for (int i = 0; i < records.size(); i++) {
                RecordType t = records.get(i).type();
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
        }

        void write() {
            int account = -1;
            OcsfClass c = null;
            for (int i = 0; i < records.size() && c == null; i++) {
                c = OcsfClass.ofRecord(records.get(i).type().name());
                if (c != null) {
                    account = i;
                }
            }
            int path = -1;
            SockaddrEndpoint endpoint = null;
            if (c == null && syscall >= 0) {
                String name = syscallName(records.get(syscall));
                c = OcsfClass.ofSyscall(name);
                if (c.body() == OcsfClass.Body.FILE) {
                    path = filePath();
                    if (path < 0) {
                        c = OcsfClass.base(name);
                    }
                } else if (c.body() == OcsfClass.Body.NETWORK) {
                    int sockaddr = first(RecordType.SOCKADDR);
                    endpoint = sockaddr < 0 ? null : SockaddrEndpoint.of(records.get(sockaddr), records.get(syscall));
                    if (endpoint == null) {      // netlink, unnamed: no endpoint to name
                        c = OcsfClass.base(name);
                    }
                }
            }
            if (c == null) {
                c = OcsfClass.base(records.isEmpty() ? "UNKNOWN" : records.get(0).type().name());
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
            out.key("class_uid");
            out.number(c.classUid());
            out.key("class_name");
            out.string(c.className());
            out.key("category_uid");
            out.number(c.categoryUid());
            out.key("category_name");
            out.string(c.categoryName());
            out.key("activity_id");
            out.number(c.activityId());
            out.key("activity_name");
            out.string(c.activityName());
            out.key("type_uid");
            out.number(c.typeUid());
            out.key("type_name");
            out.string(c.typeName());
            out.key("severity_id");
            out.number(1);
            out.key("severity");
            out.string("Informational");
        }

        /** success=yes/no of a syscall; res=success/failed (or 1/0) of a user-space record. */
        private void status(int account) {
            int status = 0;
            if (syscall >= 0) {
                byte[] success = records.get(syscall).decoded("success");
                status = success == null ? 0 : is(success, "yes") ? 1 : is(success, "no") ? 2 : 0;
            }
            if (account >= 0) {
                Record r = records.get(account);
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
            out.key("status");
            out.string(status == 1 ? "Success" : status == 2 ? "Failure" : "Unknown");
            if (syscall >= 0) {
                Record sc = records.get(syscall);
                int exit = sc.indexOf("exit");
                byte[] e = exit < 0 ? null : sc.decoded(exit);
                if (e != null) {
                    out.key("status_code");
                    out.string(e, 0, e.length);
                }
            }
        }

        private void metadata() {
            out.key("metadata");
            out.startObject();
            out.key("version");
            out.string(SCHEMA_VERSION);
            out.key("product");
            out.startObject();
            out.key("name");
            out.string("laurel");
            out.key("vendor_name");
            out.string("laurel");
            out.key("version");
            out.string(productVersion);
            out.endObject();
            out.key("profiles");
            out.startArray();
            out.string("host");
            out.string("linux/linux_users");
            out.endArray();
            String id = event.id().toString();
            out.key("uid");
            out.string(id);
            out.key("original_time");
            out.string(id.substring(0, id.indexOf(':')));
            if (syscall >= 0) {
                Record sc = records.get(syscall);
                int key = sc.indexOf("key");
                byte[] k = key < 0 ? null : sc.decoded(key);
                if (k != null) {
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
            out.key("hostname");
            out.string(event.node() != null ? event.node() : hostname);
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
            out.key("launch_type");
            out.string("Exec");
            out.key("actor");
            out.startObject();
            out.key("process");
            parentProcess(records.get(syscall));
            actorUser();
            out.endObject();
            out.key("process");
            subjectProcess(true);
        }

        /** fork, clone: the child (the syscall's exit value) is {@code process}, the caller its parent. */
        private void fork() {
            Record sc = records.get(syscall);
            long child = sc.getLong("exit", -1);
            out.key("launch_type_id");
            out.number(2);
            out.key("launch_type");
            out.string("Fork");
            actor(false);
            out.key("process");
            if (child > 0 && child <= Integer.MAX_VALUE) {
                out.startObject();
                out.key("pid");
                out.fieldValue(sc, sc.indexOf("exit"));
                mark(syscall, sc.indexOf("exit"));
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
            Record sc = records.get(syscall);
            long pid = hexArg(sc, 0);
            if (syscallName(sc).equals("ptrace")) {
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
            String name = syscallName(records.get(syscall));
            boolean source = inbound && !name.equals("bind") && !name.equals("listen");
            out.key(source ? "src_endpoint" : "dst_endpoint");
            endpoint.write(out);
            out.key("connection_info");
            out.startObject();
            out.key("direction_id");
            out.number(endpoint.isLocal() ? 4 : direction);
            out.key("direction");
            out.string(endpoint.isLocal() ? "Local" : inbound ? "Inbound" : "Outbound");
            if (!endpoint.isLocal()) {
                out.key("protocol_ver_id");
                out.number(endpoint.isIpv4() ? 4 : 6);
                out.key("protocol_ver");
                out.string(endpoint.isIpv4() ? "Internet Protocol version 4 (IPv4)" : "Internet Protocol version 6 (IPv6)");
            }
            out.endObject();
        }

        /** Authentication or Account Change: the account is {@code user}; the process that reported it acts. */
        private void account(int at, boolean accountChange) {
            Record r = records.get(at);
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
                sessionOf(at, "ses", msg);
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
                out.key("hostname");
                out.string(event.node() != null ? event.node() : hostname);
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
            if (records.isEmpty()) {
                return;
            }
            Record r = records.get(0);
            if (intField(r, "pid") == NO_INT) {
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
            Record sc = records.get(syscall);
            if (present(sc, "auid") || present(sc, "AUID")) {
                out.key("user");
                idObject(syscall, "auid", "AUID");
            }
            sessionOf(syscall, "ses", null);
        }

        private void sessionOf(int at, String field, UserMessage msg) {
            Record r = records.get(at);
            long ses = r.getLong(field, -1);
            String terminal = msg == null ? null : msg.get("terminal");
            if ((ses < 0 || ses == 4294967295L) && terminal == null) {
                return;
            }
            out.key("session");
            out.startObject();
            if (ses >= 0 && ses != 4294967295L) {
                out.key("uid");
                byte[] b = r.decoded(field);
                out.string(b, 0, b.length);
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
            Record sc = records.get(syscall);
            out.startObject();
            writeInt(syscall, "pid", "pid");
            if (launched) {
                out.key("uid");
                out.string(event.id().toString());
            } else {
                Value own = sc.get("PID");        // parent-info's laurel style: the process's last exec
                String id = own instanceof Value.ObjectValue o ? text(o.fields().get("EVENT_ID")) : null;
                if (id != null) {
                    out.key("uid");
                    out.string(id);
                }
            }
            writeText(syscall, "comm", "name");
            byte[] cmd = commandLine(launched);
            if (cmd != null) {
                out.key("cmd_line");
                out.string(cmd, 0, cmd.length);
            }
            int exe = sc.indexOf("exe");
            if (exe >= 0 && sc.decoded(exe) != null) {
                out.key("file");
                out.startObject();
                byte[] path = sc.decoded(exe);
                out.key("name");
                int slash = lastSlash(path);
                out.string(path, slash + 1, path.length - slash - 1);
                out.key("path");
                out.fieldValue(sc, exe);
                mark(syscall, exe);
                out.key("type_id");
                out.number(1);
                out.key("type");
                out.string("Regular File");
                out.endObject();
            }
            if (cwd >= 0) {
                writeText(cwd, "cwd", "working_directory");
            }
            if (present(sc, "uid") || present(sc, "UID")) {
                out.key("user");
                idObject(syscall, "uid", "UID");
            }
            if (present(sc, "gid") || present(sc, "GID")) {
                out.key("group");
                idObject(syscall, "gid", "GID");
            }
            writeInt(syscall, "auid", "auid");
            writeInt(syscall, "euid", "euid");
            writeInt(syscall, "egid", "egid");
            out.key("parent_process");
            parentProcess(sc);
            out.endObject();
        }

        /** The parent: ppid, and what parent-info knows of it (PARENT_INFO, or SYSCALL.PPID in LAUREL's style). */
        private void parentProcess(Record sc) {
            Map<String, Value> info = null;
            if (event.extra("PARENT_INFO") instanceof Value.ObjectValue o) {
                info = o.fields();
            } else if (sc.get("PPID") instanceof Value.ObjectValue o) {
                info = o.fields();
            }
            out.startObject();
            writeInt(syscall, "ppid", "pid");
            if (info != null) {
                String id = text(info.containsKey("ID") ? info.get("ID") : info.get("EVENT_ID"));
                if (id != null) {
                    out.key("uid");
                    out.string(id);
                }
                Value comm = info.get("comm");
                if (comm != null && !(comm instanceof Value.Null)) {
                    out.key("name");
                    out.value(comm);
                }
                String exe = text(info.get("exe"));
                if (exe != null) {
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
            out.endObject();
        }

        /** An OBJ_PID record's process: opid, ocomm, its user and login user, and parent-info's OPID. */
        private void targetProcess(int obj) {
            Record r = records.get(obj);
            out.startObject();
            writeInt(obj, "opid", "pid");
            if (r.get("OPID") instanceof Value.ObjectValue o) {
                String id = text(o.fields().get("ID"));
                if (id != null) {
                    out.key("uid");
                    out.string(id);
                }
                String exe = text(o.fields().get("exe"));
                if (exe != null) {
                    out.key("file");
                    fileOfPath(exe);
                }
                if (o.fields().get("ppid") instanceof Value.Number n && n.value() > 0
                        && n.value() <= Integer.MAX_VALUE) {
                    out.key("parent_process");
                    out.startObject();
                    out.key("pid");
                    out.number(n.value());
                    out.endObject();
                }
            }
            writeText(obj, "ocomm", "name");
            if (present(r, "ouid") || present(r, "OUID")) {
                out.key("user");
                idObject(obj, "ouid", "OUID");
            }
            writeInt(obj, "oauid", "auid");
            long oses = r.getLong("oses", -1);
            if (oses >= 0 && oses != 4294967295L) {
                out.key("session");
                out.startObject();
                out.key("uid");
                byte[] b = r.decoded("oses");
                out.string(b, 0, b.length);
                out.endObject();
            }
            out.endObject();
        }

        /** A user or group: {@code uid} (OCSF's is a string) and {@code name} (the ENRICHED name). */
        private void idObject(int at, String idField, String nameField) {
            Record r = records.get(at);
            out.startObject();
            int id = r.indexOf(idField);
            byte[] b = id < 0 ? null : r.decoded(id);
            if (b != null) {
                out.key("uid");
                out.string(b, 0, b.length);
                mark(at, id);
            }
            writeText(at, nameField, "name");
            if (b == null && r.indexOf(nameField) < 0) {
                out.key("uid");
                out.string("");
            }
            out.endObject();
        }

        // ---- files ----

        /** The PATH record a file activity is about: the first that is not a PARENT, else the first. */
        private int filePath() {
            int firstPath = -1;
            for (int i = 0; i < records.size(); i++) {
                Record r = records.get(i);
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
            Record r = records.get(at);
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
            byte[] dir = cwd >= 0 ? records.get(cwd).decoded("cwd") : null;
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
            out.key("type");
            out.string(FILE_TYPES[type]);
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
            int n = records.size();
            for (int i = 0; i < n; i++) {
                RecordType type = records.get(i).type();
                if (type == RecordType.EOE || seenBefore(i, type)) {
                    continue;
                }
                int count = 0;
                int withFields = 0;
                for (int j = i; j < n; j++) {
                    if (records.get(j).type() == type) {
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
                    if (records.get(j).type() == type && hasUnmapped(j)) {
                        unmappedFields(j);
                    }
                }
                if (array) {
                    out.endArray();
                }
            }
            event.extras().forEach((key, value) -> {
                out.key(key);
                out.value(value);
            });
            out.endObject();
        }

        private boolean hasUnmapped(int at) {
            int size = records.get(at).size();
            long all = size >= 64 ? -1L : (1L << size) - 1;
            return size > 64 || (mapped[at] & all) != all;
        }

        private void unmappedFields(int at) {
            Record r = records.get(at);
            out.startObject();
            if (r.type() == RecordType.PROCTITLE && proctitleArgv(r)) {
                out.endObject();
                return;
            }
            boolean repeats = mayRepeatNames(r);
            for (int k = 0, size = r.size(); k < size; k++) {
                if (repeats && repeatedName(r, k)) {
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
            if (v instanceof Value.Text) {          // decoded: fieldValue writes the argument list
                out.key("ARGV");
                out.fieldValue(r, i);
                return true;
            }
            if (v instanceof Value.Token t && (t.encoding() == Encoding.BARE || t.encoding() == Encoding.DOUBLE_QUOTED
                    || t.encoding() == Encoding.SINGLE_QUOTED || t.encoding() == Encoding.BRACED)) {
                out.key("ARGV");                    // auditd's plain text: one argument (it has no NUL)
                out.startArray();
                out.fieldValue(r, i);
                out.endArray();
                return true;
            }
            return false;
        }

        private boolean seenBefore(int i, RecordType type) {
            for (int j = 0; j < i; j++) {
                if (records.get(j).type() == type) {
                    return true;
                }
            }
            return false;
        }

        // ---- field helpers ----

        private void mark(int at, int field) {
            if (field >= 0 && field < 64) {
                mapped[at] |= 1L << field;
            }
        }

        private int first(RecordType type) {
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i).type() == type) {
                    return i;
                }
            }
            return -1;
        }

        /** {@code key}: the decimal field {@code field} of record {@code at}, if it is an OCSF integer (32 bits, not unset). */
        private void writeInt(int at, String field, String key) {
            Record r = records.get(at);
            int v = intField(r, field);
            if (v != NO_INT) {
                out.key(key);
                int i = r.indexOf(field);
                out.fieldValue(r, i);
                mark(at, i);
            }
        }

        /** {@code key}: the text field {@code field} of record {@code at} as the laurel format writes it, if it has a value. */
        private void writeText(int at, String field, String key) {
            Record r = records.get(at);
            int i = r.indexOf(field);
            if (i >= 0 && r.decoded(i) != null) {
                out.key(key);
                out.fieldValue(r, i);
                mark(at, i);
            }
        }

        /** A file object for a path known as text (parent-info's exe, a message's exe). */
        private void fileOfPath(String path) {
            out.startObject();
            out.key("name");
            out.string(path.substring(path.lastIndexOf('/') + 1));
            out.key("path");
            out.string(path);
            out.key("type_id");
            out.number(1);
            out.key("type");
            out.string("Regular File");
            out.endObject();
        }

        /** The command line: EXECVE's arguments (for the launched image) or PROCTITLE's, joined by spaces. */
        private byte[] commandLine(boolean launched) {
            if (launched && execve >= 0) {
                Value argv = records.get(execve).get("ARGV");
                if (argv instanceof Value.ListValue list) {
                    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                    for (Value item : list.items()) {
                        byte[] arg = bytes(item);
                        if (arg != null) {
                            if (b.size() > 0) {
                                b.write(' ');
                            }
                            b.write(arg, 0, arg.length);
                        }
                    }
                    return b.toByteArray();
                }
            }
            if (proctitle < 0) {
                return null;
            }
            byte[] p = records.get(proctitle).decoded("proctitle");
            if (p == null) {
                return null;
            }
            int n = p.length;
            while (n > 0 && p[n - 1] == 0) {
                n--;
            }
            byte[] joined = java.util.Arrays.copyOf(p, n);
            for (int i = 0; i < n; i++) {
                if (joined[i] == 0) {
                    joined[i] = ' ';
                }
            }
            return joined;
        }

        private String syscallName(Record sc) {
            byte[] name = sc.decoded("SYSCALL");
            if (name != null && name.length > 0 && !Character.isDigit(name[0])) {
                return new String(name, StandardCharsets.ISO_8859_1);
            }
            long arch = parseHex(sc.decoded("arch"));
            long nr = sc.getLong("syscall", -1);
            String known = SyscallNames.name(arch, nr);
            return known != null ? known : "syscall " + nr;
        }

        private UserMessage message(Record r) {
            int i = r.indexOf("msg");
            byte[] b = i < 0 ? null : r.decoded(i);
            return b == null ? null : new UserMessage(b, 0, b.length);
        }
    }

    // ---- static helpers ----

    /** Whether two of the record's field names may be equal: a 64-bit filter of their hashes, no allocation. */
    private static boolean mayRepeatNames(Record r) {
        long seen = 0;
        for (int k = 0, n = r.size(); k < n; k++) {
            long bit = 1L << (r.name(k).hashCode() & 63);
            if ((seen & bit) != 0) {
                return true;
            }
            seen |= bit;
        }
        return false;
    }

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
            return parseHex(bytes(list.items().get(n)));
        }
        return parseHex(sc.decoded("a" + n));
    }

    /** The decimal field as an OCSF integer (0 .. 2^31-1, and not 4294967295, the unset id), or NO_INT. */
    private static int intField(Record r, String field) {
        long v = r.getLong(field, -1);
        return v >= 0 && v <= Integer.MAX_VALUE ? (int) v : NO_INT;
    }

    private static boolean present(Record r, String field) {
        int i = r.indexOf(field);
        return i >= 0 && r.decoded(i) != null;
    }

    private static byte[] bytes(Value v) {
        if (v instanceof Value.Token t) {
            return t.decoded();
        }
        if (v instanceof Value.Text t) {
            return t.bytes();
        }
        return null;
    }

    private static String text(Value v) {
        byte[] b = v == null ? null : bytes(v);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
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
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == '/') {
                return i;
            }
        }
        return -1;
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
