#!/usr/bin/env bash
# Live CPU cost under real auditd, LAUREL's own method, for LAUREL 0.5.1 and our laurel
# alternately: bench/tools/live-overhead.sh starts a private auditd (auditd -c, /etc/audit left
# alone) with the plugin under test, runs /bin/true RATE times a second for SECS seconds under
# one execve rule, and reports the CPU seconds of the plugin's process tree and of auditd.
#
#   bench/live-side-by-side.sh [RATE [SECS [RUNS]]]     (defaults 1000, 20, 2)
#
# Same chain as bench/side-by-side.sh CHAIN=full: ours hex-decoder, parent-info, key-labeler
# (label-keys and propagate-labels [software_mgmt]), json-file; LAUREL [enrich] pid = true and
# the same [label-process]. Both write their JSON to a file in a temporary directory.
#
# Needs root, auditd and auditctl (the kernel's audit must be usable: auditctl -s), gcc, bc,
# /usr/sbin/laurel and a built distribution. The kernel's rules are deleted and its enabled
# flag restored by live-overhead.sh after each run; this script checks that no auditd it
# started is left. SHARED=DIR uses DIR/bench/live-overhead.sh instead; LAUREL_REF and OURS override the binaries.
# BASE=LAUNCHER adds a run "base" of another build with our chain (the build before a change, in
# the same runs). WARM=S (read by live-overhead.sh) spawns at RATE for S seconds unmeasured
# first, so that the figures are each plugin's steady state rather than its start.
#
# FLOOR=1 adds two plugins that only read auditd's records in 40 ms windows, as laurel does, and
# append them unchanged to a file (bench/floor): copy-c in C, and copy-java on the JVM with
# laurel's memory and compiler options. They show what reading the socket and writing a file
# cost on this machine before any parsing, and what the JVM adds to that.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
rate=${1:-1000}
secs=${2:-20}
runs=${3:-2}
live=${SHARED:+$SHARED/bench/live-overhead.sh}
live=${live:-$root/bench/tools/live-overhead.sh}
ref=${LAUREL_REF:-/usr/sbin/laurel}
ours=${OURS:-$root/laurel-dist/target/laurel/bin/laurel}
floor=${FLOOR:-0}
base=${BASE:-}

die() { echo "live-side-by-side: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (auditd, auditctl)"
[ -f "$live" ] || die "no $live: unset SHARED to use bench/tools/live-overhead.sh"
[ -x "$ref" ] || die "no LAUREL at $ref"
[ -x "$ours" ] || die "no $ours: build it first with mvn -o package -DskipTests"
[ -z "$base" ] || [ -x "$base" ] || die "BASE=$base is not an executable launcher"
command -v auditd >/dev/null || die "auditd is not installed"
auditctl -s >/dev/null 2>&1 || die "the kernel's audit is not usable here (auditctl -s failed)"
pgrep -x auditd >/dev/null && die "an auditd is running already; live-overhead.sh starts its own"
for n in "$rate" "$secs" "$runs"; do
    case $n in ''|*[!0-9]*|0) die "RATE, SECS and RUNS must be positive numbers" ;; esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/live-side-by-side.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/ref"
cat >"$work/ref.toml" <<TOML
directory = "$work/ref"
[auditlog]
file = "out.jsonl"
size = 1000000000000
generations = 1
[enrich]
pid = true
execve-env = []
container = false
script = false
[label-process]
label-keys = ["software_mgmt"]
propagate-labels = ["software_mgmt"]
TOML
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

[ "$floor" = 1 ] && bash "$root/bench/floor/make.sh" "$work"

results=$work/results.txt
: >"$results"
run_one() {   # NAME OUTPUT PLUGIN ARGS
    local name=$1 out=$2 line
    rm -f "$out"
    line=$(bash "$live" "$rate" "$secs" "$3" "$4" | tail -n 1)
    local events=0
    [ -f "$out" ] && events=$(wc -l <"$out")
    echo "  $name: $line events=$events" >&2
    case $line in plugin_cpu_s=*) echo "$name $line events=$events" >>"$results" ;; esac
    if pgrep -x auditd >/dev/null; then
        die "an auditd is still running after the $name run"
    fi
}
for r in $(seq 1 "$runs"); do
    echo "run $r of $runs ($rate execs/s for $secs s)" >&2
    run_one LAUREL "$work/ref/out.jsonl" "$ref" "--config $work/ref.toml"
    run_one laurel "$work/ours.jsonl" "$ours" "--config $work/ours.yaml"
    [ -z "$base" ] || run_one base "$work/ours.jsonl" "$base" "--config $work/ours.yaml"
    if [ "$floor" = 1 ]; then
        run_one copy-c "$work/copy-c.log" "$work/copy-c" "$work/copy-c.log"
        run_one copy-java "$work/copy-java.log" "$work/copy-java" "$work/copy-java.log"
    fi
done

python3 - "$results" "$rate" "$secs" <<'PY'
import os
import statistics
import sys

rows = {}
for line in open(sys.argv[1]):
    name, *kv = line.split()
    d = dict(x.split("=") for x in kv)
    rows.setdefault(name, []).append((float(d["plugin_cpu_s"]), float(d["auditd_cpu_s"]), int(d["execs"]), int(d["events"])))
print(f"{sys.argv[2]} execs/s for {sys.argv[3]} s under auditd (WARM={os.environ.get('WARM', '0')} s before); medians")
print(f"{'tool':<9} {'plugin CPU s':>13} {'auditd CPU s':>13} {'execs':>7} {'lines':>7}")
med = {}
for name in ("LAUREL", "laurel", "base", "copy-c", "copy-java"):
    if name not in rows:
        if name in ("LAUREL", "laurel"):
            print(f"{name:<9} {'failed':>13}")
        continue
    r = rows[name]
    med[name] = [statistics.median(x[i] for x in r) for i in range(4)]
    m = med[name]
    print(f"{name:<9} {m[0]:>13.2f} {m[1]:>13.2f} {m[2]:>7.0f} {m[3]:>7.0f}")
if "LAUREL" in med and med["LAUREL"][0] > 0:
    for name in ("laurel", "base", "copy-c", "copy-java"):
        if name in med:
            print(f"{name}/LAUREL plugin CPU: {med[name][0] / med['LAUREL'][0]:.3f}")
if "laurel" in med and "base" in med and med["base"][0] > 0:
    print(f"laurel/base plugin CPU: {med['laurel'][0] / med['base'][0]:.3f}")
PY
