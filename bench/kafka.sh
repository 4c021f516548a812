#!/usr/bin/env bash
# The kafka sink's cost: the scaled corpus through bin/laurel into a local single-node KRaft broker
# (Kafka's test kit, in a JVM of its own: bench/kafka.sh measures laurel's process only), against
# the json-file sink, alternately in the same run; medians of RUNS.
#
#   bench/kafka.sh [COPIES [RUNS]]      (defaults 200 and 3; or COPIES=, RUNS= in the env)
#
# Both chains have hex-decoder; "json-file" writes a file, "kafka" sends to a 3-partition topic
# with the sink's defaults (key process, acks all, idempotence, zstd at level 1, linger 100ms, batch 256KiB).
# Each kafka run gets a new topic, and the script checks it holds exactly the events laurel wrote
# to the json-file run. Gives events, events/s (wall), CPU s (user + sys), wall s and peak RSS.
#
# KAFKA_OPTIONS: more lines for the kafka sink's config, e.g. $'    buffer-events: 10000'.
# RATE: feed the corpus at RATE lines a second (50 at a time) instead of all at once, as auditd
# would at a steady rate; e.g. RATE=5000 with 40 copies is about 1,000 events/s for 42 s.
#
# Needs: a built distribution (mvn -o package -DskipTests: laurel-dist/target/laurel/bin/laurel),
# the kafka module's test classes (the same package builds them), mvn for the test class path,
# python3, GNU time. SHARED=DIR: DIR/bench/make-corpus.py instead of bench/tools/make-corpus.py.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
copies=${1:-${COPIES:-200}}
runs=${2:-${RUNS:-3}}
make_corpus=${SHARED:+$SHARED/bench/make-corpus.py}
make_corpus=${make_corpus:-$root/bench/tools/make-corpus.py}
capture=$root/testdata/real-enriched.log
ours=${OURS:-$root/laurel-dist/target/laurel/bin/laurel}
timer=/usr/bin/time

die() { echo "kafka bench: $*" >&2; exit 1; }
[ -x "$ours" ] || die "no $ours: build it first with mvn -o package -DskipTests"
[ -d "$root/laurel-plugins/kafka/target/test-classes" ] || die "no kafka test classes: mvn -o package -DskipTests"
[ -x "$timer" ] || die "GNU time is missing: apt-get install time"
case $copies in ''|*[!0-9]*) die "COPIES must be a number, got '$copies'" ;; esac
case $runs in ''|*[!0-9]*|0) die "RUNS must be a positive number, got '$runs'" ;; esac
rate=${RATE:-}
case $rate in *[!0-9]*|0) die "RATE must be a positive number of lines a second, got '$rate'" ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/kafka-bench.XXXXXX")
broker_pid=
cleanup() {
    exec 3>&- 2>/dev/null || true   # end of its input: the broker stops and deletes its data
    if [ -n "$broker_pid" ]; then
        for _ in $(seq 1 300); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.1; done
        kill "$broker_pid" 2>/dev/null || true
        wait "$broker_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "test class path ..." >&2
(cd "$root" && mvn -B -q -o -pl laurel-plugins/kafka -am test-compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >"$work/mvn.log" 2>&1) \
    || { tail -n 20 "$work/mvn.log" >&2; die "mvn could not give the test class path"; }
cp="$(cat "$work/cp.txt"):$root/laurel-plugins/kafka/target/test-classes:$root/laurel-plugins/kafka/target/classes"

echo "making the corpus: $copies copies of $(basename "$capture") ..." >&2
corpus=$work/corpus.log
python3 "$make_corpus" "$capture" "$copies" >"$corpus"
echo "corpus: $(wc -l <"$corpus") lines, $(du -h "$corpus" | cut -f1)" >&2
[ -z "$rate" ] || echo "fed at $rate lines a second" >&2

echo "starting the broker ..." >&2
mkfifo "$work/broker.in"
java -Xmx1g -cp "$cp" dev.laurel.plugins.kafka.BenchBroker <"$work/broker.in" >"$work/broker.out" 2>"$work/broker.err" &
broker_pid=$!
exec 3>"$work/broker.in"
ask() {   # COMMAND: one answer line from the broker
    local before
    before=$(wc -l <"$work/broker.out")
    echo "$1" >&3
    for _ in $(seq 1 1200); do
        if [ "$(wc -l <"$work/broker.out")" -gt "$before" ]; then
            tail -n 1 "$work/broker.out"
            return 0
        fi
        kill -0 "$broker_pid" 2>/dev/null || die "the broker stopped: $(tail -n 5 "$work/broker.err")"
        sleep 0.1
    done
    die "the broker did not answer '$1' within 120 s"
}
for _ in $(seq 1 1800); do
    grep -q '^bootstrap ' "$work/broker.out" 2>/dev/null && break
    kill -0 "$broker_pid" 2>/dev/null || die "the broker did not start: $(tail -n 5 "$work/broker.err")"
    sleep 0.1
done
bootstrap=$(sed -n 's/^bootstrap //p' "$work/broker.out")
[ -n "$bootstrap" ] || die "the broker did not start within 180 s"
echo "broker at $bootstrap" >&2

cat >"$work/json-file.yaml" <<YAML
enrichers:
  - type: hex-decoder
sinks:
  - type: json-file
    file: "$work/out.jsonl"
YAML

results=$work/results.txt
: >"$results"
run_one() {   # NAME CONFIG EVENTS-COMMAND
    local name=$1 config=$2
    if [ -n "$rate" ]; then
        exec 4< <(feed)
    else
        exec 4<"$corpus"   # a file, not a pipe, as the batch figures have always been measured
    fi
    if ! LAUREL_LOG=stderr "$timer" -f '%e %U %S %M' -o "$work/time.txt" "$ours" --config "$config" \
            <&4 4<&- >/dev/null 2>"$work/stderr-$name.txt"; then
        grep -v '^[[:space:]]*at ' "$work/stderr-$name.txt" | tail -n 5 >&2
        die "$name failed"
    fi
    exec 4<&-
    local events
    events=$($3)
    echo "$name $events $(tail -n 1 "$work/time.txt")" >>"$results"
    echo "  $name: $events events, $(tail -n 1 "$work/time.txt" | awk '{printf "%ss wall, %ss user, %ss sys, %d KiB RSS", $1, $2, $3, $4}')" >&2
}
json_events() { wc -l <"$work/out.jsonl"; }
feed() {   # the corpus on stdout at RATE lines a second
    python3 -c '
import sys, time
rate, out, start = float(sys.argv[1]), sys.stdout.buffer, time.monotonic()
for n, line in enumerate(open(sys.argv[2], "rb"), 1):
    out.write(line)
    if n % 50 == 0:
        out.flush()
        ahead = n / rate - (time.monotonic() - start)
        if ahead > 0:
            time.sleep(ahead)
out.flush()
' "$rate" "$corpus"
}

# The class-data archive made by a run of both sinks (bench/tools/class-archive.sh), as each
# deployment's first run makes it with its own sink: no run loads from the jars what the other's
# archived (the kafka sink's classes, when the json-file run made it: 0.4 CPU-s a start).
[ "$(ask "topic bench-archive 3")" = ok ] || die "cannot create topic bench-archive"
cat >"$work/archive.yaml" <<YAML
enrichers:
  - type: hex-decoder
sinks:
  - type: json-file
    file: "$work/out.jsonl"
  - type: kafka
    id: fleet
    bootstrap-servers: $bootstrap
    topic: bench-archive
    close-timeout: 120s
${KAFKA_OPTIONS:-}
YAML
# shellcheck source=tools/class-archive.sh
. "$root/bench/tools/class-archive.sh"
remake_archive "$ours" "$work/archive.yaml" "$capture"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 1 "$runs"); do
    echo "run $r of $runs" >&2
    rm -f "$work/out.jsonl"
    run_one json-file "$work/json-file.yaml" json_events
    written=$(wc -l <"$work/out.jsonl")
    topic=bench-$r
    [ "$(ask "topic $topic 3")" = ok ] || die "cannot create topic $topic"
    cat >"$work/kafka.yaml" <<YAML
