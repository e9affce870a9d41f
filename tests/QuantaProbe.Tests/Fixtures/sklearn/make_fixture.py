#!/usr/bin/python3
"""Reference labels of scikit-learn's SpectralClustering on the paper's affinity, for QuantaProbe's tests.

Points around Zipf-sized clusters (seeded numpy), affinity A = 1 - arccos(C)/pi of their cosine
matrix, SpectralClustering(affinity='precomputed', assign_labels='kmeans', n_init=10). Writes
spectral_fixture.json: points (row-major), dims, k, sklearn's labels and the planted labels.
Needs Debian's python3-sklearn (bench/install-sklearn.sh). Run from this folder.
"""
import json
import numpy as np
import sklearn
from sklearn.cluster import SpectralClustering

rng = np.random.default_rng(20261123)
k, n, dims, exponent, noise = 12, 500, 24, 1.1, 0.45
weights = np.arange(1, k + 1, dtype=float) ** -exponent
sizes = np.maximum(3, np.round(weights / weights.sum() * n).astype(int))
centers = rng.standard_normal((k, dims))
points = np.concatenate([c + noise * rng.standard_normal((s, dims)) for c, s in zip(centers, sizes)]).astype(np.float32)
planted = np.repeat(np.arange(k), sizes)

unit = points / np.linalg.norm(points, axis=1, keepdims=True)
cosines = np.clip(unit @ unit.T, -1, 1)
affinity = 1 - np.arccos(cosines) / np.pi
labels = SpectralClustering(n_clusters=k, affinity="precomputed", assign_labels="kmeans", n_init=10, random_state=0).fit_predict(affinity)

with open("spectral_fixture.json", "w") as f:
    json.dump({
        "sklearn_version": sklearn.__version__,
        "k": int(k), "dims": int(dims), "count": int(len(points)),
        "points": [round(float(v), 6) for v in points.ravel()],
        "sklearn_labels": [int(v) for v in labels],
        "planted_labels": [int(v) for v in planted],
    }, f)
print(f"wrote spectral_fixture.json: {len(points)} points, k = {k}, sklearn {sklearn.__version__}")
