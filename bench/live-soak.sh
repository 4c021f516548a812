#!/usr/bin/env bash
# Live soak (a benchmark, not a test): a daemon's memory and CPU over time under real auditd.
# For each tool in turn: a private auditd (auditd -c DIR: /etc/audit is left alone), execve and
# clone audited for loginuid 1001 (no exit rules, as most rule sets), /bin/true spawned RATE times
# a second for SECS seconds (bench/tools/loadgen.c), and the plugin's resident memory and CPU
# sampled every INTERVAL seconds.
#
#   bench/live-soak.sh [RATE [SECS]]          (defaults 250, 600)
#
# Tools (TOOLS, in this order; default "laurel LAUREL"):
#   laurel  the launcher OURS (default: the built distribution) with the .deb's default config
#           (laurel-dist/src/deb/etc/laurel.yaml: state directory, hex-decoder, translate,
#           parent-info, key-labeler, rotated json-file), paths moved into a private directory
#           and no user: (no _laurel-java account here); BASE=LAUNCHER adds a run "base" of
#           another build with the same config (the build before a change, in the same session).
#   LAUREL  LAUREL_REF (default /usr/sbin/laurel, Debian's laurel 0.5.1) with its defaults and
#           the output in the private directory.
#   c2      as laurel, with C2 (tiered compilation) instead of the launcher's C1 only
#           (LAUREL_JAVA_OPTS=-XX:TieredStopAtLevel=4).
# LOCK=FILE holds flock(1) on FILE during each tool's run and releases it between runs, so that
# others sharing the machine's auditd get a turn.
# TOGETHER=1 runs all the tools at once, each a plugin of one auditd: they read the same events
# at the same time under the same load, so their CPU and memory compare without the run-to-run
# noise of a shared machine (they share its two cores, so the exec rate may be lower).
#
# Writes OUT/samples.tsv (tool, seconds, RSS kB, CPU ticks of the plugin's processes, the load
# average) and prints, per tool: peak RSS, RSS at each minute, the spread of RSS over the second
# half (max - min, as % of max), CPU seconds over the second half and events written.
# Needs root, auditd, auditctl, gcc; restores the kernel's rules and enabled flag however it ends.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
rate=${1:-250}
secs=${2:-600}
interval=${INTERVAL:-10}
tools=${TOOLS:-laurel LAUREL}
ours=${OURS:-$root/laurel-dist/target/laurel/bin/laurel}
ref=${LAUREL_REF:-/usr/sbin/laurel}
out=${OUT:-$(mktemp -d /tmp/live-soak.XXXXXX)}
[ -n "${BASE:-}" ] && tools="$tools base"