enrichers:
  - type: hex-decoder
sinks:
  - type: kafka
    id: fleet
    bootstrap-servers: $bootstrap
    topic: $topic
    close-timeout: 120s
${KAFKA_OPTIONS:-}
YAML
    kafka_events() { ask "count $topic"; }
    run_one kafka "$work/kafka.yaml" kafka_events
    got=$(tail -n 1 "$results" | cut -d' ' -f2)
    [ "$got" = "$written" ] || die "topic $topic holds $got records, the json-file run wrote $written events"
    grep -h 'kafka sink fleet:' "$work/stderr-kafka.txt" | tail -n 1 | sed 's/^/    /' >&2
done

python3 - "$results" "$copies" "$load_before" <<'PY'
import os
import statistics
import sys

rows = {}
for line in open(sys.argv[1]):
    name, events, wall, user, sys_, rss = line.split()
    rows.setdefault(name, []).append((int(events), float(wall), float(user) + float(sys_), int(rss)))
med = lambda name, f: statistics.median(f(r) for r in rows[name])
print(f"corpus: {sys.argv[2]} copies; medians of {len(rows['kafka'])} runs; load average before: {sys.argv[3]}, "
      f"now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
print(f"{'sink':<10} {'events':>9} {'events/s':>10} {'CPU s':>8} {'wall s':>8} {'peak RSS MiB':>13}")
stats = {}
for name in ("json-file", "kafka"):
    s = (med(name, lambda r: r[0]), med(name, lambda r: r[0] / r[1]), med(name, lambda r: r[2]),
         med(name, lambda r: r[1]), med(name, lambda r: r[3]) / 1024)
    stats[name] = s
    print(f"{name:<10} {s[0]:>9.0f} {s[1]:>10.0f} {s[2]:>8.2f} {s[3]:>8.2f} {s[4]:>13.1f}")
k, j = stats["kafka"], stats["json-file"]
print(f"kafka/json-file: CPU {k[2] / j[2]:.3f} (goal <= 1.5), RSS {k[4] / j[4]:.3f}; kafka peak RSS {k[4]:.1f} MiB (goal <= 128)")
PY
