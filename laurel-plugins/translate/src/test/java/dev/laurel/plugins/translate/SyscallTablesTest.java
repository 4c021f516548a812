package dev.laurel.plugins.translate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SyscallTablesTest {

    private final SyscallTables tables = SyscallTables.load();

    private String name(long arch, long nr) {
        SyscallTables.Arch a = tables.arch(arch);
        return a == null || a.syscall(nr) == null ? null : a.syscall(nr).asString();
    }

    private String arch(long arch) {
        return tables.arch(arch).name().asString();
    }

    @Test
    void namesEveryArchitectureAuditdKnowsByItsAuditArchValue() {
        assertThat(arch(0xc000003eL)).isEqualTo("x86_64");
        assertThat(arch(0x40000003L)).isEqualTo("i386");
        assertThat(arch(0xc00000b7L)).isEqualTo("aarch64");
        assertThat(arch(0x40000028L)).isEqualTo("arm");
        assertThat(arch(0x28L)).isEqualTo("armeb");
        assertThat(arch(0x80000015L)).isEqualTo("ppc64");
        assertThat(arch(0xc0000015L)).isEqualTo("ppc64le");
        assertThat(arch(0x14L)).isEqualTo("ppc");
        assertThat(arch(0x80000016L)).isEqualTo("s390x");
        assertThat(arch(0x16L)).isEqualTo("s390");
        assertThat(arch(0xc00000f3L)).isEqualTo("riscv64");
        assertThat(arch(0x400000f3L)).isEqualTo("riscv32");
        assertThat(tables.arch(0x12345678L)).isNull();
    }

    @Test
    void namesExecveByEachArchitecturesOwnNumber() {
        assertThat(name(0xc000003eL, 59)).isEqualTo("execve");
        assertThat(name(0x40000003L, 11)).isEqualTo("execve");
        assertThat(name(0xc00000b7L, 221)).isEqualTo("execve");
        assertThat(name(0x40000028L, 11)).isEqualTo("execve");
        assertThat(name(0xc0000015L, 11)).isEqualTo("execve");
        assertThat(name(0x80000016L, 11)).isEqualTo("execve");
        assertThat(name(0x16L, 11)).isEqualTo("execve");
        assertThat(name(0xc00000f3L, 221)).isEqualTo("execve");
        assertThat(name(0x400000f3L, 221)).isEqualTo("execve");
    }

    @Test
    void usesAuditdsNamesWhereTheyDifferFromTheKernels() {
        assertThat(name(0xc00000b7L, 80)).isEqualTo("newfstat");       // kernel: fstat
        assertThat(name(0xc00000f3L, 80)).isEqualTo("fstat");          // RISC-V: the kernel's table
        assertThat(name(0xc000003eL, 44)).isEqualTo("sendto");
    }

    @Test
    void knowsSyscallsNewerThanAuditd309OnX86AndArm64() {
        assertThat(name(0xc000003eL, 451)).isEqualTo("cachestat");
        assertThat(name(0xc00000b7L, 462)).isEqualTo("mseal");
        assertThat(name(0x40000003L, 451)).isNull();
    }

    @Test
    void hasNoNameForNumbersOutsideTheTable() {
        assertThat(name(0xc000003eL, 999)).isNull();
        assertThat(name(0xc000003eL, -1)).isNull();
        assertThat(name(0xc000003eL, Long.MAX_VALUE)).isNull();
        assertThat(name(0xc00000f3L, 38)).isNull();                   // renameat: not on RISC-V
    }

    @Test
    void everyTableIsLargeAndStartsWithItsArchitecturesFirstSyscall() {
        assertThat(name(0xc000003eL, 0)).isEqualTo("read");
        assertThat(name(0x40000003L, 0)).isEqualTo("restart_syscall");
        assertThat(name(0xc00000b7L, 0)).isEqualTo("io_setup");
        assertThat(name(0x80000016L, 1)).isEqualTo("exit");
        for (long arch : new long[] {0xc000003eL, 0x40000003L, 0xc00000b7L, 0x40000028L, 0x80000015L, 0x80000016L,
                0x16L, 0xc00000f3L, 0x400000f3L}) {
            SyscallTables.Arch a = tables.arch(arch);
            long named = java.util.Arrays.stream(a.syscalls()).filter(java.util.Objects::nonNull).count();
            assertThat(named).as(a.name().asString()).isGreaterThan(300);
        }
    }
}
