#!/bin/bash
# Runs to find lwp-park-race's regression (park-loses-early-unpark) with
# each exploration strategy, on each NetBSD arch: `crossrt explore` from 20
# base seeds per strategy (0, 1000, ..., 19000), no shrinking, and the
# median (and range) of the run at which the bug first showed. The fixed
# variant gets the same budget per strategy and must survive it.
#
#   bench/explore/compare_strategies.sh [BUILD_DIR] [EXPLORATIONS]
#
# random: consecutive seeds (slice-end decisions, as a seed sweep);
# pct: one nonpreemptive calibration run (counted) then PCT seeds, depth 3;
# systematic: depth-first over nonpreemptive schedules, at most 2
# preemptions (it does not depend on the seed: each exploration is the same).
set -euo pipefail
build=${1:-build}
explorations=${2:-20}
crossrt="$build/bin/crossrt"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
budget=200

runs_to_find() { # cell strategy base
    local json="$work/$2-$3.json"
    "$crossrt" --build-dir "$build" explore "$1" --strategy "$2" --seed "$3" --runs $budget \
        --no-shrink -j 2 -o "$work/out" --json "$json" >/dev/null 2>&1 || true
    python3 -c 'import json,sys
e=json.load(open(sys.argv[1]))["explore"][0]
f=e.get("findings",[])
print(f[0]["run"] if f else "none:%d" % e.get("runs",0))' "$json"
}

median() { python3 -c 'import sys,statistics
v=[int(x) for x in sys.argv[1:] if not x.startswith("none")]
miss=len([x for x in sys.argv[1:] if x.startswith("none")])
print("%-6s %-9s %-6s %d/%d" % (statistics.median(v) if v else "-", "%d-%d" % (min(v),max(v)) if v else "-", "%.2f" % statistics.mean(v) if v else "-", len(v), len(v)+miss))' "$@"; }

printf '%-6s %-11s %-6s %-9s %-6s %s\n' arch strategy median range mean found
for arch in 386 amd64 arm; do
    cell="lwp-park-race/$arch-netbsd/unicorn/regress-park-loses-early-unpark"
    for strategy in random pct systematic; do
        results=()
        for ((k = 0; k < explorations; k++)); do
            results+=("$(runs_to_find "$cell" "$strategy" $((k * 1000)))")
        done
        printf '%-6s %-11s %s\n' "$arch" "$strategy" "$(median "${results[@]}")"
    done
done
echo "fixed variants, the same budget ($budget runs) from seed 0:"
for arch in 386 amd64 arm; do
    for strategy in random pct systematic; do
        "$crossrt" --build-dir "$build" explore "lwp-park-race/$arch-netbsd/unicorn/fixed" \
            --strategy "$strategy" --runs $budget -j 2 -o "$work/out" 2>&1 | tail -1
    done
done
