#!/usr/bin/env python3
"""Probe how LAUREL 0.5.1 renders each audit field, to derive laurel's FieldKinds table.

Usage (from the repository root, with LAUREL 0.5.1 at /usr/sbin/laurel):

    python3 laurel-engine/src/test/probe/probe_field_kinds.py [--laurel /usr/sbin/laurel] > /tmp/kinds.tsv

For every field name (the audit field dictionary plus every key found in testdata/), every
probe value and every record type below, it writes one synthetic event holding just that field,
runs LAUREL over all of them at once and classifies how the field came out:

    number     a JSON number               -> DEC
    0x..       a "0x" string               -> HEX
    0o..       a "0o" string               -> OCT
    decoded    hex digits decoded to bytes -> ENCODED
    string     the text as written         -> TEXT (or a number field whose value did not parse)
    null       JSON null
    absent     LAUREL moved or dropped the field (e.g. SYSCALL a0-a3 become ARGV)

Output: a TSV with one row per (type, name) and one column per probe value, then a summary
column with the kind inferred from the renderings. docs/format-fields.md explains the rules.
To refresh FieldKindsTest's expectations:

    python3 laurel-engine/src/test/probe/probe_field_kinds.py \
        --kinds laurel-engine/src/test/resources/dev/laurel/engine/parse/laurel-0.5.1-field-kinds.tsv

It takes a minute or two: a batch that makes LAUREL crash is re-run name by name (LAUREL 0.5.1
panics on a SYSCALL record without arch= and syscall=, so those two are always given).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

DICTIONARY = """a0 a1 a2 a3 acct acl action added addr apparmor arch argc audit_backlog_limit
audit_backlog_wait_time audit_enabled audit_failure auid banners bool bus capability cap_fe cap_fi
cap_fp cap_fver cap_frootid cap_pa cap_pe cap_pi cap_pp category cgroup changed cipher class cmd
code comm compat cwd daddr data default-context dev device dir direction dmac dport egid enforcing
entries errno euid exe exit fam family fd file flags fe feature fi fp format frootid fsgid fsuid
fver gid grantors grp hook hostname icmp_type id igid img-ctx inif ip ipid ino inode inode_gid
inode_uid invalid_context ioctlcmd ipx-net item items iuid kernel key kind ksize laddr len lport
list mac macproto maj major minor mode model msg nargs name nametype net new new-chardev new-disk
new-enabled new-fs new_gid new-level new_lock new-log_passwd new-mem new-net new_pe new_pi new_pp
new-range new-rng new-role new-seuser new-vcpu nlnk-fam nlnk-grp nlnk-pid oauid obj obj_gid
obj_uid oflag ogid ocomm old old-auid old-chardev old-disk old-enabled old_enforcing old-fs
old-level old_lock old-log_passwd old-mem old-net old_pa old_pe old_pi old_pp old_prom old-range
old-rng old-role old-ses old-seuser old_val old-vcpu op opid oses ouid outif pa pe pi pp parent
path per perm perm_mask permissive pfs pid ppid printer prom proctitle proto qbytes range rdev
reason removed res resrc result role rport saddr sauid scontext selected-context seperm seqno
seperms seresult ses seuser sgid sig sigev_signo smac spid sport state subj success suid syscall
table tclass tcontext terminal tty type uid unit uri user uuid val ver virt vm vm-ctx vm-pid
watch""".split()

# Names that are not in the dictionary, to see the rules for unknown names (suffixes etc.).
EXTRA = """a4 a10 a1_len a1[0] info objtype operation profile subj_apparmor uring_op node
zzz xuid x_uid fooid xgid foo_gid auidx uidx frobnicate saddr_fam
icmptype denied_mask requested_mask new_group resp sw root_dir nl-mcgrp resolve subj_trust
obj_trust fan_type fan_info tid tgid pers msgtype devmajor devminor subj_user subj_role subj_type
subj_sen subj_clr obj_user obj_role obj_type obj_lev_low obj_lev_high filetype field_compare
fd0 fd1 src dst faddr fport version attr granted denied exit_code""".split()
# (the second group: auparse's typetab.h and auditctl's field names that the dictionary lacks)

VALUES = ["10", "ff", "0755", "-5", "41424344", '"quoted"', "abc", "(null)", "?", "",
          "18446744073709551615", "0x10", "4142434"]

# A neutral kernel type, SYSCALL (LAUREL treats some of its fields specially), a user-space type,
# and the types whose special fields we know about.
TYPES = ["CONFIG_CHANGE", "SYSCALL", "USER_ACCT", "PATH", "EXECVE", "SOCKADDR", "PROCTITLE",
         "AVC", "BPRM_FCAPS", "UNKNOWN[1420]"]

USER_SPACE = {"USER_ACCT"}

# LAUREL 0.5.1 panics ("capacity overflow") on a SYSCALL record without arch and syscall.
PREFIX = {"SYSCALL": ["arch=c000003e", "syscall=1"]}


def prefix(t, n):
    return "".join(f + " " for f in PREFIX.get(t, []) if f.split("=")[0] != n)


def testdata_names(root):
    names = set()
    td = os.path.join(root, "testdata")
    files = [os.path.join(td, "real-enriched.log")]
    for d in ("laurel-fixtures", os.path.join("laurel-fixtures", "tree")):
        p = os.path.join(td, d)
        files += [os.path.join(p, f) for f in os.listdir(p) if f.endswith(".txt")]
    for f in files:
        with open(f, "rb") as fh:
            for line in fh:
                body = line.split(b"\x1d", 1)[0]
                for m in re.finditer(rb"(?:^| )([a-z][a-z0-9_\-\[\]]*)=", body):
                    n = m.group(1).decode()
                    if re.fullmatch(r"a\d+", n) and int(n[1:]) > 3:
                        continue  # EXECVE's a4..a2999: a4 and a10 stand for them
                    names.add(n)
    return names


def classify(value, rendered):
    if rendered is ABSENT:
        return "absent"
    if rendered is None:
        return "null"
    if isinstance(rendered, bool):
        return "bool"
    if isinstance(rendered, (int, float)):
        return "number"
    if isinstance(rendered, str):
        raw = value[1:-1] if value.startswith('"') else value
        if rendered.startswith("0x") and not raw.startswith("0x"):
            return "0x"
        if rendered.startswith("0o"):
            return "0o"
        if rendered == raw:
            return "string"
        if rendered == "ABCD" or rendered.startswith("%"):
            return "decoded"
        return "other:" + rendered
    return "other:" + json.dumps(rendered)


ABSENT = object()


def infer(cls):
    """The kind from the renderings of 10, ff, 41424344."""
    c10, cff, chex = cls["10"], cls["ff"], cls["41424344"]
    if c10 == "number":
        return "DEC"
    if c10 == "0x":
        return "HEX"
    if c10 == "0o":
        return "OCT"
    if chex == "decoded":
        return "ENCODED"
    if c10 == "string" and chex == "string":
        return "TEXT"
    return "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--laurel", default="/usr/sbin/laurel")
    ap.add_argument("--root", default=".")
    ap.add_argument("--raw", help="also write every rendering to this file")
    ap.add_argument("--kinds", help="also write 'type name kind' rows (FieldKindsTest's resource)")
    args = ap.parse_args()

    names = sorted(set(DICTIONARY) | set(EXTRA) | testdata_names(args.root))
    cases = {}
    groups = []  # one LAUREL run per group; a group that crashes LAUREL is split per name
    serial = 0
    for t in TYPES:
        for tail in (False, True):
            group = []
            for n in names + (["UID", "ARCH", "SYSCALL", "AUID", "FOO"] if tail else []):
                chunk = []
                for v in VALUES:
                    serial += 1
                    sid = "1.000:%d" % serial
                    cases[sid] = (t + ("+tail" if tail else ""), n, v)
                    if tail:  # ENRICHED tail: the name after 0x1D, behind a harmless field
                        chunk.append("type=%s msg=audit(%s): %sitem=0\x1d%s=%s" % (t, sid, prefix(t, ""), n, v))
                    else:
                        chunk.append("type=%s msg=audit(%s): %s%s=%s" % (t, sid, prefix(t, n), n, v))
                    if t not in USER_SPACE:
                        chunk.append("type=EOE msg=audit(%s):" % sid)
                group.append(chunk)
            groups.append(group)

    rendered = {}
    crashed = set()
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "probe.toml")
        with open(conf, "w") as fh:
            fh.write('directory = "%s"\n[auditlog]\nfile = "-"\n[enrich]\npid = false\n'
                     'execve-env = []\ncontainer = false\nscript = false\n' % tmp)

        def run(chunks):
            text = "\n".join(l for c in chunks for l in c) + "\n"
            p = subprocess.run([args.laurel, "-c", conf], input=text.encode(),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            if p.returncode != 0:
                return False
            for line in p.stdout.splitlines():
                ev = json.loads(line)
                sid = ev["ID"]
                if sid not in cases:
                    continue
                t, n, v = cases[sid]
                rec = ev.get(t.split("+")[0])
                if rec is None:  # LAUREL names some UNKNOWN[n] types itself (1420: MAC_TASK_CONTEXTS)
                    rec = next((v for k, v in ev.items() if k != "ID"), None)
                if isinstance(rec, list):
                    rec = rec[0]
                rendered[sid] = (rec or {}).get(n, ABSENT)
            return True

        for group in groups:
            if not run(group):
                for chunk in group:
                    if not run([chunk]):
                        for line in chunk:
                            if not line.startswith("type=EOE") and not run([[line, line.replace(
                                    line.split(" ")[0], "type=EOE").split("): ")[0] + "):"]]):
                                crashed.add(line.split("msg=audit(")[1].split(")")[0])

    table = {}
    raw = []
    for sid, (t, n, v) in cases.items():
        r = rendered.get(sid, ABSENT)
        table.setdefault((t, n), {})[v] = "crash" if sid in crashed else classify(v, r)
        raw.append("%s\t%s\t%s\t%s" % (t, n, v, "<absent>" if r is ABSENT else json.dumps(r)))
    if args.raw:
        with open(args.raw, "w") as fh:
            fh.write("\n".join(raw) + "\n")

    if args.kinds:
        with open(args.kinds, "w") as fh:
            fh.write("# LAUREL 0.5.1 field kinds, probed by laurel-engine/src/test/probe/probe_field_kinds.py.\n"
                     "# type (+tail: the field sat after the 0x1D byte)  name  kind inferred from how 10, ff, "
                     "41424344 came out\n"
                     "# Rows where LAUREL moved the field elsewhere (SYSCALL a0-a3, EXECVE args, PROCTITLE) "
                     "are left out.\n")
            for (t, n), cls in sorted(table.items()):
                if infer(cls) != "?":
                    fh.write("%s\t%s\t%s\n" % (t, n, infer(cls)))

    print("type\tname\t" + "\t".join(VALUES) + "\tkind")
    for (t, n), cls in sorted(table.items()):
        print("%s\t%s\t%s\t%s" % (t, n, "\t".join(cls[v] for v in VALUES), infer(cls)))


if __name__ == "__main__":
    sys.exit(main())
