"""Teach it: real training on the visitor's drawing, exact before/after figures, the
replay mix, no blow-up on repetition, and a gallery that keeps nothing unless enabled."""
import numpy as np
import pytest

from neuronlab.nn import digits, pad, stream
from neuronlab.nn import teach as teach_mod
from neuronlab.nn.mlp import MLP, PARAM_NAMES
from neuronlab.nn.teach import MixSource, Teacher, TeachingGallery, TeachSettings, clean_inputs
from neuronlab.nn.train import Trainer, TrainSettings


@pytest.fixture
def trained_params(trained_model):
    """The shared 300k-sample network's weights (each test trains its own copy)."""
    return {k: v.copy() for k, v in trained_model.params.items()}


def _trainer(params) -> Trainer:
    m = MLP({k: v.copy() for k, v in params.items()})
    return Trainer(m, stream.DigitGenerator(3), TrainSettings(), test_set=digits.test_set())


def _misread(model: MLP, n: int) -> list[tuple[np.ndarray, int]]:
    """Drawings from a stream the network never trained on that it reads wrong."""
    imgs, y = stream.DigitGenerator(99, pool=0).raw_batch(400)
    X = pad.to_network(imgs)
    wrong = np.flatnonzero(model.predict(X) != y)
    assert len(wrong) >= n
    return [(X[i], int(y[i])) for i in wrong[:n]]


def test_a_misread_drawing_is_learned_and_the_rest_is_kept(trained_params):
    # a well-trained network: a less trained one only gains from the replayed digits
    drops, p_after = [], []
    for x, label in _misread(MLP(trained_params), 6):
        tr = _trainer(trained_params)
        r = Teacher(tr, replay=stream.DigitGenerator(5, pool=0)).teach(x, label)
        assert r.answer_before != label
        # it now reads the drawing as the visitor said, most often past the lesson's early
        # stop (the label at 0.6); a stubborn one takes every step and may end below it
        assert r.learned and r.p_after[label] > r.p_before[label]
        drops.append(r.drop_points)
        p_after.append(r.p_after[label])
    assert np.median(p_after) >= 0.6
    assert np.median(drops) <= 0.5 and max(drops) <= 1.5


def test_the_figures_shown_are_the_models_own(trained_params):
    tr = _trainer(trained_params)
    model = tr.model
    before = {k: v.copy() for k, v in model.params.items()}
    x, label = _misread(model, 1)[0]
    X, y = digits.test_set()
    p0, acc0, clean0 = model.forward(x).p.copy(), np.mean(model.predict(X) == y), model.predict(clean_inputs())
    r = Teacher(tr).teach(x, label)
    assert np.array_equal(r.p_before, p0)
    assert np.array_equal(r.p_after, model.forward(x).p)
    assert r.test_before.fraction == acc0 and r.test_before.total == 2000
    assert r.test_after.fraction == np.mean(model.predict(X) == y) == tr.stats.test_accuracy
    assert np.array_equal(r.clean_before, clean0)
    assert np.array_equal(r.clean_after, model.predict(clean_inputs()))
    for k in PARAM_NAMES:
        assert np.array_equal(r.delta[k], model.params[k] - before[k])
    assert any(np.abs(r.delta[k]).max() > 0 for k in PARAM_NAMES)


def test_the_lesson_counts_in_the_trainers_stats(trained_params):
    tr = _trainer(trained_params)
    st = tr.stats
    seen, iters, loss = st.samples_seen, st.iterations, st.train_loss
    x, label = _misread(tr.model, 1)[0]
    r = Teacher(tr).teach(x, label)
    assert r.steps >= 1 and len(r.losses) == r.steps and r.rollbacks == 0
    assert st.samples_seen == seen + r.samples == seen + r.steps * TeachSettings().batch
    assert st.iterations == iters + r.steps
    assert st.batch_loss == r.losses[-1]
    assert st.train_loss != loss and np.isfinite(st.train_loss)
    tr.run(5)                    # the exhibit trains on from the taught weights
    assert st.samples_seen == seen + r.samples + 5 * 32


class _CountingSource:
    def __init__(self):
        self.asked = []
        self.gen = stream.DigitGenerator(11, pool=0)

    def batch(self, n):
        self.asked.append(n)
        return self.gen.batch(n)


