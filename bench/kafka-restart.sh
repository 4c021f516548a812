#!/usr/bin/env bash
# The kafka sink's "broker restart" check at full size: KafkaSinkBrokerTest's restart test on
# COPIES copies of the capture (200: 215,200 events) with the broker stopped for OUTAGE seconds
# (20) in the middle, against a real KRaft broker in the test's JVM. The default build runs the
# same test on 10 copies and 5 s; this size takes minutes, so it is not part of it.
#
#   bench/kafka-restart.sh [COPIES [OUTAGE]]
#
# It checks every event id is in the topic, the topic's duplicates equal laurel's count of
# possible duplicates, and, for the sink beside it with on-full: drop and a small buffer, that
# written + dropped = total exactly; then prints the test's figures line.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
copies=${1:-200}
outage=${2:-20}
case $copies$outage in *[!0-9]*) echo "kafka-restart: COPIES and OUTAGE are numbers" >&2; exit 1 ;; esac
cd "$root"
nice -n 10 mvn -B -o -pl laurel-plugins/kafka -am verify \
    -Dtest='KafkaSinkBrokerTest#aBrokerStoppedMidStream*' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dlaurel.kafka.copies="$copies" -Dlaurel.kafka.outage="$outage" 2>&1 | grep -E 'broker restart:|Tests run:|FAIL|BUILD'
