#!/usr/bin/env bash
# Makes every README picture again from weights trained here by `train --samples 300000`
# (seed 0): the four scenes, portrait and 4:3, the Graph scene in each language, teaching,
# the why overlay, the time machine and a knocked-out neuron.
#   bash docs/pictures.sh [PYTHON]        (default .venv/bin/python; no display needed)
# With BEFORE=DIR holding an older version's <scene>-1080.png and <scene>-portrait.png, also
# docs/img/compare-<scene>-1080.png and -portrait.png, side by side (bench/compare_pictures.py).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-.venv/bin/python}"
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" XDG_STATE_HOME="$tmp/state"      # no checkpoint of a real kiosk is resumed
W="$tmp/w.npz"
"$PY" main.py train --samples 300000 --seed 0 --save "$W" > /dev/null
shot() { "$PY" main.py shot --frames 60 --load "$W" "$@" > /dev/null; }
for scene in graph inspector draw probe; do
    shot --scene "$scene" --size 1600x900 --out "docs/img/$scene.png"
done
shot --scene draw --size 1080x1920 --out docs/img/draw-portrait.png
shot --scene graph --size 1024x768 --out docs/img/graph-4x3.png
for lang in de fr es nl; do
    printf '[ui]\nlanguage = "%s"\nlanguages = ["en", "%s"]\n' "$lang" "$lang" > "$tmp/$lang.toml"
    shot --scene graph --size 1920x1080 --config "$tmp/$lang.toml" --out "docs/img/graph-$lang.png"
done
"$PY" bench/teach_pictures.py --out docs/img > /dev/null
"$PY" bench/watch_pictures.py --out docs/img > /dev/null
if [ -n "${BEFORE:-}" ]; then
    for scene in graph inspector draw probe; do
        for shape in 1080:1920x1080 portrait:1080x1920; do
            name="${shape%%:*}"; size="${shape#*:}"
            shot --scene "$scene" --size "$size" --out "$tmp/$scene-$name.png"
            "$PY" bench/compare_pictures.py "$BEFORE/$scene-$name.png" "$tmp/$scene-$name.png" \
                "docs/img/compare-$scene-$name.png" > /dev/null
        done
    done
fi
echo "pictures written to docs/img"
