"""The Exhibit without a window: commands queue, land in order at flush, and the control
bar's taps map to the commands a visitor expects."""
import numpy as np

from neuronlab import commands as cmd
from neuronlab.controls import commands_for
from neuronlab.exhibit import MAX_QUEUE, Exhibit
from neuronlab.history import LossHistory
from neuronlab.session import Neuron, Session


def bare(seed=1):
    return Exhibit(Session(seed=seed), {})


def test_commands_land_in_the_order_made_and_only_at_flush():
    ex = bare()
    ex.apply(cmd.SetSpeed(16))
    ex.apply(cmd.SetSpeed(0))
    ex.apply(cmd.Select(Neuron(2, 3)))
    assert ex.snapshot().iters_per_frame == 4 and not ex.snapshot().paused
    assert ex.flush() == 3
    snap = ex.snapshot()
    assert snap.iters_per_frame == 16 and snap.paused and snap.selected == Neuron(2, 3)
    assert ex.flush() == 0 and ex.applied == 3


def test_a_storm_of_commands_keeps_the_first_ones_and_says_so():
    ex = bare()
    for _ in range(MAX_QUEUE + 50):
        ex.apply(cmd.OrbitCamera(1.0, 0.0))
    ex.apply(cmd.SetSpeed(0))                  # refused: the queue is full
    assert len(ex.pending) == MAX_QUEUE and ex.dropped == 51
    assert ex.flush() == MAX_QUEUE
    assert not ex.snapshot().paused and ex.dropped == 0


def test_a_step_command_trains_one_sample_and_the_demo_gives_the_network_back():
    ex = bare()
    ses = ex.session
    ex.apply(cmd.Step())
    ex.flush()
    assert ses.trainer.stats.samples_seen == 1 and ses.paused
    W = ses.model.W1.copy()
    ex.apply(cmd.StartDemo())
    ex.flush()
    assert ex.snapshot().demo and ses.trainer.stats.samples_seen == 0
    assert not np.allclose(ses.model.W1, W)
    ex.apply(cmd.EndDemo())
    ex.flush()
    np.testing.assert_array_equal(ses.model.W1, W)
    assert not ex.snapshot().demo and ses.trainer.stats.samples_seen == 1


def test_control_taps_make_the_expected_commands():
    assert commands_for(("speed", 16), "draw") == [cmd.SwitchScene("graph"), cmd.SetSpeed(16)]
    assert commands_for(("speed", 16), "graph") == [cmd.SetSpeed(16)]
    assert commands_for(("speed", 0), "probe") == [cmd.SetSpeed(0)]     # pausing stays put
    assert commands_for(("speed", "step"), "probe") == [cmd.SwitchScene("graph"), cmd.Step()]
    assert commands_for(("reset",), "draw") == [cmd.Reset(), cmd.SwitchScene("graph")]
    assert commands_for(("lang",), "graph") == [cmd.SetLanguage(None)]
    assert commands_for(("wires", "weight"), "graph") == [cmd.SetWiresMode("weight")]


def test_the_history_keeps_the_whole_run_evenly_spaced_and_restarts_on_reset():
    class Stats:
        def __init__(self, seen, loss=0.5, acc=0.9):
            self.samples_seen, self.train_loss, self.test_accuracy = seen, loss, acc

    h = LossHistory(every=100, keep=4)
    added = [h.record(Stats(s)) for s in (0, 60, 110, 150, 230, 420)]
    assert added == [True, False, True, False, True, True]
    # the fourth point halves the list (first kept) and doubles the spacing
    assert h.samples == [0, 230] and h.every == 200
    assert h.record(Stats(430)) and h.samples == [0, 230, 430]
    assert not h.record(Stats(629))
    saved = h.save()
    assert not h.record(Stats(20)) or h.samples == [20]     # a reset: the plot starts over
    assert h.samples == [20] and h.every == 100
    assert h.record(Stats(130, loss=None)) and np.isnan(h.loss[-1])
    h2 = LossHistory(every=100, keep=4)
    assert h2.load(saved) and h2.samples == [0, 230, 430] and h2.every == 200
    assert not h2.load({"samples": [3, 1], "loss": [1, 1], "acc": [0, 0]}) and len(h2) == 0
    assert not h2.load("garbage") and len(h2) == 0

def test_each_exhibits_frame_draws_its_text_no_smaller_than_its_screen_allows():
    # The legible floor (3 mm of cap height) lives in the text module; with two exhibits
    # in one process each frame's flush brings back its own screen's
    from neuronlab.ui import text

    def smallest_drawn() -> int:
        with text.sizes_used() as sizes:
            text.render("9", 4, (255, 255, 255))       # asked smaller than any floor
        return sizes[0]

    dense = Exhibit(Session(seed=1), {}, size=(1280, 800), px_per_mm=8.0)      # a 7-inch panel
    gallery = Exhibit(Session(seed=2), {}, size=(1920, 1080), px_per_mm=2.71)  # laid out after it
    for ex in (dense, gallery, dense):
        ex.flush()
        density = ex.stage.regions.px_per_mm
        cap_mm = smallest_drawn() * text.CAP_HEIGHT / density
        assert 3.0 <= cap_mm < 3.0 + text.CAP_HEIGHT / density   # at the floor, not past it
    assert dense.stage.regions.px_per_mm > 2 * gallery.stage.regions.px_per_mm
