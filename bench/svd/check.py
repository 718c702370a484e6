#!/usr/bin/python3
"""Correctness and quality of `wasm2vec svd` against scipy / scikit-learn on the same PPMI matrix.

Usage (Debian's Python, which has scipy, scikit-learn and gensim):
  /usr/bin/python3 bench/svd/check.py --ppmi PPMI.mtx --raw RAW.txt --vectors VEC.txt \
      [--k 100] [--oversamples 10] [--iterations 7] [--eig 0.5] [--ws353 FILE] [--analogies FILE]
  /usr/bin/python3 bench/svd/check.py --ppmi PPMI.mtx --vectors VEC.txt --quality-only

PPMI.mtx  the matrix `wasm2vec svd --save-ppmi` wrote (rows = words in the vectors' order)
RAW.txt   vectors from the same run with `--eig 1 --no-normalize` (word2vec text): column norms are
          wasm2vec's singular values and the normalised columns its left singular vectors
VEC.txt   vectors with the recipe's settings (default --eig 0.5, normalised), for the quality figures

Prints: relative error of the top-k singular values against scipy.sparse.linalg.svds; principal
angles between wasm2vec's and svds' top-k left singular subspaces; WordSim-353 Spearman and
analogy accuracy (gensim's evaluators, 30 000 most frequent words) of wasm2vec's vectors and of the
same recipe computed with sklearn.utils.extmath.randomized_svd on the same matrix.
"""
import argparse
import json
import sys

import numpy as np
import scipy.io
import scipy.linalg
import scipy.sparse.linalg
from sklearn.utils.extmath import randomized_svd


def read_word2vec_text(path):
    with open(path, encoding='utf-8') as f:
        rows, dim = map(int, f.readline().split())
        words = []
        m = np.empty((rows, dim))
        for i in range(rows):
            parts = f.readline().rstrip('\n').split(' ')
            words.append(parts[0])
            m[i] = [float(x) for x in parts[1:dim + 1]]
    return words, m


def evaluate(words, m, ws353, analogies):
    from gensim.models import KeyedVectors
    kv = KeyedVectors(m.shape[1])
    kv.add_vectors(words, m.astype(np.float32))
    out = {}
    if ws353:
        pearson, spearman, oov = kv.evaluate_word_pairs(ws353, restrict_vocab=30000)
        out['ws353_spearman'] = float(spearman[0])
        out['ws353_oov_percent'] = float(oov)
    if analogies:
        score, _ = kv.evaluate_word_analogies(analogies, restrict_vocab=30000)
        out['analogy_accuracy'] = float(score)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ppmi', required=True)
    ap.add_argument('--raw', help='required unless --quality-only')
    ap.add_argument('--quality-only', action='store_true', help='skip svds (large matrices): quality of --vectors against randomized_svd only')
    ap.add_argument('--vectors')
    ap.add_argument('--k', type=int, default=100)
    ap.add_argument('--oversamples', type=int, default=10)
    ap.add_argument('--iterations', type=int, default=7)
    ap.add_argument('--eig', type=float, default=0.5)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--ws353', default='/work/shared/data/eval/wordsim353.tsv')
    ap.add_argument('--analogies', default='/work/shared/data/eval/questions-words.txt')
    args = ap.parse_args()
    k = args.k

    a = scipy.io.mmread(args.ppmi).tocsr().astype(np.float64)
    if args.quality_only:
        vwords, vec = read_word2vec_text(args.vectors)
        ru, rs, _ = randomized_svd(a, k, n_oversamples=args.oversamples, n_iter=args.iterations, random_state=args.seed)
        w = ru * rs ** args.eig
        w /= np.maximum(np.linalg.norm(w, axis=1, keepdims=True), 1e-300)
        print(json.dumps({'matrix': {'rows': a.shape[0], 'nnz': int(a.nnz)}, 'wasm2vec': evaluate(vwords, vec, args.ws353, args.analogies),
                          'sklearn_randomized_svd': evaluate(vwords, w, args.ws353, args.analogies)}, indent=2))
        return
    words, raw = read_word2vec_text(args.raw)
    if raw.shape[0] != a.shape[0]:
        sys.exit(f'{args.raw} has {raw.shape[0]} rows but {args.ppmi} {a.shape[0]}')
    ours_sigma = np.linalg.norm(raw, axis=0)
    ours_u = raw / ours_sigma

    u, s, vt = scipy.sparse.linalg.svds(a, k=k, tol=1e-10)
    order = np.argsort(-s)
    s, u = s[order], u[:, order]
    rel = np.abs(ours_sigma[:k] - s) / s
    # Principal angles between span(ours_u) and span(u): arccos of the singular values of Uᵀ·U'.
    cosines = np.clip(scipy.linalg.svdvals(u.T @ ours_u[:, :k]), 0, 1)
    angles = np.degrees(np.arccos(cosines))
    # Per-vector agreement |<u_j, u'_j>| for the leading ones (sign-free).
    per_vector = np.abs(np.sum(u * ours_u[:, :k], axis=0))
    result = {
        'matrix': {'rows': a.shape[0], 'cols': a.shape[1], 'nnz': int(a.nnz)},
        'singular_values': {
            'max_relative_error': float(rel.max()),
            'max_relative_error_top10': float(rel[:10].max()),
            'worst_index': int(rel.argmax()) + 1,
            'count_within_1e-3': int((rel <= 1e-3).sum()),
            'svds_first_last': [float(s[0]), float(s[-1])],
            'ours_first_last': [float(ours_sigma[0]), float(ours_sigma[k - 1])],
        },
        'subspace': {
            'largest_principal_angle_degrees': float(angles.max()),
            'principal_angles_over_1_degree': int((angles > 1).sum()),
            'median_principal_angle_degrees': float(np.median(angles)),
            'min_abs_cos_first_10_vectors': float(per_vector[:10].min()),
        },
    }
    if args.vectors:
        vwords, vec = read_word2vec_text(args.vectors)
        result['wasm2vec'] = evaluate(vwords, vec, args.ws353, args.analogies)
        ru, rs, _ = randomized_svd(a, k, n_oversamples=args.oversamples, n_iter=args.iterations, random_state=args.seed)
        w = ru * rs ** args.eig
        w /= np.maximum(np.linalg.norm(w, axis=1, keepdims=True), 1e-300)
        result['sklearn_randomized_svd'] = evaluate(words, w, args.ws353, args.analogies)
        rel_sk = np.abs(rs - s) / s
        result['sklearn_randomized_svd']['singular_values_max_relative_error'] = float(rel_sk.max())
    print(json.dumps(result, indent=2))


if __name__ == '__main__':
    main()
