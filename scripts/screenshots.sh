#!/usr/bin/env bash
# Screenshots of every workbench view under Xvfb into docs/screenshots/ (needs xvfb, imagemagick).
# The Live view is taken while the demo theft trains; Compare reads the results folder given
# (default: results/, fill it with `stealbench compare-losses` and `budget-sweep` first).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
results="${1:-$root/results}"
shot="$root/scripts/screenshot.sh"
out="$root/docs/screenshots"
mkdir -p "$out"
opts="-Xmx6g -Dstealbench.results=$results"
STEALBENCH_JAVA_OPTS="$opts -Dstealbench.autorun=32" "$shot" "$out/workbench-live.png" 38 -- "$root/scripts/stealbench"
for v in compare data about; do
  STEALBENCH_JAVA_OPTS="$opts -Dstealbench.view=$v" "$shot" "$out/workbench-$v.png" 35 -- "$root/scripts/stealbench"
done
ls -l "$out"