def test_replay_mix_holds_copies_of_the_drawing_and_replayed_digits():
    x = digits.test_set()[0][0]
    src = _CountingSource()
    X, y = MixSource(x, 4, copies=3, replay=src).batch(16)
    assert src.asked == [13]
    assert np.array_equal(X[:3], np.repeat(x[None], 3, axis=0)) and np.all(y[:3] == 4)
    ref_X, ref_y = stream.DigitGenerator(11, pool=0).batch(13)
    assert np.array_equal(X[3:], ref_X) and np.array_equal(y[3:], ref_y)


def test_a_lesson_asks_the_replay_source_for_the_rest_of_each_batch(trained_params):
    tr = _trainer(trained_params)
    src = _CountingSource()
    s = TeachSettings(steps=5, batch=20, copies=4, target=0.0)
    lesson = Teacher(tr, s, replay=src).begin(*_misread(tr.model, 1)[0])
    assert lesson.advance(2) == 2 and lesson.progress == 0.4 and not lesson.done
    r = lesson.finish()
    assert src.asked == [16] * 5 and r.steps == 5 and r.samples == 100
    assert lesson.finish() is r


def test_teaching_the_same_drawing_50_times_does_not_blow_up(trained_params):
    tr = _trainer(trained_params)
    x, label = _misread(tr.model, 1)[0]
    # every step every time (no early stop): 800 steps pushing on one drawing
    teacher = Teacher(tr, TeachSettings(steps=16, target=0.0),
                      replay=stream.DigitGenerator(4, pool=2000))
    start = teacher.teach(x, label).test_before.points
    for _ in range(49):
        r = teacher.teach(x, label)
    assert all(np.isfinite(v).all() for v in tr.model.params.values())
    assert r.learned and r.steps == 16
    assert start - r.test_after.points < 3.0


def test_the_divergence_guard_covers_a_lesson(trained_params):
    tr = _trainer(trained_params)
    x, label = _misread(tr.model, 1)[0]
    r = Teacher(tr, TeachSettings(lr=1e4, steps=6, target=0.0)).teach(x, label)
    assert r.rollbacks >= 1
    assert all(np.isfinite(v).all() for v in tr.model.params.values())
    assert tr.stats.iterations >= r.steps


def test_bad_lessons_are_refused(trained_params):
    tr = _trainer(trained_params)
    with pytest.raises(ValueError, match="copies"):
        TeachSettings(copies=0)
    with pytest.raises(ValueError, match="0-9"):
        Teacher(tr).begin(np.zeros(256, np.float32), 10)
    with pytest.raises(ValueError, match="finite"):
        Teacher(tr).begin(np.full(256, np.nan, np.float32), 3)


# -- the gallery -----------------------------------------------------------

def test_the_gallery_keeps_nothing_by_default(tmp_path):
    g = TeachingGallery(tmp_path / "gallery")
    assert g.keep(digits.clean_digit(2), 2) is None
    assert not (tmp_path / "gallery").exists() and list(tmp_path.iterdir()) == []


def test_the_gallery_keeps_image_and_label_within_its_cap(tmp_path):
    g = TeachingGallery(tmp_path, enabled=True, cap=3)
    for d in range(5):
        g.keep(digits.clean_digit(d), d)
    files = g.files()
    assert len(files) == 3 and len(list(tmp_path.iterdir())) == 3
    kept = [TeachingGallery.load(p) for p in files]
    assert [label for _, label in kept] == [2, 3, 4]           # the oldest went first
    assert np.array_equal(kept[0][0], digits.clean_digit(2))
    with np.load(files[0]) as z:
        assert sorted(z.files) == ["image", "label"]          # nothing else is kept


def test_a_partly_written_drawing_never_appears(tmp_path, monkeypatch):
    g = TeachingGallery(tmp_path, enabled=True)
    g.keep(digits.clean_digit(1), 1)

    def half_then_fail(f, **arrays):
        f.write(b"PK\x03\x04 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(teach_mod.np, "savez", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        g.keep(digits.clean_digit(7), 7)
    assert len(g.files()) == 1 and len(list(tmp_path.iterdir())) == 1   # no tmp left
    assert TeachingGallery.load(g.files()[0])[1] == 1
