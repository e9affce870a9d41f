#!/usr/bin/python3
"""scikit-learn's SpectralClustering on a precomputed affinity, timed: the comparison of `bench -- qdg`.

usage: sklearn_spectral.py AFFINITY.f32 N K LABELS_OUT   (affinity: N*N float32, row-major)
Prints one line: seconds=<fit time>. Needs Debian's python3-sklearn (bench/install-sklearn.sh).
"""
import sys
import time

import numpy as np
from sklearn.cluster import SpectralClustering

path, n, k, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
affinity = np.fromfile(path, dtype=np.float32).reshape(n, n).astype(np.float64)
start = time.perf_counter()
labels = SpectralClustering(n_clusters=k, affinity="precomputed", assign_labels="kmeans", n_init=10, random_state=0).fit_predict(affinity)
seconds = time.perf_counter() - start
labels.astype(np.int32).tofile(out)
print(f"seconds={seconds:.3f}")
