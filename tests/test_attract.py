"""The attract tour on the real exhibit (headless), minutes of exhibit time in seconds."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import numpy as np

from neuronlab.config import KioskConfig
from neuronlab.kiosk import PULSE_HZ, KioskController
from neuronlab.scenes.attract import AttractTour

from helpers import app_fixtures

SIZE = (1280, 720)


shared_app, app = app_fixtures(SIZE, seed=2, iters_per_frame=4, run_gradcheck=False)


def play(app, tour, seconds, dt=0.05, render_every=60, watch=None):
    """Advance the tour and the session as the app's frame would, on the exhibit's clock;
    render now and then."""
    for i in range(int(round(seconds / dt))):
        app.clock += dt
        tour.update(dt)
        app.exhibit.flush()                # the frame's one point of change
        app.session.update(app.clock)
        if i % render_every == 0:
            app.frame(0.0, events=[])
        if watch is not None:
            watch(app, tour)


def test_tour_draws_stroke_by_stroke_opens_a_neuron_and_learns(app):
    tour = AttractTour(app.exhibit, seed=11, languages=("en", "de"), default_speed=4)
    seen = {"ink": [], "phases": [], "highlights": set(), "selected": set(), "speeds": set(),
            "samples_drop": False, "langs": set()}
    last = {"samples": app.session.trainer.stats.samples_seen}

    def watch(app, tour):
        seen["phases"].append(tour.phase)
        if tour.phase == "draw":
            seen["ink"].append(float(app.scenes["draw"].pad.image.sum()))
        if app.session.highlight is not None:
            seen["highlights"].add(app.session.highlight)
        if app.session.selected is not None:
            seen["selected"].add(app.session.selected)
        if tour.phase == "learn":
            seen["speeds"].add(app.session.iters_per_frame)
            seen["story"] = seen.get("story", False) or app.session.pace.active
        if tour.phase == "timelapse" and app.session.in_past:
            seen.setdefault("past", []).append(app.session.timeline.showing)
        s = app.session.trainer.stats.samples_seen
        seen["samples_drop"] |= s < last["samples"]
        last["samples"] = s
        seen["langs"].add(app.lang)

    tour.start()
    play(app, tour, 240.0, watch=watch)        # four minutes of exhibit time
    assert tour.digits_drawn >= 2 and tour.neurons_opened >= 2 and tour.loops >= 3
    ink = np.array(seen["ink"])
    assert ink.max() > 10                       # real ink on the pad
    # Stroke by stroke: the ink grows over many frames, not in one jump.
    assert np.count_nonzero(np.diff(ink) > 0) >= 20
    assert len(seen["highlights"]) >= 4         # the sum walked bar by bar, wires lit
    assert all(h[0] in (1, 2, 3) for h in seen["highlights"])
    assert seen["samples_drop"]                 # the network was reset...
    assert seen["speeds"] == {4} and seen["story"]   # ...and learned at the story pace
    past = seen["past"]                          # then played back from noise, in order
    drops = np.flatnonzero(np.diff(past) < 0)   # each loop's time-lapse starts again at 0
    assert past[0] == 0 and len(set(past)) >= 5 and all(past[i + 1] == 0 for i in drops)
    assert seen["langs"] == {"en", "de"}        # the language cycles per loop
    assert {"draw", "neuron", "learn", "timelapse", "invite"} <= set(seen["phases"])
    tour.stop()
    app.exhibit.flush()
    assert app.session.highlight is None and app.scenes["draw"].pad.active_strokes == 0


def test_tours_with_different_seeds_differ_and_loops_do_not_repeat(app):
    def digits_drawn(seed):
        tour = AttractTour(app.exhibit, seed=seed, default_speed=4)
        out = []
        tour.start()
        for _ in range(6000):
            before = tour.digits_drawn
            tour.update(0.1)
            app.exhibit.flush()
            if tour.digits_drawn != before:
                out.append((tour.last_digit, round(float(app.scenes["draw"].pad.image.sum()), 2)))
        tour.stop()
        app.exhibit.flush()
        return out
    a, b = digits_drawn(1), digits_drawn(2)
    assert len(a) >= 4
    assert a != b
    assert len(set(a)) == len(a)                # no two drawings identical within a run


def test_invitation_pulses_gently_while_attract_runs(app):
    k = KioskController(app, KioskConfig(idle_timeout_s=5.0), seed=3, language="en", default_speed=4)
    app.kiosk = k
    try:
        k.start_attract()
        alphas = []
        for _ in range(40):                     # 4 s at 10 frames a second
            app.frame(0.1, events=[])
            alphas.append(app.hud.panels["attract_invite"].alpha)
        a = np.array(alphas)
        assert a.min() >= 0.69 and a.max() <= 1.0 and a.max() - a.min() > 0.2
        peaks = np.count_nonzero((a[1:-1] > a[:-2]) & (a[1:-1] >= a[2:]))
        assert peaks <= 3 * 4 and PULSE_HZ < 3  # far below three flashes a second
        assert "attract_invite" in app.hud.order  # on screen in the last frame
    finally:
        k.recover()
        app.kiosk = None


def test_learning_from_scratch_in_the_tour_gives_the_visitor_back_the_learned_network():
    """The tour resets the network to show learning; a touch brings back what it had learned."""
    import numpy as np

    from neuronlab.exhibit import Exhibit
    from neuronlab.scenes.attract import AttractTour
    from neuronlab.session import Session

    host = Exhibit(Session(seed=2), {})      # no window: the exhibit's state alone
    ses = host.session
    ses.set_speed(8)
    for _ in range(40):
        ses.update()
    learned_W = ses.model.W1.copy()
    seen = ses.trainer.stats.samples_seen
    tour = AttractTour(host, seed=0)
    tour.active = True
    tour._script = tour._learn()
    next(tour._script)
    host.flush()
    assert ses.trainer.stats.samples_seen == 0                 # the demo starts from scratch
    assert not np.allclose(ses.model.W1, learned_W)
    tour.stop()                                                 # a visitor touches
    host.flush()
    np.testing.assert_array_equal(ses.model.W1, learned_W)
    assert ses.trainer.stats.samples_seen == seen
    assert host.saved is None and not host.snapshot().demo
