"""The network's passes: shapes, softmax, and that backprop matches the maths."""
import numpy as np
import pytest

from neuronlab.nn.mlp import MLP, N_PARAMS, N_WEIGHTS, PARAM_SHAPES, softmax


def test_parameter_counts_match_the_exhibit():
    assert N_PARAMS == 4446
    assert N_WEIGHTS == 4408
    m = MLP(seed=1)
    for k, shape in PARAM_SHAPES.items():
        assert m.params[k].shape == shape
        assert m.params[k].dtype == np.float32


def test_forward_keeps_every_layer_for_one_image_and_a_batch():
    m = MLP(seed=2)
    X = np.random.default_rng(0).random((5, 256), dtype=np.float32)
    fb = m.forward(X)
    f1 = m.forward(X[3])
    assert fb.z1.shape == (5, 16) and fb.a2.shape == (5, 12) and fb.p.shape == (5, 10)
    assert f1.z1.shape == (16,) and f1.p.shape == (10,)
    np.testing.assert_allclose(f1.z1, X[3] @ m.W1 + m.b1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(f1.p, fb.p[3], rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(fb.a1, np.maximum(fb.z1, 0))


def test_softmax_rows_sum_to_one_even_for_huge_logits():
    z = np.array([[1000.0, 0.0, -1000.0], [3.0, 3.0, 3.0]], dtype=np.float32)
    p = softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p[1], 1 / 3, rtol=1e-6)


def test_backward_output_error_is_p_minus_onehot():
    m = MLP(seed=3)
    X = np.random.default_rng(1).random((4, 256), dtype=np.float32)
    y = np.array([0, 3, 9, 3])
    fw = m.forward(X)
    g = m.backward(fw, y)
    expected = fw.p.copy()
    expected[np.arange(4), y] -= 1
    np.testing.assert_allclose(g.dz3, expected / 4, rtol=1e-6)
    assert g.dW1.shape == (256, 16) and g.db3.shape == (10,)


def test_loss_of_a_sure_answer_is_zero_never_negative():
    from neuronlab.nn.mlp import Forward

    p = np.array([1.0000001, 0.0, 0.0], np.float32)  # float32 rounding can overshoot 1
    fw = Forward(*(np.zeros(1, np.float32) for _ in range(6)), p)
    loss = fw.loss(0)
    assert loss == 0.0 and f"{loss:.3f}" == "0.000"
    assert fw.loss(1) > 20  # a wrong sure answer costs a lot, finitely


def test_one_images_loss_is_its_row_of_the_batch_loss():
    # GIVEN a batch's forward pass and each of its images' own
    rng = np.random.default_rng(5)
    m = MLP(seed=5)
    X = rng.random((16, 256)).astype(np.float32)
    y = rng.integers(0, 10, 16)
    batch = m.forward(X)
    for i in range(16):
        one = m.forward(X[i])
        # THEN the one image's loss (scalar arithmetic) is the batch formula on its row
        assert one.loss(int(y[i])) == pytest.approx(-np.log(np.float64(batch.p[i, y[i]])), rel=1e-5)
    assert batch.loss(y) == pytest.approx(np.mean([m.forward(X[i]).loss(int(y[i])) for i in range(16)]),
                                          rel=1e-5)


def test_every_first_layer_unit_starts_alive_on_real_digits():
    # GIVEN fresh weights for several seeds and the fixed test set (inputs all >= 0)
    from neuronlab.nn import digits
    X, _ = digits.test_set()
    for seed in range(6):
        m = MLP(seed=seed)
        # THEN each of the 16 first-layer units fires on at least half of the digits
        # (with zero biases 2-4 units per seed fired on under 5 % of them)
        firing = (m.forward(X).z1 > 0).mean(axis=0)       # (16,)
        assert firing.min() >= 0.5, (seed, firing.min())
        # and the weights are still He-normal: std sqrt(2 / 256)
        assert abs(float(m.W1.std()) - np.sqrt(2 / 256)) < 0.006
