package dev.laurel.engine.parse;

import dev.laurel.api.RecordType;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@link FieldKind} of each field name, by LAUREL 0.5.1's rules. Shared by the parser
 * (to recognise hex-encoded strings) and the JSON encoder (to write numbers).
 *
 * <p>Derived from LAUREL's behaviour (see {@code src/test/probe/probe_field_kinds.py} and
 * {@code docs/format-fields.md}): the kind depends on the name alone, the same in every record
 * type and after the ENRICHED 0x1D byte, except for a few fields of SYSCALL and EXECVE:
 * <ul>
 *   <li>the names below are decimal, hexadecimal or octal numbers;</li>
 *   <li>any other name ending in {@code uid} or {@code gid} (case-sensitive) is decimal;</li>
 *   <li>every other name, known or not, upper-case ENRICHED names included, is ENCODED;</li>
 *   <li>SYSCALL's {@code a0}..{@code a3} are hexadecimal; EXECVE's {@code a<n>_len} decimal.</li>
 * </ul>
 *
 * <pre>{@code
 * FieldKinds.of(RecordType.PATH, "mode");      // OCT: "0o100755"
 * FieldKinds.of(RecordType.SYSCALL, "a0");     // HEX: "0x7ffc..."
 * FieldKinds.of(RecordType.EXECVE, "a0");      // ENCODED
 * FieldKinds.of(RecordType.LOGIN, "old-auid"); // DEC
 * }</pre>
 */
public final class FieldKinds {
    private FieldKinds() {
    }

    // Names whose kind is not ENCODED and not given by the uid/gid suffix rule; those ending in
    // uid/gid are listed too where LAUREL knows them, so that the table reads as the probe found it.
    private static final String DEC_NAMES = "argc audit_backlog_limit audit_backlog_wait_time "
            + "audit_enabled audit_failure cap_fe capability changed compat dport enforcing entries "
            + "errno exit family fd fe ino inode ipid item items len list lport major minor nargs "
            + "new-enabled new-log_passwd new_lock nlnk-pid old-enabled old-log_passwd old-ses "
            + "old_enforcing old_lock old_prom old_val opid oses permissive pid ppid prom proto res "
            + "rport seqno ses sig sigev_signo spid sport syscall val vm-pid "
            + "auid egid euid fsgid fsuid gid igid inode_gid inode_uid iuid new_gid oauid obj_gid "
            + "obj_uid ogid old-auid ouid sauid sgid suid uid uuid";
    private static final String HEX_NAMES = "arch cap_fi cap_fp cap_fver cap_pa cap_pe cap_pi "
            + "cap_pp code fi flags fp fver ioctlcmd old_pa old_pe old_pi old_pp pa pe per pi pp "
            + "qbytes";
    private static final String OCT_NAMES = "mode";

    /** Field names known to LAUREL's rules or seen in real logs; the parser pre-interns them. */
    private static final String ENCODED_NAMES = "a0 a1 a2 a3 acct acl action added addr apparmor "
            + "banners bool bus cap_frootid category cgroup cipher class cmd comm cwd daddr data "
            + "default-context dev device dir direction dmac exe fam feature file format frootid "
            + "grantors grp hook hostname icmp_type id img-ctx inif info invalid_context ip ipx-net "
            + "kernel key kind ksize laddr mac macproto maj model msg name nametype net new "
            + "new-chardev new-disk new-fs new-level new-mem new-net new-range new-rng new-role "
            + "new-seuser new-vcpu new_pe new_pi new_pp nlnk-fam nlnk-grp node obj objtype ocomm "
            + "oflag old old-chardev old-disk old-fs old-level old-mem old-net old-range old-rng "
            + "old-role old-seuser old-vcpu op operation outif parent path perm perm_mask pfs "
            + "printer profile proctitle range rdev reason removed resrc result role saddr "
            + "saddr_fam scontext selected-context seperm seperms seresult seuser smac state subj "
            + "subj_apparmor success table tclass tcontext terminal tty type unit uri uring_op user "
            + "ver virt vm vm-ctx watch "
            // auditd's ENRICHED translations
            + "ARCH SYSCALL AUID UID GID EUID SUID FSUID EGID SGID FSGID OUID OGID OAUID OLD-AUID "
            + "SADDR";

    private static final Map<String, FieldKind> BY_NAME = build();

    private static Map<String, FieldKind> build() {
        Map<String, FieldKind> m = new HashMap<>(512);
        put(m, ENCODED_NAMES, FieldKind.ENCODED);
        put(m, DEC_NAMES, FieldKind.DEC);
        put(m, HEX_NAMES, FieldKind.HEX);
        put(m, OCT_NAMES, FieldKind.OCT);
        return Map.copyOf(m);
    }

    private static void put(Map<String, FieldKind> m, String names, FieldKind kind) {
        for (String n : names.split(" ")) {
            m.put(n.intern(), kind);
        }
    }

    /** The kind of field {@code name} in a record of {@code type}. */
    public static FieldKind of(RecordType type, String name) {
        FieldKind special = special(type, name);
        return special != null ? special : byName(name);
    }

    /** The kind by name alone, as in any record type without special fields. */
    public static FieldKind byName(String name) {
        FieldKind k = BY_NAME.get(name);
        if (k != null) {
            return k;
        }
        return name.endsWith("uid") || name.endsWith("gid") ? FieldKind.DEC : FieldKind.ENCODED;
    }

    /**
     * The kind where the record type overrides the name's kind, else {@code null}: SYSCALL's
     * syscall arguments {@code a0}..{@code a3} (LAUREL writes them as "0x.." in ARGV), and
     * EXECVE's argument lengths {@code a<n>_len}.
     */
    public static FieldKind special(RecordType type, String name) {
        if (type == RecordType.SYSCALL) {
            if (name.length() == 2 && name.charAt(0) == 'a' && name.charAt(1) >= '0'
                    && name.charAt(1) <= '3') {
                return FieldKind.HEX;
            }
        } else if (type == RecordType.EXECVE && isArgLength(name)) {
            return FieldKind.DEC;
        }
        return null;
    }

    private static boolean isArgLength(String name) {
        int n = name.length();
        if (n < 6 || name.charAt(0) != 'a' || !name.endsWith("_len")) {
            return false;
        }
        for (int i = 1; i < n - 4; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The names the table knows (for pre-interning), each the canonical String instance. */
    static Iterable<String> knownNames() {
        return BY_NAME.keySet();
    }
}
