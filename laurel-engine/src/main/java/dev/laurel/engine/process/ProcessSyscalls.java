package dev.laurel.engine.process;

/**
 * Which syscalls create, replace or end a process, per audit architecture ({@code arch=} is the
 * kernel's AUDIT_ARCH_* value). Only what process tracking needs; the translate enricher has the
 * full tables.
 */
final class ProcessSyscalls {

    enum Kind { EXEC, FORK, EXIT, OTHER }

    private static final long X86_64 = 0xc000003eL;
    private static final long I386 = 0x40000003L;
    private static final long AARCH64 = 0xc00000b7L;
    private static final long ARM = 0x40000028L;
    private static final long PPC64 = 0x80000015L;
    private static final long PPC64LE = 0xc0000015L;
    private static final long S390X = 0x80000016L;
    private static final long RISCV64 = 0xc00000f3L;

    private ProcessSyscalls() {
    }

    static Kind kind(long arch, long nr) {
        if (nr == 435) {                 // clone3: the same number on every architecture
            return Kind.FORK;
        }
        if (arch == X86_64) {
            return x86_64(nr);
        }
        if (arch == AARCH64 || arch == RISCV64) {
            // the generic table (asm-generic/unistd.h)
            return nr == 221 || nr == 281 ? Kind.EXEC
                    : nr == 220 ? Kind.FORK
                    : nr == 93 || nr == 94 ? Kind.EXIT : Kind.OTHER;
        }
        if (arch == I386) {
            return legacy(nr, 190, 252, 358);
        }
        if (arch == ARM) {
            return legacy(nr, 190, 248, 387);
        }
        if (arch == PPC64 || arch == PPC64LE) {
            return legacy(nr, 189, 234, 362);
        }
        if (arch == S390X) {
            return legacy(nr, 190, 248, 354);
        }
        return Kind.OTHER;
    }

    private static Kind x86_64(long nr) {
        return nr == 59 || nr == 322 ? Kind.EXEC
                : nr == 56 || nr == 57 || nr == 58 ? Kind.FORK
                : nr == 60 || nr == 231 ? Kind.EXIT : Kind.OTHER;
    }

    /** The i386-derived tables: exit 1, fork 2, execve 11, clone 120. */
    private static Kind legacy(long nr, long vfork, long exitGroup, long execveat) {
        return nr == 11 || nr == execveat ? Kind.EXEC
                : nr == 2 || nr == 120 || nr == vfork ? Kind.FORK
                : nr == 1 || nr == exitGroup ? Kind.EXIT : Kind.OTHER;
    }
}
