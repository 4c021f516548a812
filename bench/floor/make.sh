#!/usr/bin/env bash
# Builds the floor plugins into DIR for bench/side-by-side.sh and bench/live-side-by-side.sh
# (FLOOR=1): DIR/copy-c (windowed-copy.c) and DIR/copy-java (WindowedCopy.java, run with the
# launcher's memory and compiler options). Both take OUTPUT [WINDOW_MS].
#
#   bench/floor/make.sh DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
dir=${1:?usage: make.sh DIR}
command -v gcc >/dev/null || { echo "floor: needs gcc" >&2; exit 1; }
java=$(readlink -f "$(command -v java)") || { echo "floor: needs java on the PATH" >&2; exit 1; }
gcc -O2 -Wall -o "$dir/copy-c" "$here/windowed-copy.c"
"$(dirname "$java")/javac" -d "$dir" "$here/WindowedCopy.java"
# The options of laurel-dist/src/main/dist/bin/laurel that shape its CPU and memory.
cat >"$dir/copy-java" <<SH
#!/bin/sh
exec "$java" -XX:+UseSerialGC -Xms16m -Xmx128m -Xmn3m -Xss512k -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:TieredStopAtLevel=1 \\
    -XX:-UseDynamicNumberOfCompilerThreads -XX:-UsePerfData -cp "$dir" WindowedCopy "\$@"
SH
chmod 755 "$dir/copy-c" "$dir/copy-java" "$dir/WindowedCopy.class"
