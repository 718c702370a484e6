#!/usr/bin/python3
"""The PPMI + SVD recipe with numpy / scipy / scikit-learn, as people glue it by hand: the peer of
`wasm2vec svd` in bench/svd.ts. Counting follows wasm2vec's (and word2vec's) conventions so that
both build the same matrix: words under --min-count are removed before windowing, windows stop at
line ends, symmetric window, plain counts (--weighting uniform) or the dynamic window's expected
weights (linear) or 1/d (harmonic). PPMI as hyperwords' calc_pmi (cds, shift log neg, clip at 0),
then sklearn.utils.extmath.randomized_svd with the same k, oversamples and power iterations.

  /usr/bin/python3 bench/svd/pipeline.py --input CORPUS --output VEC.txt [--dim 100 --window 2 ...]
  /usr/bin/python3 bench/svd/pipeline.py --ppmi MATRIX.mtx [--dim ...]    # the SVD step alone
  ... --save-ppmi FILE.mtx   also write this pipeline's PPMI matrix (to compare with wasm2vec's --save-ppmi)

Prints one JSON object: seconds per phase, matrix size, peak RSS (ru_maxrss), the BLAS in use
(threadpoolctl, when installed) and the singular values.
"""
import argparse
import json
import resource
import sys
import time
from collections import Counter

import numpy as np
import scipy.io
import scipy.sparse as sp
from sklearn.utils.extmath import randomized_svd


def blas_info():
    try:
        from threadpoolctl import threadpool_info
        return threadpool_info()
    except Exception as error:  # threadpoolctl missing or failing: say so
        return [{'error': f'threadpoolctl unavailable: {error}'}]


def count(path, min_count, window, weighting):
    counts = Counter()
    with open(path, encoding='utf-8', errors='surrogateescape') as f:
        for line in f:
            counts.update(line.split())
    vocab = [w for w, c in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0].encode('utf-8', 'surrogateescape'))) if c >= min_count]
    index = {w: i for i, w in enumerate(vocab)}
    ids = []
    lines = []
    with open(path, encoding='utf-8', errors='surrogateescape') as f:
        for n, line in enumerate(f):
            kept = [index[t] for t in line.split() if t in index]
            ids.extend(kept)
            lines.extend([n] * len(kept))
    ids = np.asarray(ids, dtype=np.int32)
    lines = np.asarray(lines, dtype=np.int64)
    v = len(vocab)
    matrix = sp.csr_matrix((v, v), dtype=np.float64)
    for d in range(1, window + 1):
        same = lines[:-d] == lines[d:]
        a = ids[:-d][same]
        b = ids[d:][same]
        w = 1.0 if weighting == 'uniform' else (1.0 / d if weighting == 'harmonic' else (window + 1 - d) / window)
        data = np.full(2 * len(a), w)
        matrix = matrix + sp.coo_matrix((data, (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(v, v)).tocsr()
    return vocab, matrix


def ppmi(counts, cds, neg):
    sum_w = np.asarray(counts.sum(axis=1)).ravel()
    sum_c = np.asarray(counts.sum(axis=0)).ravel() ** cds
    total = sum_c.sum()
    with np.errstate(divide='ignore'):  # a word alone on its lines has no pairs: its row stays empty
        inv_w = np.where(sum_w > 0, 1 / sum_w, 0)
        inv_c = np.where(sum_c > 0, 1 / sum_c, 0)
    m = sp.diags(inv_w) @ counts @ sp.diags(inv_c) * total
    m = m.tocsr()
    m.data = np.log(m.data) - np.log(neg)
    m.data[m.data < 0] = 0
    m.eliminate_zeros()
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--input')
    ap.add_argument('--ppmi', help='time the SVD alone on this Matrix Market file')
    ap.add_argument('--output')
    ap.add_argument('--save-ppmi', help="write this pipeline's PPMI matrix (Matrix Market, rows in the vectors' order)")
    ap.add_argument('--dim', type=int, default=100)
    ap.add_argument('--window', type=int, default=2)
    ap.add_argument('--weighting', default='uniform', choices=['uniform', 'linear', 'harmonic'])
    ap.add_argument('--min-count', type=int, default=5)
    ap.add_argument('--cds', type=float, default=0.75)
    ap.add_argument('--neg', type=float, default=1)
    ap.add_argument('--eig', type=float, default=0.5)
    ap.add_argument('--oversamples', type=int, default=10)
    ap.add_argument('--power-iterations', type=int, default=7)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()
    seconds = {}
    started = time.perf_counter()
    if args.ppmi:
        a = scipy.io.mmread(args.ppmi).tocsr()
        seconds['read'] = time.perf_counter() - started
        vocab = None
    else:
        if not args.input:
            sys.exit('give --input CORPUS or --ppmi MATRIX')
        vocab, counts = count(args.input, args.min_count, args.window, args.weighting)
        seconds['count'] = time.perf_counter() - started
        t = time.perf_counter()
        a = ppmi(counts, args.cds, args.neg)
        del counts
        seconds['ppmi'] = time.perf_counter() - t
        if args.save_ppmi:
            scipy.io.mmwrite(args.save_ppmi, a, precision=9)
    t = time.perf_counter()
    u, s, _ = randomized_svd(a, args.dim, n_oversamples=args.oversamples, n_iter=args.power_iterations, random_state=args.seed)
    seconds['svd'] = time.perf_counter() - t
    if args.output and vocab is not None:
        t = time.perf_counter()
        w = u * s ** args.eig
        w /= np.maximum(np.linalg.norm(w, axis=1, keepdims=True), 1e-300)
        with open(args.output, 'w', encoding='utf-8', errors='surrogateescape') as f:
            f.write(f'{len(vocab)} {args.dim}\n')
            for word, row in zip(vocab, w):
                f.write(word + ' ' + ' '.join(f'{x:.6f}' for x in row) + '\n')
        seconds['save'] = time.perf_counter() - t
    seconds['total'] = time.perf_counter() - started
    print(json.dumps({
        'seconds': seconds,
        'matrix': {'rows': a.shape[0], 'nnz': int(a.nnz)},
        'peak_rss_kib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        'blas': blas_info(),
        'singular_values': [float(x) for x in s],
    }))


if __name__ == '__main__':
    main()
