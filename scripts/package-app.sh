#!/usr/bin/env bash
# Builds a self-contained StealBench application image with the JDK's jpackage: a Java runtime
# (jlink: the JDK modules it needs and JavaFX), the app and its runtime dependencies, the bundled
# sample data and victim. No Maven or Java is needed where it is copied to.
#   scripts/package-app.sh            -> target/dist/StealBench/bin/StealBench (Linux x86-64)
# Start it with no arguments for the workbench, or with the command line's arguments.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v jpackage >/dev/null || { echo "package-app: needs the JDK's jpackage (openjdk-17-jdk)" >&2; exit 1; }
work="$root/target/app"
dest="$root/target/dist"
rm -rf "$work" "$dest/StealBench"
mkdir -p "$work/input/lib" "$work/javafx" "$dest"

echo "package-app: building the jar and collecting the runtime dependencies..." >&2
mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -DskipTests package dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$work/deps" >&2
version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$root/pom.xml" | head -1)"
jar="stealbench-$version.jar"
cp "$root/target/$jar" "$work/input/"
# JavaFX goes into the runtime image as modules (jlink), the rest on the class path
for f in "$work"/deps/*.jar; do
  case "$(basename "$f")" in
    javafx-*-*[a-z].jar) cp "$f" "$work/javafx/" ;;   # the platform jars (javafx-base-21.0.11-linux.jar)
    javafx-*) ;;                                       # the empty jars without a classifier
    *) cp "$f" "$work/input/lib/" ;;
  esac
done
cp -r "$root/sample-data" "$work/input/sample-data"

# ControlsFX (class path) reaches into JavaFX internals; the workbench's collector and heap as the launcher's
# shellcheck source=javafx-opens.sh
. "$root/scripts/javafx-opens.sh"

echo "package-app: jpackage..." >&2
jpackage --type app-image --name StealBench --app-version "${version%%-*}" --dest "$dest" \
  --input "$work/input" --main-jar "$jar" --main-class org.stealbench.Main \
  --module-path "$work/javafx" \
  --add-modules java.se,jdk.unsupported,jdk.management,jdk.incubator.vector,jdk.crypto.ec,jdk.zipfs,jdk.security.auth,jdk.security.jgss,javafx.controls,javafx.fxml,javafx.swing \
  --icon "$root/icons/app.png" \
  --java-options "--add-modules=jdk.incubator.vector -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,org.stealbench.model.nn.PoolReluVectors::*,0.05 -XX:+UseZGC -XX:MaxRAMPercentage=25 -XX:SoftMaxHeapSize=1g -XX:ZUncommitDelay=10 $fx_opens" \
  --java-options '-Dstealbench.home=$APPDIR'
echo "package-app: $(du -sh "$dest/StealBench" | cut -f1) in $dest/StealBench; start it with $dest/StealBench/bin/StealBench" >&2
