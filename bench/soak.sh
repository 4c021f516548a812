#!/usr/bin/env bash
# Soak benchmark (not a unit test): a long synthetic stream through the distribution's launcher
# with its default heap, sampling the JVM's resident memory while it runs.
#
#   bench/soak.sh                  10,000,000 events over 1,000,000 pids, 5% without EOE
#   EVENTS=2000000 bench/soak.sh   a shorter run
#
# Environment: EVENTS, PIDS, MISSING_EOE (bench/soak-stream.py), INTERVAL (seconds between RSS
# samples, default 2), CHAIN=basic|full (full: hex-decoder, parent-info, key-labeler with
# propagate-labels, translate; basic: hex-decoder), OURS (the launcher), OUT (a directory for the
# samples, output and log; default a temporary one). Prints a summary: events in and out, RSS at
# each tenth of the run, and the growth of the last half over the first.
# Needs a built distribution (mvn -o package -DskipTests) and python3.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
ours=${OURS:-$root/laurel-dist/target/laurel/bin/laurel}
interval=${INTERVAL:-2}
chain=${CHAIN:-full}
out=${OUT:-$(mktemp -d /tmp/laurel-soak.XXXXXX)}
export EVENTS=${EVENTS:-10000000} PIDS=${PIDS:-1000000} MISSING_EOE=${MISSING_EOE:-0.05}

[ -x "$ours" ] || { echo "soak: no $ours: build it first with mvn -o package -DskipTests" >&2; exit 1; }
mkdir -p "$out"
case $chain in
    basic) enrichers='  - type: hex-decoder' ;;
    full) enrichers='  - type: hex-decoder
  - type: translate
  - type: parent-info
  - type: key-labeler
    label-keys: [exec]
    propagate-labels: [exec]' ;;
    *) echo "soak: CHAIN is basic or full" >&2; exit 1 ;;
esac
cat > "$out/laurel.yaml" <<YAML
proc-root: none
diagnostics:
  log: stderr
  status-report-period: 10s
enrichers:
$enrichers
sinks:
  - type: json-file
    file: "-"
YAML

echo "soak: $EVENTS events, $PIDS pids, $MISSING_EOE without EOE, chain $chain; samples in $out/rss.tsv"
fifo=$out/stream
rm -f "$fifo"
mkfifo "$fifo"
python3 "$root/bench/soak-stream.py" > "$fifo" &
gen=$!
# The events are counted, not kept: 10 million would fill gigabytes.
LAUREL_LOG=stderr "$ours" --config "$out/laurel.yaml" < "$fifo" 2> "$out/laurel.log" > >(wc -l > "$out/events-out") &
pid=$!
start=$(date +%s.%N)
printf 'seconds\trss_kb\tlines_read\n' > "$out/rss.tsv"
while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$rss" ] || break
    n=$(grep -o 'status: [0-9]* lines' "$out/laurel.log" | tail -1 | grep -o '[0-9]*' || true)
    printf '%.1f\t%s\t%s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$rss" "${n:-0}" >> "$out/rss.tsv"
    sleep "$interval"
done
status=0
wait "$pid" || status=$?
wait "$gen" || true
end=$(date +%s.%N)
rm -f "$fifo"
sleep 1
events_out=$(cat "$out/events-out")
echo "soak: exit status $status, $events_out events out of $EVENTS in $(echo "$end - $start" | bc | cut -c1-6) s"
grep -o 'done: .*' "$out/laurel.log" | sed 's/^/soak: laurel /' || true
python3 - "$out/rss.tsv" <<'PY'
import sys
rows = [l.split('\t') for l in open(sys.argv[1]).read().split('\n')[1:] if l]
rows = [(float(s), int(r), int(n)) for s, r, n in rows]
if len(rows) < 4:
    sys.exit("soak: too few samples")
print("soak: RSS (MB) at each tenth of the run:",
      " ".join("%.0f" % (rows[min(len(rows) - 1, i * len(rows) // 10)][1] / 1024) for i in range(11)))
half = len(rows) // 2
first = max(r for _, r, _ in rows[len(rows) // 10:half])
last = max(r for _, r, _ in rows[half:])
print("soak: peak RSS first half (after warm-up) %.0f MB, second half %.0f MB, growth %+.1f%%"
      % (first / 1024, last / 1024, 100.0 * (last - first) / first))
PY
exit "$status"
