package dev.laurel.plugins.ocsf;

import dev.laurel.api.internal.JsonFragment;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * The OCSF class and activity an audit event becomes, and how its body is written ({@link Body}).
 * Which syscall is what follows the facts of go-libaudit's {@code normalizations.yaml} (what
 * Auditbeat uses): execve executes, kill ends a process, connect connects, and so on;
 * {@code OcsfClassTest} checks the tables below against that file. An activity OCSF has no id
 * for is Other (99), named by go-libaudit's action ({@code "changed-identity-of"}).
 *
 * @param classUid      the class ({@code 1007})
 * @param className     its caption ({@code "Process Activity"})
 * @param categoryUid   the class's category ({@code 1})
 * @param categoryName  the category's caption ({@code "System Activity"})
 * @param activityId    the activity ({@code 1})
 * @param activityName  the activity's caption, or for Other the data source's name ({@code "Launch"})
 * @param body          what the class's body holds
 * @param direction     for network activity: OCSF's direction_id (1 inbound, 2 outbound), else 0
 * @param typeName      OCSF's type_name: "class caption: activity caption"
 * @param utf8          the four captions (class, category, activity, type) as UTF-8, written as they are
 * @param fragments     the format's classification attributes of this class, without and with
 *                      captions, made when first written ({@code OcsfFormat}); not part of the class's value
 */
