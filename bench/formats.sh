#!/usr/bin/env bash
# CPU of laurel's output formats against each other, same chain, same corpus, runs interleaved:
# laurel (the default format), ecs (and ocsf when installed), and for each format one sink against
# two sinks of that format (which share one encoding, so the second should cost only its write).
#
#   bench/formats.sh [COPIES [RUNS]]      (defaults 200 and 5; or COPIES=, RUNS= in the env)
#
# Chain: hex-decoder, parent-info, key-labeler (label-keys and propagate-labels [software_mgmt]),
# proc-root: none (the corpus' pids are not this machine's); sinks: json-file to files in a
# temporary directory. CPU is user + system time of the whole process (GNU time), as in
# bench/side-by-side.sh; the table gives medians. FORMATS="laurel ecs" chooses the formats.
#
# BASE=path/to/bin/laurel adds a build from before formats were plugins, with the laurel x1 config
# without its format: key, as the row "base": laurel x1 / base says what the format SPI costs the
# default output.
#
# Needs: a built distribution (mvn package: laurel-dist/target/laurel/bin/laurel), python3,
# /usr/bin/time (GNU). The corpus is made by bench/tools/make-corpus.py (SHARED=DIR: DIR/bench/make-corpus.py).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
copies=${1:-${COPIES:-200}}
runs=${2:-${RUNS:-5}}
make_corpus=${SHARED:+$SHARED/bench/make-corpus.py}
make_corpus=${make_corpus:-$root/bench/tools/make-corpus.py}
capture=$root/testdata/real-enriched.log
ours=${OURS:-$root/laurel-dist/target/laurel/bin/laurel}
timer=/usr/bin/time

die() { echo "formats: $*" >&2; exit 1; }
[ -x "$ours" ] || die "no $ours: build it first with mvn -o package -DskipTests"
[ -x "$timer" ] || die "GNU time is missing: apt-get install time"
case $copies in ''|*[!0-9]*) die "COPIES must be a number, got '$copies'" ;; esac
case $runs in ''|*[!0-9]*|0) die "RUNS must be a positive number, got '$runs'" ;; esac
formats=${FORMATS:-$("$ours" plugins 2>/dev/null | sed -n '/^Formats/,$p' | sed -n 's/^  \([a-z0-9-]*\) - .*/\1/p' | tr '\n' ' ')}

work=$(mktemp -d "${TMPDIR:-/tmp}/formats.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
corpus=$work/corpus.log
echo "making the corpus: $copies copies of $(basename "$capture") ..." >&2
python3 "$make_corpus" "$capture" "$copies" >"$corpus"
echo "corpus: $(wc -l <"$corpus") lines; formats: $formats" >&2

config() {   # FORMAT SINKS
    local format=$1 sinks=$2
    cat <<YAML
proc-root: none
enrichers:
  - type: hex-decoder
  - type: parent-info
  - type: key-labeler
    label-keys: [software_mgmt]
    propagate-labels: [software_mgmt]
sinks:
YAML
    for s in $(seq 1 "$sinks"); do
        printf '  - type: json-file\n    id: out-%s\n    file: "%s/%s-%s.jsonl"\n    format: %s\n' \
            "$s" "$work" "$format" "$s" "$format"
    done
}

names=()
for f in $formats; do
    config "$f" 1 >"$work/$f-x1.yaml"
    config "$f" 2 >"$work/$f-x2.yaml"
    names+=("$f-x1" "$f-x2")
done
base=${BASE:-}
if [ -n "$base" ]; then
    [ -x "$base" ] || die "BASE=$base is not an executable launcher"
    config laurel 1 | grep -v '^    format: ' | sed "s#/laurel-1.jsonl#/base-1.jsonl#" >"$work/base-x1.yaml"
    names+=("base-x1")
fi

# The class-data archive made by a run with a sink of every format (bench/tools/class-archive.sh),
# as a deployment's first run makes it with its own format: no format loads from the jars what
# another's run archived.
{
    config laurel 1
    for f in $formats; do
        [ "$f" = laurel ] || config "$f" 1 | sed -n '/^  - type: json-file/,$p' | sed 's/out-1/archive-'"$f"'/'
    done
} >"$work/archive.yaml"
# shellcheck source=tools/class-archive.sh
. "$root/bench/tools/class-archive.sh"
remake_archive "$ours" "$work/archive.yaml" "$capture"
[ -z "$base" ] || remake_archive "$base" "$work/base-x1.yaml" "$capture"

results=$work/results.txt
: >"$results"
for r in $(seq 1 "$runs"); do
    echo "run $r of $runs" >&2
    for name in "${names[@]}"; do
        rm -f "$work"/*.jsonl
        launcher=$ours
        [ "$name" = base-x1 ] && launcher=$base
        LAUREL_LOG=stderr "$timer" -f '%e %U %S %M' -o "$work/time.txt" "$launcher" --config "$work/$name.yaml" \
            <"$corpus" >/dev/null 2>"$work/stderr.txt" || { tail -n 5 "$work/stderr.txt" >&2; die "$name failed"; }
        events=$(wc -l <"$work/${name%-x*}-1.jsonl")
        echo "$name $events $(tail -n 1 "$work/time.txt")" >>"$results"
        echo "  $name: $events events, $(tail -n 1 "$work/time.txt" | awk '{printf "%ss wall, %ss CPU", $1, $2 + $3}')" >&2
    done
done

python3 - "$results" "$copies" "$runs" <<'PY'
import os
import statistics
import sys

rows = {}
for line in open(sys.argv[1]):
    name, events, wall, user, sys_, rss = line.split()
    rows.setdefault(name, []).append((int(events), float(wall), float(user) + float(sys_), int(rss)))
med = {n: [statistics.median(r[i] for r in v) for i in range(4)] for n, v in rows.items()}
print(f"corpus: {sys.argv[2]} copies; medians of {sys.argv[3]} interleaved runs; load now: "
      f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
print(f"{'format, sinks':<14} {'events':>9} {'CPU s':>7} {'wall s':>7} {'RSS MiB':>8} {'CPU / laurel x1':>16}")
base = med.get("laurel-x1", [0, 0, 0, 0])[2]
for name, (events, wall, cpu, rss) in med.items():
    print(f"{name:<14} {events:>9.0f} {cpu:>7.2f} {wall:>7.2f} {rss / 1024:>8.1f} {cpu / base if base else float('nan'):>16.3f}")
for f in sorted({n.rsplit('-', 1)[0] for n in med}):
    if f + "-x1" in med and f + "-x2" in med:
        print(f"{f}: 2 sinks / 1 sink CPU {med[f + '-x2'][2] / med[f + '-x1'][2]:.3f}")
if "base-x1" in med and "laurel-x1" in med:
    print(f"laurel x1 / base CPU {med['laurel-x1'][2] / med['base-x1'][2]:.3f}")
PY
