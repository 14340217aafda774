# Load a blo weights file with numpy alone and check it against a reference
# the C test wrote: lines "NAME SHAPE HEX_FLOAT32_BITS...".  Then re-save it
# with savez_compressed (deflate, zip64 local headers) for the reader test.
import json, sys
import numpy as np

weights, reference, resaved = sys.argv[1:4]
f = np.load(weights)
meta = json.loads(f["__blo__"].item())
assert meta["format"] == "blo-weights" and meta["format_version"] == 1, meta
ref = [line.split() for line in open(reference)]
assert sorted(f.keys()) == sorted([r[0] for r in ref] + ["__blo__"]), (list(f.keys()), ref)
for name, shape, *bits in ref:
    a = f[name]
    assert a.dtype == np.float32 and a.shape == tuple(int(s) for s in shape.split(",")), (name, a.dtype, a.shape)
    want = np.array([int(h, 16) for h in bits], dtype=np.uint32)
    assert np.array_equal(a.reshape(-1).view(np.uint32), want), name
np.savez_compressed(resaved, **{k: f[k] for k in f.keys() if k != "__blo__"})
print("numpy read", len(ref), "arrays of", meta["learner"])
