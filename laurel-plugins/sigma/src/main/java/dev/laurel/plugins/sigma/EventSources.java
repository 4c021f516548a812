package dev.laurel.plugins.sigma;

import dev.laurel.api.AuditEvent;
import dev.laurel.api.EventId;
import dev.laurel.api.ProcessInfo;
import dev.laurel.api.ProcessTable;
import dev.laurel.api.Record;
import dev.laurel.api.RecordType;
import dev.laurel.api.Value;
import dev.laurel.api.internal.MessageFields;
import dev.laurel.api.internal.SockaddrDecoder;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link FieldSource}s laurel's events give Sigma rules: one per log source, reused event
 * after event. The mapping of Sigma's field names onto records is documented in
 * {@code docs/plugins/sigma.md}; {@code field-map} adds or replaces fields of the categories.
 */
final class EventSources {

    private EventSources() {
    }

    /**
     * Whether a record of the type can have the field at all: {@code a0}..{@code aN} are only
     * in EXECVE records, and {@code a0}..{@code a3} in SYSCALL records ({@code null}: any type).
     */
    static boolean canHave(String recordType, String field) {
        if (recordType == null || !isArgument(field)) {
            return true;
        }
        // a SYSCALL record has the four arguments auditd writes, a0..a3
        return recordType.equals("EXECVE") || recordType.equals("SYSCALL") && field.length() == 2 && field.charAt(1) <= '3';
    }

    private static boolean isArgument(String field) {
        return field != null && field.length() > 1 && field.charAt(0) == 'a' && isDigits(field, 1);
    }

    /** An auditd record's field as auditd wrote it (decoded); a0..aN of EXECVE are its ARGV items. */
    static String recordField(Record r, String field) {
        if (field.equals("type")) {
            return r.type().name();
        }
        // a0..aN first: EXECVE and SYSCALL records hold them as one ARGV list, and a rule for any
        // record (a1..a7 of the coin miner rule) would otherwise search every record's fields twice
        if (isArgument(field)) {
            // only EXECVE and SYSCALL records have arguments, which the engine gathers in ARGV
            if (r.type() != RecordType.EXECVE && r.type() != RecordType.SYSCALL) {
                return null;
            }
            if (r.get("ARGV") instanceof Value.ListValue argv) {
                int n = Integer.parseInt(field, 1, field.length(), 10);
                if (n >= argv.items().size()) {
                    return null;
                }
                Value item = argv.items().get(n);
                // a SYSCALL's arguments are hex numbers, which rules write as auditd does (a0=4)
                return r.type() == RecordType.SYSCALL && item instanceof Value.Token t ? t.rawString()
                        : FieldSource.text(item);
            }
        }
        int i = r.indexOf(field);
        return i < 0 ? null : FieldSource.text(r.value(i));
    }

    /**
     * Writes the record's field as {@link #recordField} gives it; {@code false} if it cannot
     * without making the String (a field in a user-space message body).
     */
    static boolean write(Record r, String field, TextSink out) {
        if (field.equals("type")) {
            out.chars(r.type().name());
            return true;
        }
        if (isArgument(field)) {
            if (r.type() != RecordType.EXECVE && r.type() != RecordType.SYSCALL) {
                return true;
            }
            if (r.get("ARGV") instanceof Value.ListValue argv) {
                int n = Integer.parseInt(field, 1, field.length(), 10);
                if (n < argv.items().size()) {
                    Value item = argv.items().get(n);
                    if (r.type() == RecordType.SYSCALL && item instanceof Value.Token t) {
                        out.bytes(t.bytes(), t.offset(), t.offset() + t.length());    // hex as written
                    } else {
                        out.value(item);
                    }
                }
                return true;
            }
        }
        int i = r.indexOf(field);
        if (i < 0) {
            return !r.type().isUserSpace();     // else it may be in msg='...'
        }
        out.field(r, i);
        return true;
    }

    private static boolean isDigits(String s, int from) {
        if (s.length() - from > 6) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code service: auditd}: one record at a time. */
    static final class AuditdRecord extends FieldSource {
        private Record record;
        /** The fields inside a user-space record's {@code msg='...'}, read when a rule first asks. */
        private Map<String, String> body;

        void of(Record r) {
            record = r;
            body = null;
            reset();
        }

        /**
         * A field of the record; failing that, of its {@code msg='...'} body, where user-space
         * records (SERVICE_STOP, USER_LOGIN, ADD_USER, ...) hold most of theirs: {@code unit=ufw}.
         */
        @Override
        protected String lookup(String field) {
            String v = recordField(record, field);
            if (v != null || field.equals("msg") || !record.type().isUserSpace()) {
                return v;
            }
            if (body == null) {
                String msg = recordField(record, "msg");
                body = msg == null ? Map.of() : msgBody(msg);
            }
            return body.get(field);
        }

