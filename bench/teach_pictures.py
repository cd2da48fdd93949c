"""The README's pictures of the Draw scene's visitor layer, from the real App, headless.

    SDL_VIDEODRIVER=offscreen .venv/bin/python bench/teach_pictures.py [--out docs/img]
        [--samples 300000] [--size 1920x1080]

Trains a network on the generator (as ``neuronlab train`` does), finds a real human digit
(scikit-learn's, placed on the pad) that it reads wrong, puts it on the pad, and saves:

    why.png     the drawing, "what the network sees" coloured by each cell's share in its
                answer, and "Change its mind"'s cells framed
    teach.png   the same drawing just after the right answer was tapped: the correction
                wires, the bars before (outlined) and after, the clean digits and the test
                accuracy before and after

Prints the drawing's label, the answers before and after and the accuracy figures.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

if __package__ in (None, ""):   # run as a script from anywhere: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import numpy as np  # noqa: E402

from neuronlab import commands as cmd  # noqa: E402
from neuronlab.app import App  # noqa: E402
from neuronlab.nn import digits, pad, stream  # noqa: E402
from neuronlab.nn.mlp import MLP  # noqa: E402
from neuronlab.nn.train import Trainer, TrainSettings  # noqa: E402


def misread_real_digit(model: MLP) -> tuple[np.ndarray, int]:
    from sklearn.datasets import load_digits

    d = load_digits()
    for img, label in zip(d.images, d.target):
        src = pad.place(img / 16.0, 13.0)
        if model.predict(pad.to_network(src)[None])[0] != label:
            return src, int(label)
    raise SystemExit("the network reads every real digit right")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="docs/img")
    ap.add_argument("--samples", type=int, default=300_000)
    ap.add_argument("--size", default="1920x1080")
    args = ap.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    settings = TrainSettings()
    model = MLP(seed=0)
    trainer = Trainer(model, stream.DigitGenerator(0), settings, test_set=digits.test_set())
    trainer.run(args.samples // settings.batch)
    img, label = misread_real_digit(model)
    app = App(size, present=False, model=model, run_gradcheck=False)
    app.session.trainer.load_state(trainer.state(), model.params)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        app.apply(cmd.SwitchScene("draw"))
        app.apply(cmd.SetPad(img))
        for _ in range(30):
            app.frame(1 / 60, events=[])
        app.apply(cmd.SceneButton("draw", "mind"))
        for _ in range(30):
            app.frame(1 / 60, events=[])
        app.save_png(str(out / "why.png"))
        before = int(np.argmax(app.session.fw.p))
        app.apply(cmd.Teach(label))
        for _ in range(110):
            app.frame(1 / 60, events=[])
        app.save_png(str(out / "teach.png"))
        r = app.exhibit.teaching.result
        print(f"drawing of a {label}: read as {before}, after the lesson as {r.answer_after} "
              f"(p[{label}] {r.p_before[label]:.3f} -> {r.p_after[label]:.3f}, {r.steps} steps); "
              f"test {r.test_before.correct} -> {r.test_after.correct} of {r.test_after.total}")
        print(f"wrote {out / 'why.png'} and {out / 'teach.png'}")
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