record OcsfClass(int classUid, String className, int categoryUid, String categoryName, int activityId,
                 String activityName, Body body, int direction, String typeName, byte[][] utf8,
                 JsonFragment[] fragments) {

    OcsfClass(int classUid, String className, int categoryUid, String categoryName, int activityId,
              String activityName, Body body, int direction) {
        this(classUid, className, categoryUid, categoryName, activityId, activityName, body, direction,
                className + ": " + activityName, new byte[][] {utf8(className), utf8(categoryName),
                        utf8(activityName), utf8(className + ": " + activityName)}, new JsonFragment[2]);
    }

    static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** What an event's class-specific attributes are made of. */
    enum Body {
        /** execve: {@code process} is the new image, {@code actor.process} its parent. */
        EXEC,
        /** fork, clone: {@code process} is the child (the syscall's exit value), its parent the caller. */
        FORK,
        /** kill, ptrace: {@code process} is the target (OBJ_PID), {@code actor.process} the caller. */
        TARGET,
        /** exit_group, the setuid family: the caller is {@code process}. */
        SELF,
        /** File System Activity: {@code file} from the PATH records. */
        FILE,
        /** Network Activity: an endpoint from the SOCKADDR record. */
        NETWORK,
        /** Authentication and Account Change from a user-space (or LOGIN) record. */
        ACCOUNT,
        /** Base Event: the caller as {@code actor.process} when there is one. */
        BASE
    }

    int typeUid() {
        return classUid * 100 + activityId;
    }

    private static final String SYSTEM = "System Activity";
    private static final String IAM = "Identity & Access Management";

    private static OcsfClass process(int activity, String name, Body body) {
        return new OcsfClass(1007, "Process Activity", 1, SYSTEM, activity, name, body, 0);
    }

    private static OcsfClass file(int activity, String name) {
        return new OcsfClass(1001, "File System Activity", 1, SYSTEM, activity, name, Body.FILE, 0);
    }

    private static OcsfClass network(int activity, String name, int direction) {
        return new OcsfClass(4001, "Network Activity", 4, "Network Activity", activity, name, Body.NETWORK,
                direction);
    }

    private static OcsfClass authentication(int activity, String name) {
        return new OcsfClass(3002, "Authentication", 3, IAM, activity, name, Body.ACCOUNT, 0);
    }

    private static OcsfClass accountChange(int activity, String name) {
        return new OcsfClass(3001, "Account Change", 3, IAM, activity, name, Body.ACCOUNT, 0);
    }

    /** Base Event, Other: {@code name} is the syscall or record type. */
    static OcsfClass base(String name) {
        return BASE.computeIfAbsent(name,
                n -> new OcsfClass(0, "Base Event", 0, "Uncategorized", 99, n, Body.BASE, 0));
    }

    private static final Map<String, OcsfClass> SYSCALLS = new HashMap<>();
    private static final Map<String, OcsfClass> RECORDS = new HashMap<>();
    private static final Map<String, OcsfClass> BASE = new ConcurrentHashMap<>();

    private static void syscalls(OcsfClass c, String... names) {
        for (String n : names) {
            SYSCALLS.put(n, c);
        }
    }

    private static void records(OcsfClass c, String... names) {
        for (String n : names) {
            RECORDS.put(n, c);
        }
    }

    static {
        // Process Activity (1007)
        syscalls(process(1, "Launch", Body.EXEC), "execve", "execveat");
        syscalls(process(1, "Launch", Body.FORK), "fork", "vfork", "clone", "clone3");
        syscalls(process(2, "Terminate", Body.TARGET), "kill", "tkill", "tgkill");
        syscalls(process(2, "Terminate", Body.SELF), "exit_group");
        syscalls(process(4, "Inject", Body.TARGET), "ptrace");
        syscalls(process(5, "Set User ID", Body.SELF),
                "setuid", "seteuid", "setfsuid", "setreuid", "setresuid");
        syscalls(process(99, "changed-identity-of", Body.SELF),
                "setgid", "setegid", "setfsgid", "setregid", "setresgid");
        // File System Activity (1001): go-libaudit's file actions
        syscalls(file(1, "Create"), "creat", "mkdir", "mkdirat", "mknod", "mknodat", "link", "linkat",
                "symlink", "symlinkat");
        syscalls(file(14, "Open"), "open", "openat", "openat2", "readlink", "readlinkat");
        syscalls(file(2, "Read"), "read");
        syscalls(file(3, "Update"), "write", "writev", "pwrite64", "pwritev", "pwritev2", "fallocate",
                "truncate", "ftruncate");
        syscalls(file(4, "Delete"), "unlink", "unlinkat", "rmdir");
        syscalls(file(5, "Rename"), "rename", "renameat", "renameat2");
        syscalls(file(6, "Set Attributes"), "setxattr", "lsetxattr", "fsetxattr", "removexattr",
                "lremovexattr", "fremovexattr", "utime", "utimes", "futimesat", "futimens", "utimensat");
        syscalls(file(7, "Set Security"), "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown",
                "fchownat", "lchown");
        syscalls(file(8, "Get Attributes"), "stat", "stat64", "lstat", "fstat", "fstatat", "newfstatat", "statx",
                "access", "faccessat", "faccessat2", "getxattr", "lgetxattr", "fgetxattr", "statfs", "fstatfs");
        syscalls(file(12, "Mount"), "mount");
        syscalls(file(13, "Unmount"), "umount", "umount2");
        // Network Activity (4001)
        syscalls(network(1, "Open", 2), "connect");
        syscalls(network(1, "Open", 1), "accept", "accept4");
        syscalls(network(7, "Listen", 1), "listen");
        syscalls(network(99, "bound-socket", 1), "bind");
        syscalls(network(6, "Traffic", 2), "send", "sendto", "sendmsg", "sendmmsg");
        syscalls(network(6, "Traffic", 1), "recv", "recvfrom", "recvmsg", "recvmmsg");
        // Authentication (3002): logins and PAM
        records(authentication(1, "Logon"), "USER_LOGIN", "USER_START", "LOGIN");
        records(authentication(2, "Logoff"), "USER_LOGOUT", "USER_END");
        records(authentication(99, "authenticated"), "USER_AUTH");
        records(authentication(99, "was-authorized"), "USER_ACCT");
        records(authentication(99, "acquired-credentials"), "CRED_ACQ");
        records(authentication(99, "disposed-credentials"), "CRED_DISP");
        records(authentication(99, "refreshed-credentials"), "CRED_REFR");
        records(authentication(99, "error"), "USER_ERR");
        records(authentication(99, "authenticated-to-group"), "GRP_AUTH");
        records(authentication(99, "changed-role-to"), "USER_ROLE_CHANGE");
        // Account Change (3001): user management
        records(accountChange(1, "Create"), "ADD_USER");
        records(accountChange(6, "Delete"), "DEL_USER");
        records(accountChange(3, "Password Change"), "USER_CHAUTHTOK");
        records(accountChange(9, "Lock"), "ACCT_LOCK");
        records(accountChange(12, "Unlock"), "ACCT_UNLOCK");
        records(accountChange(99, "modified-user-account"), "USER_MGMT");
        records(accountChange(99, "added-group-account-to"), "ADD_GROUP");
        records(accountChange(99, "deleted-group-account-from"), "DEL_GROUP");
        records(accountChange(99, "modified-group-account"), "GRP_MGMT");
        records(accountChange(99, "changed-group-password"), "GRP_CHAUTHTOK");
        records(accountChange(99, "assigned-user-role-to"), "ROLE_ASSIGN");
        records(accountChange(99, "removed-user-role-from"), "ROLE_REMOVE");
        records(accountChange(99, "modified-role"), "ROLE_MODIFY");
    }

    /** The class of a syscall event, by the syscall's name; Base Event for the rest. */
    static OcsfClass ofSyscall(String name) {
        OcsfClass c = SYSCALLS.get(name);
        return c != null ? c : base(name);
    }

    /** The class a record of this type gives its event, or null if it does not decide. */
    static OcsfClass ofRecord(String recordType) {
        return RECORDS.get(recordType);
    }

    /** The syscall names this class maps (for tests). */
    static Map<String, OcsfClass> syscallTable() {
        return Map.copyOf(SYSCALLS);
    }

    /** The record types this class maps (for tests). */
    static Map<String, OcsfClass> recordTable() {
        return Map.copyOf(RECORDS);
    }
}
