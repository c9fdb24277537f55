#!/usr/bin/env bash
# `crossrt new demo`, then the next build, then `crossrt run demo`, in a copy
# of the committed source tree (git archive HEAD): the scenario crossrt new
# writes must build and pass at once.
#
# The cheapest build that still is the project's own: the amd64-linux
# target's sub-build (targets/CMakeLists.txt, as the superbuild configures
# it), configured before `crossrt new` so that the build must find the new
# folder itself, and asked only for demo's two binaries (not every
# scenario's). The cells are demo's amd64-linux ones, on every backend.
#
# usage: new_scenario_builds_and_runs.sh CROSSRT SOURCE_DIR
set -euo pipefail
crossrt=$1
source_dir=$2

if ! git -C "$source_dir" rev-parse --verify -q HEAD >/dev/null; then
  echo "skipped: $source_dir is not a git checkout with a commit (git archive HEAD makes the copy)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/src"
git -C "$source_dir" archive HEAD | tar -x -C "$work/src"

sub_build=$work/build/targets/amd64-linux
cmake -S "$work/src/targets" -B "$sub_build" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$work/src/targets/toolchain-amd64-linux.cmake" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCROSSRT_TARGET=amd64-linux \
  -DCROSSRT_SOURCE_DIR="$work/src" -DCROSSRT_HARNESS="$crossrt" >"$work/configure.log" ||
  { cat "$work/configure.log"; exit 1; }

"$crossrt" --scenarios "$work/src/scenarios" new demo

cmake --build "$sub_build" --target scenario__demo__fixed scenario__demo__regress-no-wait \
  >"$work/build.log" || { tail -50 "$work/build.log"; exit 1; }

"$crossrt" --scenarios "$work/src/scenarios" --build-dir "$work/build" \
  run demo --arch amd64 --os linux | tee "$work/run.log"
grep -q "regression caught" "$work/run.log"
grep -q "6 cells: 6 passed, 0 failed, 0 skipped" "$work/run.log"
