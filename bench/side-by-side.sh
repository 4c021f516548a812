#!/usr/bin/env bash
# Runs Debian's LAUREL 0.5.1 and our laurel alternately on the same scaled corpus and compares
# CPU time, wall time, peak RSS and throughput.
#
#   bench/side-by-side.sh [COPIES [RUNS]]      (defaults 200 and 3; or COPIES=, RUNS= in the env)
#
# CHAIN=basic (default): LAUREL without pid enrichment, ours with hex-decoder and json-file.
# CHAIN=full: the "Performance" issue's chain. Ours: hex-decoder, parent-info, key-labeler
# (label-keys and propagate-labels [software_mgmt]), json-file; LAUREL: [enrich] pid = true and
# the same [label-process] settings. Both read the running processes from /proc (LAUREL at start
# and for every pid it has not seen, ours once at start: proc-root keeps its default), so both
# pay for /proc; the corpus' pids are not this machine's, so neither finds them there.
#
# Needs: /usr/sbin/laurel (LAUREL 0.5.1), a built distribution (mvn package: laurel-dist/target/
# laurel/bin/laurel), python3, /usr/bin/time (GNU). The corpus is made by bench/tools/make-corpus.py
# (SHARED=DIR: DIR/bench/make-corpus.py instead). LAUREL_REF overrides the
# LAUREL binary, OURS our launcher; LAUREL_JAVA_OPTS is passed on to our JVM.
#
# BASE=path/to/bin/laurel adds a second build of ours (e.g. main before a change) to every round,
# with the same config and chain, so a change is judged against LAUREL and the old build in one run
# on the same machine state: its row is "base" and the summary gives laurel/base.
#
# FLOOR=1 adds two runs that only copy the corpus to a file (bench/floor, needs gcc): copy-c in C,
# and copy-java on the JVM with laurel's memory and compiler options, for what moving the bytes
# and starting the JVM cost on this machine before any parsing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
copies=${1:-${COPIES:-200}}
runs=${2:-${RUNS:-3}}
make_corpus=${SHARED:+$SHARED/bench/make-corpus.py}
make_corpus=${make_corpus:-$root/bench/tools/make-corpus.py}
capture=$root/testdata/real-enriched.log
ref=${LAUREL_REF:-/usr/sbin/laurel}
ours=${OURS:-$root/laurel-dist/target/laurel/bin/laurel}
chain=${CHAIN:-basic}
floor=${FLOOR:-0}
base=${BASE:-}
timer=/usr/bin/time

die() { echo "side-by-side: $*" >&2; exit 1; }
[ -f "$make_corpus" ] || die "no $make_corpus: unset SHARED to use bench/tools/make-corpus.py"
[ -f "$capture" ] || die "no $capture"
[ -x "$ref" ] || die "no LAUREL at $ref (apt-get install laurel, or set LAUREL_REF)"
[ -x "$ours" ] || die "no $ours: build it first with mvn -o package -DskipTests"
[ -z "$base" ] || [ -x "$base" ] || die "BASE=$base is not an executable launcher (bin/laurel of another build)"
if [ ! -x "$timer" ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq time >/dev/null || die "cannot install GNU time"
    else
        die "GNU time is missing: apt-get install time"
    fi
fi
case $copies in ''|*[!0-9]*) die "COPIES must be a number, got '$copies'" ;; esac
case $chain in basic|full) ;; *) die "CHAIN must be basic or full, got '$chain'" ;; esac
case $runs in ''|*[!0-9]*|0) die "RUNS must be a positive number, got '$runs'" ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/side-by-side.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

corpus=$work/corpus.log
echo "making the corpus: $copies copies of $(basename "$capture") ..." >&2
python3 "$make_corpus" "$capture" "$copies" >"$corpus"
lines=$(wc -l <"$corpus")
echo "corpus: $lines lines, $(du -h "$corpus" | cut -f1)" >&2

# LAUREL 0.5.1 as in testdata/laurel-0.5.1-reference.toml (no /proc lookups: the corpus' pids are
# not this machine's), writing a file it never rotates, with one process label.
mkdir -p "$work/ref"
if [ "$chain" = full ]; then enrich_pid=true; propagate='propagate-labels = ["software_mgmt"]'; else enrich_pid=false; propagate=; fi
cat >"$work/ref.toml" <<TOML
directory = "$work/ref"
[auditlog]
file = "out.jsonl"   # relative to directory: LAUREL accepts no other
size = 1000000000000
generations = 1
[enrich]
pid = $enrich_pid
execve-env = []
container = false
script = false
[label-process]
label-keys = ["software_mgmt"]
$propagate
TOML

if [ "$chain" = full ]; then
cat >"$work/ours.yaml" <<YAML
enrichers:
  - type: hex-decoder
  - type: parent-info
  - type: key-labeler
    label-keys: [software_mgmt]
    propagate-labels: [software_mgmt]
sinks:
  - type: json-file
    file: "$work/ours.jsonl"
YAML
else
cat >"$work/ours.yaml" <<YAML
enrichers:
  - type: hex-decoder
sinks:
  - type: json-file
    file: "$work/ours.jsonl"
YAML
fi
echo "chain: $chain" >&2
[ "$floor" = 1 ] && bash "$root/bench/floor/make.sh" "$work"

