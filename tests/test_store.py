"""Weights files: exact round trip, atomic save, one clear error for each kind of bad file."""
import json
import os
import zipfile

import numpy as np
import pytest

from neuronlab.nn.mlp import MLP, PARAM_NAMES
from neuronlab.nn.store import WeightsError, load_weights, save_weights


def good_arrays(seed=0):
    return {k: v.copy() for k, v in MLP(seed=seed).params.items()}


def write_npz(path, arrays):
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    return path


def test_weights_round_trip_exactly_with_meta(tmp_path):
    model = MLP(seed=4)
    model.params["b2"][...] = np.linspace(-1, 1, 12, dtype=np.float32)
    meta = {"samples_seen": 123456, "test_accuracy": 0.9731,
            "settings": {"batch": 32, "lr": 0.05}, "numpy_scalar": np.float32(0.5)}
    path = tmp_path / "w.npz"
    save_weights(path, model, meta)
    loaded, got = load_weights(path)
    for k in PARAM_NAMES:
        assert loaded.params[k].dtype == np.float32
        np.testing.assert_array_equal(loaded.params[k], model.params[k])
    assert got["samples_seen"] == 123456 and got["test_accuracy"] == 0.9731
    assert got["settings"] == {"batch": 32, "lr": 0.05}
    assert got["numpy_scalar"] == 0.5 and got["format"] == 1
    # and the file is a plain npz anyone can read, nothing pickled
    with np.load(path, allow_pickle=False) as npz:
        assert npz["W1"].shape == (256, 16) and npz["W1"].dtype == np.float32
        assert json.loads(str(npz["meta"]))["samples_seen"] == 123456


def test_save_replaces_atomically_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "w.npz"
    save_weights(path, MLP(seed=1), {"n": 1})
    save_weights(path, MLP(seed=2), {"n": 2})
    _, meta = load_weights(path)
    assert meta["n"] == 2
    assert sorted(os.listdir(tmp_path)) == ["w.npz"]


def test_a_failed_save_keeps_the_old_file(tmp_path):
    path = tmp_path / "w.npz"
    save_weights(path, MLP(seed=1), {"n": 1})
    with pytest.raises(TypeError):
        save_weights(path, MLP(seed=2), {"n": object()})
    _, meta = load_weights(path)
    assert meta["n"] == 1
    assert sorted(os.listdir(tmp_path)) == ["w.npz"]


def expect_error(path, *words):
    with pytest.raises(WeightsError) as info:
        load_weights(path)
    text = str(info.value)
    assert "\n" not in text
    assert str(path) in text
    for w in words:
        assert w in text, text
    return text


def test_missing_file(tmp_path):
    expect_error(tmp_path / "nope.npz", "not found")


def test_a_folder(tmp_path):
    expect_error(tmp_path, "folder")


def test_empty_file(tmp_path):
    p = tmp_path / "empty.npz"
    p.write_bytes(b"")
    expect_error(p, "empty")


def test_truncated_file(tmp_path):
    p = tmp_path / "w.npz"
    save_weights(p, MLP(seed=0), {})
    data = p.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 100):
        p.write_bytes(data[:cut])
        expect_error(p, "npz")


def test_corrupt_member_inside_a_valid_zip(tmp_path):
    p = tmp_path / "w.npz"
    save_weights(p, MLP(seed=0), {})
    data = bytearray(p.read_bytes())
    with zipfile.ZipFile(p) as z:
        info = z.getinfo("W1.npy")
    at = info.header_offset + 30 + len(info.filename) + 2000   # inside W1's data
    data[at:at + 8] = b"\xff" * 8
    p.write_bytes(bytes(data))
    expect_error(p, "damaged")


def test_not_a_zip_at_all(tmp_path):
    p = tmp_path / "w.npz"
    p.write_text("hello, I am a text file\n")
    expect_error(p, "not an .npz")
    q = tmp_path / "single.npy"
    np.save(q, np.zeros((256, 16), np.float32))
    expect_error(q, "not an .npz")


def test_missing_key(tmp_path):
    arrays = good_arrays()
    del arrays["W2"]
    expect_error(write_npz(tmp_path / "w.npz", arrays), "no W2 array")


def test_wrong_shape(tmp_path):
    arrays = good_arrays()
    arrays["W2"] = arrays["W2"].T.copy()
    expect_error(write_npz(tmp_path / "w.npz", arrays), "W2", "(12, 16)", "(16, 12)")


def test_wrong_dtype_is_refused_but_float64_is_converted(tmp_path):
    arrays = good_arrays()
    arrays["b1"] = np.zeros(16, np.int64)
    expect_error(write_npz(tmp_path / "int.npz", arrays), "b1", "int64")
    arrays = {k: v.astype(np.float64) for k, v in good_arrays(3).items()}
    model, meta = load_weights(write_npz(tmp_path / "f64.npz", arrays))
    assert meta == {}
    assert model.W1.dtype == np.float32
    np.testing.assert_array_equal(model.W1, arrays["W1"].astype(np.float32))


def test_nan_and_inf(tmp_path):
    arrays = good_arrays()
    arrays["W3"][2, 3] = np.nan
    arrays["W3"][0, 0] = np.inf
    expect_error(write_npz(tmp_path / "w.npz", arrays), "W3", "2 non-finite")


def test_bad_meta(tmp_path):
    arrays = good_arrays()
    arrays["meta"] = np.array("{not json")
    expect_error(write_npz(tmp_path / "a.npz", arrays), "meta", "JSON")
    arrays["meta"] = np.array("[1, 2]")
    expect_error(write_npz(tmp_path / "b.npz", arrays), "JSON object")


def test_pickled_object_arrays_are_never_loaded(tmp_path):
    arrays = good_arrays()
    arrays["W1"] = np.empty((256, 16), dtype=object)
    p = tmp_path / "w.npz"
    with open(p, "wb") as f:
        np.savez(f, **arrays)
    expect_error(p, "W1")
