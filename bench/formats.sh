#!/usr/bin/env bash
# CPU of each output format on the same corpus and chain, run alternately, medians of RUNS.
#
#   bench/formats.sh [COPIES [RUNS]]        (defaults 200 and 5; or COPIES=, RUNS= in the env)
#
# FORMATS (default "laurel ocsf"): the formats to compare; NAME*2 writes the format to two
# sinks (it should cost about what one does: an event is encoded once per format in use).
# The chain: hex-decoder and parent-info, a json-file sink per format writing a file. CPU is user
# + system time from GNU time, as bench/side-by-side.sh measures it. Needs a built distribution
# (laurel-dist/target/laurel/bin/laurel; OURS= for another launcher), python3, /usr/bin/time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd -P)
copies=${1:-${COPIES:-200}}
runs=${2:-${RUNS:-5}}
formats=${FORMATS:-laurel ocsf}
ours=${OURS:-$root/laurel-dist/target/laurel/bin/laurel}
timer=/usr/bin/time
[ -x "$ours" ] || { echo "formats: no $ours: build it first with mvn -o package -DskipTests" >&2; exit 1; }
[ -x "$timer" ] || { echo "formats: GNU time is missing: apt-get install time" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/formats.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
corpus=$work/corpus.log
python3 "$root/bench/tools/make-corpus.py" "$root/testdata/real-enriched.log" "$copies" >"$corpus"
echo "corpus: $(wc -l <"$corpus") lines, $(du -h "$corpus" | cut -f1); chain: hex-decoder, parent-info" >&2
for f in $formats; do
    name=${f%\*2}
    {
        echo "enrichers:"
        echo "  - type: hex-decoder"
        echo "  - type: parent-info"
        echo "sinks:"
        echo "  - type: json-file"
        echo "    file: $work/out-a.jsonl"
        echo "    format: $name"
        if [ "$f" != "$name" ]; then
            echo "  - type: json-file"
            echo "    id: second"
            echo "    file: $work/out-b.jsonl"
            echo "    format: $name"
        fi
    } >"$work/$f.yaml"
done
for r in $(seq "$runs"); do
    for f in $formats; do
        rm -f "$work"/out-*.jsonl
        LAUREL_LOG=stderr "$timer" -f "$f %e %U %S %M" -a -o "$work/times.txt" \
            "$ours" --config "$work/$f.yaml" <"$corpus" >/dev/null 2>"$work/stderr.txt" \
            || { cat "$work/stderr.txt" >&2; exit 1; }
        echo "run $r $f: $(tail -1 "$work/times.txt") bytes $(cat "$work"/out-*.jsonl | wc -c)" >&2
    done
done
python3 - "$work/times.txt" "$formats" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    f, wall, user, sys_, rss = line.split()
    rows.setdefault(f, []).append((float(user) + float(sys_), float(wall), int(rss)))
names = sys.argv[2].split()
base = statistics.median(c for c, _, _ in rows[names[0]])
print(f"{'format':<10} {'CPU s':>7} {'wall s':>7} {'RSS MiB':>8} {'CPU / ' + names[0]:>12}   (medians of {len(rows[names[0]])})")
for f in names:
    cpu = statistics.median(c for c, _, _ in rows[f])
    wall = statistics.median(w for _, w, _ in rows[f])
    rss = statistics.median(r for _, _, r in rows[f]) / 1024
    print(f"{f:<10} {cpu:>7.2f} {wall:>7.2f} {rss:>8.1f} {cpu / base:>12.3f}")
PY
