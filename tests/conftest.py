"""Shared test fixtures. Every test runs with its home and XDG folders in a temporary
folder (nothing is written to the user's), and this is the only place tests make a GL
context: one standalone EGL context per module, with the GL error state checked around
each test that uses it."""
import pytest


def _point_home_at(mp: pytest.MonkeyPatch, root) -> None:
    mp.setenv("HOME", str(root))
    for var, sub in (("XDG_STATE_HOME", ".local/state"), ("XDG_CONFIG_HOME", ".config"),
                     ("XDG_DATA_HOME", ".local/share")):
        mp.setenv(var, str(root / sub))


@pytest.fixture(scope="session", autouse=True)
def _program_float_mode():
    """Subnormal floats flushed, as in every process of the program (neuronlab/nn/fpmode.py)."""
    from neuronlab.nn import fpmode
    fpmode.flush_subnormals()


@pytest.fixture(scope="session", autouse=True)
def _session_home(tmp_path_factory):
    """Module- and session-scoped fixtures run before a test's own home exists: they get
    one temporary home of their own. The cache (Mesa's compiled shaders, fonts) is shared
    by the whole run so each test does not compile every shader afresh."""
    root = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        _point_home_at(mp, root)
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield root


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch, _session_home):
    """Each test's home, state, config and data folders: a temporary folder of its own,
    beside its tmp_path (which stays empty for the test's own files)."""
    home = tmp_path_factory.mktemp("home")
    _point_home_at(monkeypatch, home)
    return home


@pytest.fixture(autouse=True)
def _fresh_text_floor():
    """An exhibit built by an earlier test sets the smallest text size for its screen;
    each test starts from the floor a fresh process has."""
    from neuronlab.ui import text
    text.reset_legible_floor()
    yield
    text.reset_legible_floor()


@pytest.fixture(scope="module")
def _gl_session():
    # Module scope: while a standalone EGL context is alive, moderngl cannot detect the
    # context of a pygame window made later in the same process; release it per module.
    moderngl = pytest.importorskip("moderngl")
    try:
        ctx = moderngl.create_standalone_context(require=330, backend="egl")
    except Exception as e:  # no EGL on this machine: GL tests cannot run here
        pytest.skip(f"no standalone EGL context: {e}")
    yield ctx
    ctx.release()


@pytest.fixture
def gl_ctx(_gl_session):
    ctx = _gl_session
    assert ctx.error == "GL_NO_ERROR", "GL error left over before the test"
    yield ctx
    assert ctx.error == "GL_NO_ERROR"


@pytest.fixture(scope="session")
def trained_model():
    """One network trained at default settings on 300,000 generator samples (a few
    seconds), shared by every test that needs a network that has learned."""
    from neuronlab.nn import digits, stream
    from neuronlab.nn.mlp import MLP
    from neuronlab.nn.train import Trainer, TrainSettings

    model = MLP(seed=0)
    settings = TrainSettings()
    trainer = Trainer(model, stream.DigitGenerator(0), settings, test_set=digits.test_set())
    trainer.run(300_000 // settings.batch)
    return model
