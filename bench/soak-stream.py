#!/usr/bin/env python3
"""Writes a synthetic audit stream for bench/soak.sh on stdout.

EVENTS events (default 10,000,000) spread over PIDS distinct pids (default 1,000,000): 40% execve
(SYSCALL, EXECVE, CWD, PATH, PROCTITLE), 20% clone (a new pid), 40% openat (SYSCALL, CWD, PATH,
PROCTITLE); MISSING_EOE of the events (default 5%) have no EOE. Event time advances 1 ms per
event, so events without EOE are emitted by the assembler's event-time wait. Serials are
consecutive (no lost events). Seeded: the same stream every run.
"""
import os
import random
import sys

events = int(os.environ.get("EVENTS", "10000000"))
pids = int(os.environ.get("PIDS", "1000000"))
missing = float(os.environ.get("MISSING_EOE", "0.05"))
rng = random.Random(7)
out = sys.stdout.buffer
buf = []
size = 0
t0 = 1795600000000  # ms

ENR = "\x1dARCH=x86_64 SYSCALL={sc} AUID=\"audtest\" UID=\"root\" GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" EGID=\"root\" SGID=\"root\" FSGID=\"root\""

for serial in range(1, events + 1):
    ms = t0 + serial
    h = "msg=audit(%d.%03d:%d): " % (ms // 1000, ms % 1000, serial)
    pid = 1000 + rng.randrange(pids)
    ppid = 1000 + rng.randrange(pids)
    kind = rng.random()
    if kind < 0.4:
        arg = "file-%d" % rng.randrange(1 << 30)
        lines = [
            "type=SYSCALL %sarch=c000003e syscall=59 success=yes exit=0 a0=55d0c0a0 a1=55d0c0b0 a2=55d0c0c0 a3=0 items=2 ppid=%d pid=%d auid=1001 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm=\"cat\" exe=\"/usr/bin/cat\" key=\"exec\"%s" % (h, ppid, pid, ENR.format(sc="execve")),
            "type=EXECVE %sargc=2 a0=\"cat\" a1=\"%s\"" % (h, arg),
            "type=CWD %scwd=\"/tmp\"" % h,
            "type=PATH %sitem=0 name=\"/usr/bin/cat\" inode=269901 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\x1dOUID=\"root\" OGID=\"root\"" % h,
            "type=PROCTITLE %sproctitle=%s" % (h, ("cat\0" + arg).encode().hex().upper()),
        ]
    elif kind < 0.6:
        child = 1000 + rng.randrange(pids)
        lines = [
            "type=SYSCALL %sarch=c000003e syscall=56 success=yes exit=%d a0=1200011 a1=0 a2=0 a3=7f items=0 ppid=%d pid=%d auid=1001 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm=\"bash\" exe=\"/usr/bin/bash\" key=\"fork\"%s" % (h, child, ppid, pid, ENR.format(sc="clone")),
            "type=PROCTITLE %sproctitle=\"bash\"" % h,
        ]
    else:
        lines = [
            "type=SYSCALL %sarch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd a2=0 a3=0 items=1 ppid=%d pid=%d auid=1001 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm=\"cat\" exe=\"/usr/bin/cat\" key=(null)%s" % (h, ppid, pid, ENR.format(sc="openat")),
            "type=CWD %scwd=\"/tmp\"" % h,
            "type=PATH %sitem=0 name=\"/etc/hosts\" inode=1234 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\x1dOUID=\"root\" OGID=\"root\"" % h,
            "type=PROCTITLE %sproctitle=\"cat\"" % h,
        ]
    if rng.random() >= missing:
        lines.append("type=EOE " + h.rstrip())
    chunk = "\n".join(lines) + "\n"
    buf.append(chunk)
    size += len(chunk)
    if size > 1 << 20:
        out.write("".join(buf).encode("latin-1"))
        buf = []
        size = 0
out.write("".join(buf).encode("latin-1"))
out.flush()
