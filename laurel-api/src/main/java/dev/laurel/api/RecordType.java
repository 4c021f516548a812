package dev.laurel.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An audit record type: the number the kernel uses and the name auditd writes
 * ({@code type=SYSCALL} is 1300). Types auditd does not name appear as {@code UNKNOWN[1420]}
 * on the line; laurel names them from the kernel's list where it knows the number.
 *
 * <pre>{@code
 * RecordType.of(1300) == RecordType.SYSCALL;   // true: known types are canonical
 * RecordType.named("PROCTITLE").code();        // 1327
 * RecordType.of(9999).name();                  // "UNKNOWN[9999]"
 * }</pre>
 */
public final class RecordType {
    private static final Map<Integer, RecordType> BY_CODE = new ConcurrentHashMap<>();
    private static final Map<String, RecordType> BY_NAME = new ConcurrentHashMap<>();

    static {
        RecordTypeNames.register();
    }

    public static final RecordType SYSCALL = of(1300);
    public static final RecordType PATH = of(1302);
    public static final RecordType SOCKADDR = of(1306);
    public static final RecordType CWD = of(1307);
    public static final RecordType EXECVE = of(1309);
    public static final RecordType OBJ_PID = of(1318);
    public static final RecordType EOE = of(1320);
    public static final RecordType PROCTITLE = of(1327);

    private final int code;
    private final String name;

    private RecordType(int code, String name) {
        this.code = code;
        this.name = name;
    }

    static void define(String name, int code) {
        RecordType t = new RecordType(code, name);
        BY_CODE.putIfAbsent(code, t);
        BY_NAME.putIfAbsent(name, t);
    }

    /** The type with this number; a canonical instance, named {@code UNKNOWN[n]} if unnamed. */
    public static RecordType of(int code) {
        RecordType t = BY_CODE.get(code);
        if (t != null) {
            return t;
        }
        // Bounded by the 32-bit code space in theory; in practice a handful of unnamed types.
        return BY_CODE.computeIfAbsent(code, c -> new RecordType(c, "UNKNOWN[" + c + "]"));
    }

    /** The type auditd writes as {@code name}, or {@code null} if the name is not known. */
    public static RecordType named(String name) {
        return BY_NAME.get(name);
    }

    /** The kernel's number for this type. */
    public int code() {
        return code;
    }

    /** The name auditd writes, e.g. {@code SYSCALL}; {@code UNKNOWN[n]} if unnamed. */
    public String name() {
        return name;
    }

    /**
     * Whether records of this type come from user space (1100-1299, 2100-2999): such a record is
     * a complete event by itself and has no EOE.
     */
    public boolean isUserSpace() {
        return (code >= 1100 && code <= 1299) || (code >= 2100 && code <= 2999);
    }

    /** Whether this is auditd's own record (DAEMON_*, 1200-1299), carrying auditd's serials. */
    public boolean isDaemon() {
        return code >= 1200 && code <= 1299;
    }

    @Override
    public String toString() {
        return name;
    }
}
