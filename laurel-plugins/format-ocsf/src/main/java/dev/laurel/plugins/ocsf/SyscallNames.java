package dev.laurel.plugins.ocsf;

import java.util.HashMap;
import java.util.Map;

/**
 * The names of the syscalls {@link OcsfClass} maps, by number, for logs whose SYSCALL record
 * has no {@code SYSCALL=} name (auditd's RAW format without the translate enricher): x86_64 and
 * aarch64 only, the others are named by the translate enricher or become Base Events.
 * {@code SyscallNamesTest} checks every number against the translate enricher's tables.
 */
final class SyscallNames {
    static final long X86_64 = 0xc000003eL;
    static final long AARCH64 = 0xc00000b7L;

    private static final Map<Long, String> NAMES = new HashMap<>();

    static {
        add(X86_64, new int[] {
            0, 1, 2, 4, 5, 6, 20, 21, 42, 43, 44, 45, 46, 47, 49, 50, 56, 57, 58, 59, 62, 76,
            77, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 101, 105, 106, 113, 114,
            117, 119, 122, 123, 132, 133, 137, 138, 165, 166, 188, 189, 190, 191, 192, 193, 197,
            198, 199, 200, 231, 234, 235, 257, 258, 259, 260, 261, 262, 263, 264, 265, 266, 267,
            268, 269, 280, 285, 288, 296, 299, 307, 316, 322, 328, 332, 435, 437, 439, 452
        }, new String[] {
            "read", "write", "open", "stat", "fstat", "lstat", "writev", "access", "connect",
            "accept", "sendto", "recvfrom", "sendmsg", "recvmsg", "bind", "listen", "clone",
            "fork", "vfork", "execve", "kill", "truncate", "ftruncate", "rename", "mkdir",
            "rmdir", "creat", "link", "unlink", "symlink", "readlink", "chmod", "fchmod",
            "chown", "fchown", "lchown", "ptrace", "setuid", "setgid", "setreuid", "setregid",
            "setresuid", "setresgid", "setfsuid", "setfsgid", "utime", "mknod", "statfs",
            "fstatfs", "mount", "umount2", "setxattr", "lsetxattr", "fsetxattr", "getxattr",
            "lgetxattr", "fgetxattr", "removexattr", "lremovexattr", "fremovexattr", "tkill",
            "exit_group", "tgkill", "utimes", "openat", "mkdirat", "mknodat", "fchownat",
            "futimesat", "newfstatat", "unlinkat", "renameat", "linkat", "symlinkat",
            "readlinkat", "fchmodat", "faccessat", "utimensat", "fallocate", "accept4",
            "pwritev", "recvmmsg", "sendmmsg", "renameat2", "execveat", "pwritev2", "statx",
            "clone3", "openat2", "faccessat2", "fchmodat2"
        });
        add(AARCH64, new int[] {
            5, 6, 7, 8, 9, 10, 14, 15, 16, 33, 34, 35, 36, 37, 38, 39, 40, 43, 44, 45, 46, 47,
            48, 52, 53, 54, 55, 56, 63, 64, 66, 70, 78, 79, 88, 94, 117, 129, 130, 131, 143,
            144, 145, 146, 147, 149, 151, 152, 200, 201, 202, 203, 206, 207, 211, 212, 220, 221,
            242, 243, 269, 276, 281, 287, 291, 435, 437, 439, 452
        }, new String[] {
            "setxattr", "lsetxattr", "fsetxattr", "getxattr", "lgetxattr", "fgetxattr",
            "removexattr", "lremovexattr", "fremovexattr", "mknodat", "mkdirat", "unlinkat",
            "symlinkat", "linkat", "renameat", "umount2", "mount", "statfs", "fstatfs",
            "truncate", "ftruncate", "fallocate", "faccessat", "fchmod", "fchmodat", "fchownat",
            "fchown", "openat", "read", "write", "writev", "pwritev", "readlinkat",
            "newfstatat", "utimensat", "exit_group", "ptrace", "kill", "tkill", "tgkill",
            "setregid", "setgid", "setreuid", "setuid", "setresuid", "setresgid", "setfsuid",
            "setfsgid", "bind", "listen", "accept", "connect", "sendto", "recvfrom", "sendmsg",
            "recvmsg", "clone", "execve", "accept4", "recvmmsg", "sendmmsg", "renameat2",
            "execveat", "pwritev2", "statx", "clone3", "openat2", "faccessat2", "fchmodat2"
        });
    }

    private SyscallNames() {
    }

    private static void add(long arch, int[] numbers, String[] names) {
        for (int i = 0; i < numbers.length; i++) {
            NAMES.put(arch << 16 | numbers[i], names[i]);
        }
    }

    /** The name of syscall {@code nr} on AUDIT_ARCH {@code arch} if it is one we map, else null. */
    static String name(long arch, long nr) {
        return nr < 0 || nr > 0xffff ? null : NAMES.get(arch << 16 | nr);
    }

    /** Every (arch, number, name) known, for tests. */
    static Map<Long, String> all() {
        return Map.copyOf(NAMES);
    }
}
