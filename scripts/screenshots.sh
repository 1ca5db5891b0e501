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
# the embedding view while a theft trains (a fresh results folder: the run above left a checkpoint it would resume from)
STEALBENCH_JAVA_OPTS="$opts -Dstealbench.results=$(mktemp -d) -Dstealbench.autorun=32 -Dstealbench.view=embedding" \
  "$shot" "$out/workbench-embedding.png" 36 -- "$root/scripts/stealbench"
for v in compare curves paper lesson data about; do
  STEALBENCH_JAVA_OPTS="$opts -Dstealbench.view=$v" "$shot" "$out/workbench-$v.png" 35 -- "$root/scripts/stealbench"
done
# the Server view serving the bundled victim, with two clients of examples/steal_over_http.py (one over its budget, one over its rate)
db="$(mktemp -d)/api.db"
port=18090
STEALBENCH_JAVA_OPTS="$opts -Dstealbench.view=server -Dstealbench.serve=$port -Dstealbench.serverDb=$db" \
  "$shot" "$out/workbench-server.png" 45 -- "$root/scripts/stealbench" &
sleep 30
alice="$("$root/scripts/stealbench" serve keys add alice --budget 80 --db "$db" 2>/dev/null)"
mallory="$("$root/scripts/stealbench" serve keys add mallory --budget 5000 --rate 64 --db "$db" 2>/dev/null)"
timeout 10 python3 "$root/examples/steal_over_http.py" "http://127.0.0.1:$port" "$alice" >/dev/null 2>&1 || true
timeout 10 python3 "$root/examples/steal_over_http.py" "http://127.0.0.1:$port" "$mallory" >/dev/null 2>&1 || true
wait
ls -l "$out"
