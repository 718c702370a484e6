#!/usr/bin/python3
"""Writes the Gaussian test matrix Ω that sklearn.utils.extmath.randomized_svd draws for a seed
(np.random.RandomState(seed).normal(size=(cols, k + oversamples)), scikit-learn 1.2), as raw
little-endian f64, row-major, for bench/svd/factorise.ts --omega: wasm2vec's SVD on the same sketch.

  /usr/bin/python3 bench/svd/omega.py --cols N --width K+P --seeds 1,2,3 --out PREFIX   # PREFIX-s<seed>.f64
"""
import argparse

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cols', type=int, required=True)
    ap.add_argument('--width', type=int, default=110)
    ap.add_argument('--seeds', default='1')
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    for seed in (int(s) for s in args.seeds.split(',')):
        omega = np.random.RandomState(seed).normal(size=(args.cols, args.width))
        omega.astype('<f8').tofile(f'{args.out}-s{seed}.f64')


if __name__ == '__main__':
    main()
