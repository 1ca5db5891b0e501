#!/usr/bin/env bash
# Renders icons/*.svg to PNGs (64 px for the app icon, 32 px for actions) with ImageMagick.
set -euo pipefail
cd "$(dirname "$0")/../icons"
command -v convert >/dev/null || { sudo apt-get install -y imagemagick >/dev/null 2>&1 || apt-get install -y imagemagick; }
for svg in *.svg; do
  png="${svg%.svg}.png"
  convert -background none "$svg" "$png"
  echo "wrote icons/$png"
done
