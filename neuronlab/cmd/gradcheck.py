"""``neuronlab gradcheck``: backprop against finite differences; exit 1 above 1e-6."""
from __future__ import annotations

from neuronlab.nn.gradcheck import PASS_MARK, gradcheck


def run(args) -> int:
    r = gradcheck()
    for name, err in r.per_layer.items():
        print(f"  {name:3s} {r.per_layer_count[name]:4d} checked  worst {err:.2e}")
    name, idx = r.worst_at
    verdict = "ok" if r.ok else f"FAILED (above {PASS_MARK:g})"
    print(f"worst relative error: {r.worst_rel_error:.3e} at {name}{list(idx)} "
          f"over {r.n_checked} parameters: {verdict}")
    return 0 if r.ok else 1
