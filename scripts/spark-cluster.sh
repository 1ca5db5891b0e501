#!/usr/bin/env bash
# A standalone Spark cluster on this machine, on loopback: a master and N workers, each its own JVM,
# whose executors are processes of their own, as on a real cluster. It runs from the project's own
# runtime class path (Spark 4.0 is a dependency): a Spark home is assembled under
# target/spark-cluster/spark-home with those jars, so nothing is downloaded.
#
#   scripts/spark-cluster.sh start [WORKERS] [CORES_PER_WORKER] [MEMORY_PER_WORKER]   (default 2 1 6g)
#   scripts/stealbench sweep --engine spark --master spark://127.0.0.1:7077 ...
#   scripts/spark-cluster.sh stop
#
# Executors take their heap from -Dspark.executor.memory on the driver (StealBench's default: 3g) and
# find the sample data through -Dstealbench.home, which the sweep passes on (decision 0019).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DIR="$PWD/target/spark-cluster"
SPARK_HOME_DIR="$DIR/spark-home"
MASTER_PORT="${STEALBENCH_SPARK_PORT:-7077}"

stop() {
  for f in "$DIR"/*.pid; do
    [[ -e "$f" ]] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

case "${1:-}" in
  start)
    workers="${2:-2}"; cores="${3:-1}"; memory="${4:-6g}"
    stop
    scripts/stealbench --version >/dev/null   # builds when sources changed; writes target/classpath.txt
    rm -rf "$SPARK_HOME_DIR" "$DIR"/work-* "$DIR"/logs
    mkdir -p "$SPARK_HOME_DIR/jars" "$DIR/logs"
    # the runtime jars less JavaFX (no window on an executor), and the project's classes as one jar
    tr ':' '\n' < target/classpath.txt | grep '\.jar$' | grep -v '/org/openjfx/' | while read -r jar; do
      ln -sf "$jar" "$SPARK_HOME_DIR/jars/$(basename "$jar")"
    done
    (cd target/classes && jar cf "$SPARK_HOME_DIR/jars/stealbench.jar" .)
    export SPARK_HOME="$SPARK_HOME_DIR" SPARK_SCALA_VERSION=2.13
    cp="$SPARK_HOME_DIR/jars/*"
    nohup java -Xmx512m -cp "$cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MASTER_PORT" \
      --webui-port 0 >"$DIR/logs/master.log" 2>&1 &
    echo $! >"$DIR/master.pid"
    for i in $(seq "$workers"); do
      nohup java -Xmx512m -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" --memory "$memory" \
        --webui-port 0 --work-dir "$DIR/work-$i" "spark://127.0.0.1:$MASTER_PORT" >"$DIR/logs/worker-$i.log" 2>&1 &
      echo $! >"$DIR/worker-$i.pid"
    done
    for _ in $(seq 120); do
      n=$( (grep -l "Successfully registered with master" "$DIR"/logs/worker-*.log 2>/dev/null || true) | wc -l)
      [[ "$n" -ge "$workers" ]] && break
      sleep 0.5
    done
    if [[ "$n" -lt "$workers" ]]; then
      echo "only $n of $workers workers registered in 60 s; see $DIR/logs" >&2
      stop
      exit 1
    fi
    echo "spark://127.0.0.1:$MASTER_PORT: $workers workers x $cores core(s), $memory each (logs in $DIR/logs)"
    ;;
  stop)
    stop
    echo "stopped"
    ;;
  status)
    for f in "$DIR"/*.pid; do
      [[ -e "$f" ]] || { echo "not running"; exit 0; }
      echo "$(basename "$f" .pid): $(kill -0 "$(cat "$f")" 2>/dev/null && echo running || echo gone)"
    done
    ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
