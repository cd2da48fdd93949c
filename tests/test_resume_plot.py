"""After a resume from the gallery's checkpoint the plot shows the run so far (the real
start-up path: config -> build_app -> checkpoint), not an empty box."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

from types import SimpleNamespace

import numpy as np

from neuronlab import commands as cmd
from neuronlab.bootstrap import build_app

from helpers import command, feeder_ready, frames


def test_a_resumed_exhibit_shows_the_plot_of_the_run_so_far(tmp_path):
    cfg = tmp_path / "neuronlab.toml"
    cfg.write_text(f'[state]\nresume = "resume"\ncheckpoint = "{tmp_path / "ck.npz"}"\n'
                   '[log]\npath = ""\n')
    args = SimpleNamespace(config=str(cfg), size=(640, 360))
    app = build_app(args, present=False, run_gradcheck=False, attract_seed=0)
    try:
        assert feeder_ready(app)                # the real start-up: its feeder serves the rows
        command(app, cmd.Reset(), cmd.SetSpeed(16))
        app.session.pace.stop()
        frames(app, 40)
        before = app.exhibit.history.save()
        seen = app.session.trainer.stats.samples_seen
        assert len(before["samples"]) >= 5 and before["samples"][0] == 0
        app.kiosk.close()                       # the last checkpoint of a planned stop
        app.kiosk = None
    finally:
        app.close()
    again = build_app(args, present=False, run_gradcheck=False, attract_seed=0)
    try:
        assert again.session.trainer.stats.samples_seen == seen
        after = again.exhibit.history.save()
        assert after["samples"] == before["samples"] and after["every"] == before["every"]
        for series in ("loss", "acc"):                      # NaN (not yet measured) included
            np.testing.assert_array_equal(after[series], before[series])
        assert feeder_ready(again)
        frames(again, 20)                       # and the run goes on from there
        hist = again.exhibit.history
        assert hist.samples[0] == 0 and hist.samples[-1] > before["samples"][-1]
    finally:
        again.kiosk = None
        again.close()