        /** The record as auditd writes it, decoded: {@code type=EXECVE argc=3 a0="sh" ...}. */
        @Override
        protected void keywords(TextSink out) {
            keywords(record, out);
        }

        static void keywords(Record record, TextSink out) {
            out.chars("type=");
            out.chars(record.type().name());
            for (int i = 0; i < record.size(); i++) {
                String name = record.name(i);
                if (name.equals("ARGV") && record.value(i) instanceof Value.ListValue argv) {
                    for (int k = 0; k < argv.items().size(); k++) {
                        out.chars(" a");
                        out.number(k);
                        out.chars("=\"");
                        if (!out.value(argv.items().get(k))) {
                            out.chars("null");
                        }
                        out.chars("\"");
                    }
                    if (record.type() == RecordType.EXECVE) {
                        // the command line as typed, so that a keyword such as "--to-ports 42"
                        // finds two arguments in a row
                        out.chars(" ");
                        out.value(argv);
                    }
                } else {
                    out.chars(" ");
                    out.chars(name);
                    out.chars("=");
                    if (!out.field(record, i)) {
                        out.chars("(null)");
                    }
                }
            }
        }

        @Override
        protected boolean write(String field, TextSink out) {
            return EventSources.write(record, field, out);
        }
    }

    /**
     * The {@code key=value} pairs of a user-space message body, values unquoted:
     * {@code op=PAM:setcred acct="audtest" res=success}.
     */
    static Map<String, String> msgBody(String msg) {
        Map<String, String> fields = new java.util.HashMap<>();
        // ' ', '=' and '"' are ASCII: the pairs split the UTF-8 bytes where they split the String
        byte[] b = msg.getBytes(StandardCharsets.UTF_8);
        MessageFields m = new MessageFields(b, 0, b.length);
        while (m.next()) {
            fields.putIfAbsent(new String(b, m.keyStart(), m.keyEnd() - m.keyStart(), StandardCharsets.UTF_8),
                    new String(b, m.valueStart(), m.valueEnd() - m.valueStart(), StandardCharsets.UTF_8));
        }
        return fields;
    }

    /**
     * The fields of the categories, from an event: what {@code process_creation},
     * {@code file_event} and {@code network_connection} share, then each one's own.
     */
    abstract static class Category extends FieldSource {
        final Map<String, String> fieldMap;
        final ProcessTable processes;
        AuditEvent event;
        Record syscall;
        /** The record the event is about: the EXECVE, the PATH of the file, the SOCKADDR. */
        Record item;

        Category(Map<String, String> fieldMap, ProcessTable processes) {
            this.fieldMap = fieldMap;
            this.processes = processes;
        }

        void of(AuditEvent e, Record sc, Record about) {
            event = e;
            syscall = sc;
            item = about;
            reset();
        }

        @Override
        protected final String lookup(String field) {
            String mapped = fieldMap.get(field);
            if (mapped != null) {
                int dot = mapped.indexOf('.');
                Record r = dot < 0 ? syscall : event.first(RecordType.named(mapped.substring(0, dot)));
                return r == null ? null : recordField(r, mapped.substring(dot + 1));
            }
            return switch (field) {
                case "Image" -> sc("exe");
                case "User" -> sc("UID") != null ? sc("UID") : sc("uid");
                case "LogonId" -> sc("ses");
                case "ProcessId" -> sc("pid");
                case "ParentProcessId" -> sc("ppid");
                default -> own(field);
            };
        }

        String sc(String field) {
            return syscall == null ? null : recordField(syscall, field);
        }

        /** A field only this category has, or {@code null}. */
        abstract String own(String field);

        @Override
        protected void keywords(TextSink out) {
            for (Record r : event.records()) {
                AuditdRecord.keywords(r, out);
                out.chars("\n");
            }
        }

        @Override
        protected final boolean write(String field, TextSink out) {
            if (fieldMap.containsKey(field)) {
                return false;
            }
            return switch (field) {
                case "Image" -> syscall == null || EventSources.write(syscall, "exe", out);
                case "ProcessId" -> syscall == null || EventSources.write(syscall, "pid", out);
                case "ParentProcessId" -> syscall == null || EventSources.write(syscall, "ppid", out);
                default -> writeOwn(field, out);
            };
        }

        /** {@link #write} of a field only this category has. */
        boolean writeOwn(String field, TextSink out) {
            return false;
        }

        /** The current working directory of the event (its CWD record), or {@code null}. */
        String cwd() {
            Record cwd = event.first(RecordType.CWD);
            return cwd == null ? null : recordField(cwd, "cwd");
        }
    }