die() { echo "live-soak: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (auditd, auditctl)"
command -v auditd >/dev/null || die "auditd is not installed"
mkdir -p "$out"
chmod 755 "$out"
# shellcheck source=tools/class-archive.sh
. "$root/bench/tools/class-archive.sh"
gcc -O2 -o "$out/loadgen" "$root/bench/tools/loadgen.c" || die "cannot build loadgen"
printf 'tool\tseconds\trss_kb\tcpu_ticks\tload1\n' > "$out/samples.tsv"

# The .deb's config with its paths in DIR and no account change.
deb_config() {   # DIR
    sed -e '/^user: /d' \
        -e "s|^state: .*|state: $1/state|" \
        -e "s|file: /var/log/laurel-java/audit.log|file: $1/audit.log|" \
        -e 's|log: auto |log: stderr|' \
        "$root/laurel-dist/src/deb/etc/laurel.yaml"
}

# Sums utime+stime of PID (a plugin) and its descendants, and reports the RSS of the biggest one
# (the JVM or LAUREL; the launcher execs it, LAUREL's helper processes are small). auditd's own
# CPU is not counted (before 2026-12-07 it was: PID was auditd's).
sample() {   # PID -> "rss_kb cpu_ticks"
    local pids=$1 p rss=0 cpu=0 r c kids
    kids=$(pgrep -P "$1" || true)
    for p in $kids; do pids="$pids $p $(pgrep -P "$p" || true)"; done
    for p in $pids; do
        r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
        c=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
        [ "${r:-0}" -gt "$rss" ] && rss=$r
        cpu=$((cpu + ${c:-0}))
    done
    echo "$rss $cpu"
}

# Appends a line to samples.tsv for each TOOL: seconds since T0, RSS, CPU, load average.
sample_all() {   # T0 TOOL...
    local t0=$1 now s tool
    shift
    now=$(date +%s.%N)
    for tool in "$@"; do
        s=$(sample "$(cat "$out/$tool/pid")")
        printf '%s\t%.0f\t%s\t%s\t%s\n' "$tool" "$(echo "$now - $t0" | bc)" "${s% *}" "${s#* }" \
            "$(cut -d' ' -f1 /proc/loadavg)" >> "$out/samples.tsv"
    done
}

# Writes DIR/plugin, the program auditd starts for TOOL; it records its pid in DIR/pid (the
# launcher and the JVM keep it: each execs the next).
plugin_script() {   # TOOL DIR
    local tool=$1 w=$2 launcher=$ours opts=
    case $tool in
        laurel|base|c2)
            [ "$tool" = base ] && launcher=$BASE
            [ "$tool" = c2 ] && opts=-XX:TieredStopAtLevel=4
            # its class-data archive made by this config, as a host's first run makes it
            # (bench/tools/class-archive.sh), from a run in a directory of its own
            mkdir -p "$w/archive/state"
            chmod 700 "$w/archive/state"
            deb_config "$w/archive" > "$w/archive/laurel.yaml"
            remake_archive "$launcher" "$w/archive/laurel.yaml" "$root/testdata/real-enriched.log"
            deb_config "$w" > "$w/laurel.yaml"
            printf '#!/bin/sh\necho $$ > %s/pid\nLAUREL_JAVA_OPTS=%s exec %s --config %s 2>>%s\n' \
                "$w" "$opts" "$launcher" "$w/laurel.yaml" "$w/plugin.log" > "$w/plugin"
            ;;
        LAUREL)
            printf 'directory = "%s/ref"\n[auditlog]\nfile = "audit.log"\n' "$w" > "$w/laurel.toml"
            printf '#!/bin/sh\necho $$ > %s/pid\nexec %s --config %s 2>>%s\n' "$w" "$ref" "$w/laurel.toml" "$w/plugin.log" > "$w/plugin"
            ;;
        *) die "unknown tool $tool (laurel, base, c2, LAUREL)" ;;
    esac
    chmod 755 "$w/plugin"
}

