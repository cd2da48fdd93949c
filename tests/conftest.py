"""Shared test fixtures. The only place tests make a GL context: one standalone EGL
context for the whole session, with the GL error state checked around each test
that uses it."""
import pytest


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
    from neuronlab.nn import digits
    from neuronlab.nn.mlp import MLP
    from neuronlab.nn.train import Trainer, TrainSettings

    model = MLP(seed=0)
    settings = TrainSettings()
    trainer = Trainer(model, digits.DigitGenerator(0), settings, test_set=digits.test_set())
    trainer.run(300_000 // settings.batch)
    return model