    /** {@code process_creation}: an execve event. */
    static final class ProcessCreation extends Category {
        /** Bound on the command lines kept for {@code ParentCommandLine}. */
        private static final int COMMAND_LINES = 65536;

        /** The command line of each process's exec, with that exec's event id. */
        private final TextSink.Bytes commandLineBytes = new TextSink.Bytes();
        private final Map<Long, Object[]> commandLines = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Object[]> eldest) {
                return size() > COMMAND_LINES;
            }
        };

        ProcessCreation(Map<String, String> fieldMap, ProcessTable processes) {
            super(fieldMap, processes);
        }

        @Override
        String own(String field) {
            return switch (field) {
                case "CommandLine" -> FieldSource.text(item.get("ARGV"));
                case "CurrentDirectory" -> cwd();
                case "ParentImage" -> {
                    ProcessInfo p = parent();
                    yield p == null || p.exe() == null ? null : new String(p.exe(), StandardCharsets.UTF_8);
                }
                case "ParentCommandLine" -> {
                    ProcessInfo p = parent();
                    Object[] c = p == null ? null : commandLines.get(p.pid());
                    yield c != null && c[0].equals(p.lastExec()) ? new String((byte[]) c[1], StandardCharsets.UTF_8) : null;
                }
                default -> null;
            };
        }

        @Override
        boolean writeOwn(String field, TextSink out) {
            switch (field) {
                case "CommandLine" -> out.value(item.get("ARGV"));
                case "ParentImage" -> {
                    ProcessInfo p = parent();
                    if (p != null && p.exe() != null) {
                        out.bytes(p.exe(), 0, p.exe().length);
                    }
                }
                case "CurrentDirectory" -> {
                    Record cwd = event.first(RecordType.CWD);
                    return cwd == null || EventSources.write(cwd, "cwd", out);
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        private ProcessInfo parent() {
            long ppid = syscall.getLong("ppid", -1);
            if (processes == null || ppid < 0) {
                return null;
            }
            return processes.get(ppid);
        }

        /** Remembers this exec's command line for the process's children, as UTF-8 bytes (compact: up to 65,536 kept). */
        void remember(EventId id) {
            long pid = syscall.getLong("pid", -1);
            if (pid < 0) {
                return;
            }
            if (fieldMap.containsKey("CommandLine")) {
                String mapped = get("CommandLine");
                if (mapped != null) {
                    commandLines.put(pid, new Object[] {id, mapped.getBytes(StandardCharsets.UTF_8)});
                }
            } else if (item.get("ARGV") != null) {
                commandLineBytes.value(item.get("ARGV"));
                commandLines.put(pid, new Object[] {id, commandLineBytes.take()});
            }
        }
    }

    /** {@code file_event}: one PATH record of a file created. */
    static final class FileEvent extends Category {
        FileEvent(Map<String, String> fieldMap, ProcessTable processes) {
            super(fieldMap, processes);
        }

        @Override
        String own(String field) {
            if (!field.equals("TargetFilename")) {
                return null;
            }
            String name = recordField(item, "name");
            if (name == null || name.startsWith("/")) {
                return name;
            }
            String cwd = cwd();
            return cwd == null ? name : cwd.endsWith("/") ? cwd + name : cwd + "/" + name;
        }
    }

    /** {@code network_connection}: a connect (initiated) or accept with its SOCKADDR. */
    static final class NetworkConnection extends Category {
        private boolean initiated;
        private String ip;
        private String port;

        NetworkConnection(Map<String, String> fieldMap, ProcessTable processes) {
            super(fieldMap, processes);
        }

        /** Whether the event is one; reads its address. */
        boolean of(AuditEvent e, Record sc, boolean connect, Record sockaddr) {
            of(e, sc, sockaddr);
            initiated = connect;
            SockaddrDecoder.Endpoint ep = SockaddrDecoder.endpoint(SockaddrDecoder.bytes(sockaddr.get("saddr")),
                    SockaddrDecoder.isLittleEndian(sc));
            if (ep == null) {
                return false;
            }
            try {
                ip = InetAddress.getByAddress(ep.address()).getHostAddress();
            } catch (UnknownHostException ex) {
                return false;
            }
            port = Integer.toString(ep.port());
            return true;
        }

        @Override
        String own(String field) {
            return switch (field) {
                case "Initiated" -> initiated ? "true" : "false";
                case "DestinationIp" -> initiated ? ip : null;
                case "DestinationPort" -> initiated ? port : null;
                case "SourceIp" -> initiated ? null : ip;
                case "SourcePort" -> initiated ? null : port;
                case "Protocol" -> null;
                default -> null;
            };
        }
    }
}
