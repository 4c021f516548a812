#!/usr/bin/env python3
"""Regenerates src/main/resources/dev/laurel/plugins/translate/syscalls-*.txt.

Origin of the tables:
- x86_64, i386, aarch64, arm, ppc (also used for ppc64 and ppc64le), s390, s390x:
  `ausyscall ARCH --dump` from Debian's auditd 1:3.0.9-1 (the audit userspace version that
  wrote testdata/real-enriched.log), so SYSCALL names match auditd's ENRICHED format.
- x86_64 and aarch64 additionally get 451-462 (cachestat ... mseal), which auditd 3.0.9
  predates, with the names and numbers of the Linux kernel's tables as listed by
  github.com/hrw/syscalls-table (data/tables/syscalls-x86_64 at 75aca74f, syscalls-arm64 at 41500fd1).
- riscv64, riscv32: auditd 3.0.9 has no RISC-V tables; the kernel's generic table as listed
  by github.com/hrw/syscalls-table (data/tables/syscalls-riscv64 at 41500fd1,
  syscalls-riscv32 at 75aca74f), given to this script as "number name" files (tools/riscv64-kernel.txt, tools/riscv32-kernel.txt).

Usage: syscall-tables.py OUTDIR RISCV64.txt RISCV32.txt   (needs ausyscall on PATH)
"""
import subprocess
import sys

NEWER = {451: "cachestat", 452: "fchmodat2", 453: "map_shadow_stack", 454: "futex_wake",
         455: "futex_wait", 456: "futex_requeue", 457: "statmount", 458: "listmount",
         459: "lsm_get_self_attr", 460: "lsm_set_self_attr", 461: "lsm_list_modules", 462: "mseal"}


def ausyscall(arch):
    out = subprocess.run(["ausyscall", arch, "--dump"], check=True, capture_output=True, text=True).stdout
    table = {}
    for line in out.splitlines()[1:]:        # the first line says which table it used
        number, name = line.split("\t")
        table[int(number)] = name
    return table


def write(outdir, arch, table, origin):
    with open(f"{outdir}/syscalls-{arch}.txt", "w") as f:
        f.write(f"# {arch} syscall numbers and names. {origin}\n")
        for number in sorted(table):
            f.write(f"{number} {table[number]}\n")


def main(outdir, riscv64, riscv32):
    auditd = "From `ausyscall {} --dump` (Debian auditd 1:3.0.9-1)"
    for arch in ("x86_64", "i386", "aarch64", "arm", "ppc", "s390", "s390x"):
        table = ausyscall(arch)
        origin = auditd.format(arch)
        if arch in ("x86_64", "aarch64"):
            for number, name in NEWER.items():
                table.setdefault(number, name)
            origin += "; 451-462 from the Linux kernel's table (github.com/hrw/syscalls-table)"
        write(outdir, arch, table, origin + ". See README.md.")
    for arch, path in (("riscv64", riscv64), ("riscv32", riscv32)):
        table = {}
        for line in open(path):
            number, name = line.split()
            table[int(number)] = name
        write(outdir, arch, table, "From the Linux kernel's generic table as listed by "
              "github.com/hrw/syscalls-table. See README.md.")


if __name__ == "__main__":
    main(*sys.argv[1:4])