results=$work/results.txt
: >"$results"
failed=0
run_one() {   # NAME OUTPUT COMMAND...
    local name=$1 out=$2
    shift 2
    rm -f "$out"
    if ! LAUREL_LOG=stderr "$timer" -f '%e %U %S %M' -o "$work/time.txt" "$@" <"$corpus" >/dev/null 2>"$work/stderr.txt"; then
        echo "  $name FAILED ($(grep -m1 'status' "$work/time.txt" || echo 'killed?')); its stderr ends:" >&2
        grep -v '^[[:space:]]*at ' "$work/stderr.txt" | tail -n 5 | sed 's/^/    /' >&2
        failed=1
        return 0
    fi
    local events=0
    [ -f "$out" ] && events=$(wc -l <"$out")
    echo "$name $events $(tail -n 1 "$work/time.txt")" >>"$results"
    echo "  $name: $events events, $(tail -n 1 "$work/time.txt" | awk '{printf "%ss wall, %ss user, %ss sys, %d KiB RSS", $1, $2, $3, $4}')" >&2
}

# Each build's class-data archive made by this chain on the capture (bench/tools/class-archive.sh).
# shellcheck source=tools/class-archive.sh
. "$root/bench/tools/class-archive.sh"
for launcher in "$ours" $base; do
    remake_archive "$launcher" "$work/ours.yaml" "$capture"
done
rm -f "$work/ours.jsonl"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$runs"); do
    echo "run $r of $runs" >&2
    run_one LAUREL "$work/ref/out.jsonl" "$ref" --config "$work/ref.toml"
    run_one laurel "$work/ours.jsonl" "$ours" --config "$work/ours.yaml"
    if [ -n "$base" ]; then
        cp "$work/ours.jsonl" "$work/ours-new.jsonl" 2>/dev/null || true
        run_one base "$work/ours.jsonl" "$base" --config "$work/ours.yaml"
        if [ -f "$work/ours-new.jsonl" ] && ! cmp -s "$work/ours.jsonl" "$work/ours-new.jsonl"; then
            echo "  base and laurel wrote different output" >&2
        fi
    fi
    if [ "$floor" = 1 ]; then
        run_one copy-c "$work/copy-c.log" "$work/copy-c" "$work/copy-c.log" 0
        run_one copy-java "$work/copy-java.log" "$work/copy-java" "$work/copy-java.log" 0
    fi
done

python3 - "$results" "$copies" "$lines" "$chain" "$load_before" <<'PY'
import statistics
import sys

rows = {}
for line in open(sys.argv[1]):
    name, events, wall, user, sys_, rss = line.split()
    rows.setdefault(name, []).append((int(events), float(wall), float(user) + float(sys_), int(rss)))

def med(name, i):
    return statistics.median(r[i] for r in rows[name])

nan = float("nan")
import os
print(f"corpus: {sys.argv[2]} copies, {sys.argv[3]} lines; chain {sys.argv[4]}; medians of the successful runs; "
      f"load average before: {sys.argv[5]}, now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
print(f"{'tool':<8} {'events':>9} {'events/CPU-s':>13} {'CPU s':>8} {'wall s':>8} {'peak RSS MiB':>13}")
stats = {}
for name in ("LAUREL", "laurel"):
    if name not in rows:
        stats[name] = (nan,) * 5
        print(f"{name:<8} {'failed':>9}")
        continue
    events, wall, cpu, rss = med(name, 0), med(name, 1), med(name, 2), med(name, 3)
    rate = statistics.median(r[0] / r[2] if r[2] > 0 else float("inf") for r in rows[name])
    stats[name] = (events, rate, cpu, wall, rss)
    print(f"{name:<8} {events:>9.0f} {rate:>13.0f} {cpu:>8.2f} {wall:>8.2f} {rss / 1024:>13.1f}")
o, l = stats["laurel"], stats["LAUREL"]
ratio = lambda a, b: a / b if b else nan
print(f"{'ours/ref':<8} {ratio(o[0], l[0]):>9.3f} {ratio(o[1], l[1]):>13.3f} {ratio(o[2], l[2]):>8.3f} "
      f"{ratio(o[3], l[3]):>8.3f} {ratio(o[4], l[4]):>13.3f}")
if "base" in rows:
    b = (med("base", 0), statistics.median(r[0] / r[2] if r[2] > 0 else float("inf") for r in rows["base"]),
         med("base", 2), med("base", 1), med("base", 3))
    print(f"{'base':<8} {b[0]:>9.0f} {b[1]:>13.0f} {b[2]:>8.2f} {b[3]:>8.2f} {b[4] / 1024:>13.1f}")
    print(f"{'base/ref':<8} {ratio(b[0], l[0]):>9.3f} {ratio(b[1], l[1]):>13.3f} {ratio(b[2], l[2]):>8.3f} "
          f"{ratio(b[3], l[3]):>8.3f} {ratio(b[4], l[4]):>13.3f}")
    print(f"laurel/base CPU: {ratio(o[2], b[2]):.3f}")
for name in ("copy-c", "copy-java"):
    if name in rows:
        # The copies write the corpus' lines, not events: their CPU against LAUREL's is the floor.
        wall, cpu, rss = med(name, 1), med(name, 2), med(name, 3)
        print(f"{name:<9} copied {med(name, 0):.0f} lines: {cpu:.2f} CPU s, {wall:.2f} s wall, "
              f"{rss / 1024:.1f} MiB; LAUREL's CPU / its CPU: {ratio(l[2], cpu):.1f}")
PY

if [ "$failed" != 0 ]; then
    echo "side-by-side: at least one run failed (see above)" >&2
    exit 1
fi