# Runs TOOLS (the arguments) as plugins of one private auditd, each in OUT/TOOL, under the exec
# load, sampling each every INTERVAL seconds.
run_tools() {   # TOOL...
    local names="$*"
    local w="$out/auditd-${names// /-}" tool t0 load
    rm -rf "$w"
    mkdir -p "$w/plugins.d"
    chmod 755 "$w"
    for tool in "$@"; do
        rm -rf "${out:?}/$tool"
        mkdir -p "$out/$tool/state" "$out/$tool/ref"
        chmod 755 "$out/$tool"
        chmod 700 "$out/$tool/state"
        plugin_script "$tool" "$out/$tool"
        printf 'active = yes\ndirection = out\npath = %s/plugin\ntype = always\nformat = string\n' \
            "$out/$tool" > "$w/plugins.d/$tool.conf"
    done
    grep -v -E '^(log_file|write_logs|log_format|plugin_dir|q_depth) ' /etc/audit/auditd.conf > "$w/auditd.conf"
    printf 'log_file = %s/audit-raw.log\nwrite_logs = no\nlog_format = RAW\nplugin_dir = %s/plugins.d\nq_depth = 20000\n' \
        "$w" "$w" >> "$w/auditd.conf"
    chmod 640 "$w/auditd.conf" "$w"/plugins.d/*.conf
    pgrep -x auditd >/dev/null && die "an auditd is running already"
    e0=$(auditctl -s | awk '/^enabled/ {print $2}')
    apid=
    # shellcheck disable=SC2064 # the values now
    trap 'auditctl -D >/dev/null 2>&1; [ -n "${apid:-}" ] && kill "$apid" 2>/dev/null; auditctl -e "${e0:-0}" >/dev/null 2>&1' EXIT
    auditd -f -n -c "$w" > "$w/auditd.out" 2>&1 &
    apid=$!
    sleep 3
    kill -0 "$apid" 2>/dev/null || { tail -5 "$w/auditd.out"; die "auditd did not start"; }
    auditctl -D >/dev/null
    auditctl -b 16384 >/dev/null
    auditctl -a always,exit -F arch=b64 -S execve -S clone -S clone3 -S fork -S vfork -F auid=1001 >/dev/null
    sleep 2
    for tool in "$@"; do
        [ -s "$out/$tool/pid" ] || die "$tool: auditd started no plugin"
    done
    sh -c "echo 1001 > /proc/self/loginuid; exec '$out/loadgen' $rate $secs" > "$w/execs" &
    load=$!
    t0=$(date +%s.%N)
    while kill -0 "$load" 2>/dev/null; do
        sample_all "$t0" "$@"
        sleep "$interval"
    done
    wait "$load" || true
    sleep 3
    sample_all "$t0" "$@"
    auditctl -D >/dev/null 2>&1
    kill "$apid" 2>/dev/null
    wait "$apid" 2>/dev/null || true
    apid=
    auditctl -e "${e0:-0}" >/dev/null 2>&1
    trap - EXIT
    local lines f i
    for tool in "$@"; do   # the plugins write what they hold when their input ends
        for i in $(seq 1 100); do
            kill -0 "$(cat "$out/$tool/pid")" 2>/dev/null || break
            sleep 0.1
        done
    done
    for tool in "$@"; do
        lines=0
        for f in "$out/$tool"/audit.log* "$out/$tool"/ref/audit.log*; do
            [ -f "$f" ] && lines=$((lines + $(wc -l < "$f")))
        done
        echo "$tool $lines $(cat "$w/execs")" >> "$out/events.txt"
        echo "live-soak: $tool: $lines events written, $(cat "$w/execs") execs" >&2
    done
}

: > "$out/events.txt"
# each argument: the tools of one auditd run
if [ -n "${TOGETHER:-}" ]; then
    set -- "$tools"
else
    # shellcheck disable=SC2086 # one tool an argument
    set -- $tools
fi
for group in "$@"; do
    if [ -n "${LOCK:-}" ]; then
        # the function runs in a child shell holding the lock
        export -f run_tools plugin_script sample sample_all deb_config die remake_archive
        export out rate secs interval ours ref root BASE
        flock "$LOCK" bash -c "set -euo pipefail; run_tools $group"
    else
        # shellcheck disable=SC2086 # one tool an argument
        run_tools $group
    fi
done

python3 - "$out/samples.tsv" "$out/events.txt" "$rate" "$secs" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]).readlines()[1:] if l.strip()]
events = {l.split()[0]: l.split()[1:] for l in open(sys.argv[2]) if l.strip()}
print(f"live soak: /bin/true at {sys.argv[3]}/s for {sys.argv[4]} s, execve+clone audited")
ratio = {}
for tool in dict.fromkeys(r[0] for r in rows):
    t = [(int(s), int(r), int(c), float(l)) for name, s, r, c, l in rows if name == tool]
    secs = t[-1][0]
    second = [x for x in t if x[0] >= secs / 2]
    peak = max(x[1] for x in t)
    spread = max(x[1] for x in second) - min(x[1] for x in second)
    cpu2 = (second[-1][2] - second[0][2]) / 100
    ratio[tool] = cpu2
    minutes = " ".join("%.1f" % (min(t, key=lambda x: abs(x[0] - m))[1] / 1024) for m in range(0, secs + 1, 60))
    ev = events.get(tool, ["?", "?"])
    print(f"{tool}: peak RSS {peak / 1024:.1f} MB; second half spread {spread / 1024:.1f} MB "
          f"({100 * spread / peak:.1f}% of peak); CPU second half {cpu2:.2f} s; "
          f"load average {min(x[3] for x in t):.1f}-{max(x[3] for x in t):.1f}; {ev[0]} events for {ev[1]} execs")
    print(f"  RSS (MB) each minute: {minutes}")
if "LAUREL" in ratio and ratio["LAUREL"] > 0:
    for tool in ("laurel", "base", "c2"):
        if tool in ratio:
            print(f"{tool}/LAUREL CPU over the second half: {ratio[tool] / ratio['LAUREL']:.3f}")
PY
echo "live-soak: samples in $out/samples.tsv"
