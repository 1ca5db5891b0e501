# Sourced by scripts/stealbench and scripts/package-app.sh: the JavaFX internals ControlsFX (on the
# class path) needs exported or opened to it when JavaFX runs as named modules. One list for both.
fx_opens=""
for e in javafx.base/com.sun.javafx.event javafx.base/com.sun.javafx.collections javafx.base/com.sun.javafx.runtime \
    javafx.controls/com.sun.javafx.scene.control javafx.controls/com.sun.javafx.scene.control.behavior \
    javafx.controls/com.sun.javafx.scene.control.inputmap javafx.graphics/com.sun.javafx.scene \
    javafx.graphics/com.sun.javafx.scene.traversal javafx.graphics/com.sun.javafx.css; do
  fx_opens="$fx_opens --add-exports=$e=ALL-UNNAMED"
done
fx_opens="$fx_opens --add-opens=javafx.controls/javafx.scene.control.skin=ALL-UNNAMED --add-opens=javafx.graphics/javafx.scene=ALL-UNNAMED"
