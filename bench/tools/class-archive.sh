# Sourced by the benchmarks (bash). A build's class-data archive (lib/laurel.jsa, written by the
# first run that may write there, see bin/laurel) holds the classes its first run loaded; one made
# by another config or an empty input leaves the measured chain's classes to be loaded from the
# jars at every start (for the default chain 0.05 CPU-s more a start, measured on 2026-12-07).
# A deployment's archive is made by its own config's first run, so a benchmark remakes it with the
# config it measures: one run makes it (at exit), the next start moves it into place.

# remake_archive LAUNCHER CONFIG INPUT: remakes LAUNCHER's archive from a run of CONFIG on INPUT,
# if its lib/ is writable; says so on stderr if none was made.
remake_archive() {
    local launcher=$1 config=$2 input=$3 jsa
    jsa=$(dirname "$launcher")/../lib/laurel.jsa
    [ -w "$(dirname "$jsa")" ] || return 0
    rm -f "$jsa"
    LAUREL_LOG=stderr "$launcher" --config "$config" <"$input" >/dev/null 2>&1 || :
    LAUREL_LOG=stderr "$launcher" --config "$config" </dev/null >/dev/null 2>&1 || :
    [ -f "$jsa" ] || echo "$launcher made no class-data archive: its runs load every class from the jars" >&2
}
