#!/bin/bash
# gdb_check.sh CROSSRT BINARY CHECKFILE [crossrt exec options...]
#
# Runs BINARY under `crossrt exec --gdb unix:SOCKET`, drives it with Debian's
# gdb-multiarch in batch mode, and checks gdb's output. CHECKFILE holds
# lines "gdb: COMMAND" (given to gdb in order) and "check: REGEX" (an
# extended regex; each must match a line of gdb's output after the line the
# check before it matched, as FileCheck's CHECK lines). Exits 0 when every
# check matched, 1 (showing the output) when one did not.
set -u
crossrt=$1 binary=$2 checkfile=$3
shift 3
command -v gdb-multiarch >/dev/null || { echo "skipped: gdb-multiarch is not installed"; exit 77; }
[ -f "$binary" ] || { echo "skipped: $binary is not built (the default preset builds it)"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
socket="$work/gdb.sock"
"$crossrt" exec "$@" --gdb "unix:$socket" -- "$binary" >"$work/guest.out" 2>&1 &
guest=$!
for _ in $(seq 100); do
    [ -S "$socket" ] && break
    sleep 0.1
done
if [ ! -S "$socket" ]; then
    echo "crossrt never listened on $socket:"; cat "$work/guest.out"; kill "$guest"; exit 1
fi
args=(-batch -nx -ex "set pagination off" -ex "set confirm off")
while IFS= read -r line; do
    case "$line" in
    gdb:\ *) args+=(-ex "${line#gdb: }") ;;
    esac
done <"$checkfile"
# The binary's path is in the check file as @BINARY@, the socket as @SOCKET@.
for i in "${!args[@]}"; do
    args[$i]=${args[$i]//@BINARY@/$binary}
    args[$i]=${args[$i]//@SOCKET@/$socket}
done
timeout 60 gdb-multiarch "${args[@]}" >"$work/gdb.out" 2>&1
timeout 30 tail --pid="$guest" -f /dev/null
wait "$guest" 2>/dev/null
from=1
while IFS= read -r line; do
    case "$line" in
    check:\ *)
        regex=${line#check: }
        found=$(tail -n +"$from" "$work/gdb.out" | grep -n -E -m1 -- "$regex" | cut -d: -f1)
        if [ -z "$found" ]; then
            echo "FAILED: no line after line $((from - 1)) of gdb's output matches: $regex"
            echo "--- gdb's output"; cat -n "$work/gdb.out"
            echo "--- crossrt's"; cat "$work/guest.out"
            exit 1
        fi
        from=$((from + found))
        ;;
    esac
done <"$checkfile"
echo "ok: every check of $(basename "$checkfile") matched"
