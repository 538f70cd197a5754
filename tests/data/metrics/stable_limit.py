#!/usr/bin/env python3
"""Regenerates stable_limit.json: BSS Eval v3 values (512-tap filters) whose projections are
computed by a truncated eigendecomposition of the Gram matrix instead of mir_eval's plain
solve. Where a reference has (almost) no energy in some band, the Gram matrix is numerically
singular and mir_eval returns rounding noise that changes with the BLAS kernel; e.g. for
c4_two_source_16k_10s source 1, OPENBLAS_CORETYPE=SkylakeX gives SDR 13.37 dB, Haswell 5.33 dB,
netlib 8.95 dB. Dropping eigenvalues below rcond * max gives values that do not move when
rcond changes by orders of magnitude; that limit is what nmfbench's tests expect there.

    /usr/bin/python3 stable_limit.py > stable_limit.json     (numpy, scipy, soundfile)
"""
import itertools
import json
import sys
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.linalg import toeplitz

FLEN = 512
RCONDS = (1e-13, 1e-12, 1e-11)


def correlations(a_spec, b_spec, nfft):
    return np.fft.irfft(a_spec * np.conj(b_spec), nfft)


def block(c):
    return toeplitz(np.hstack((c[0], c[-1:-FLEN:-1])), r=c[:FLEN])


def projected_energy(gram, d, rcond):
    w, v = np.linalg.eigh(gram)
    keep = w > rcond * w.max()
    z = v.T @ d
    return float(np.sum(z[keep] ** 2 / w[keep]))


def evaluate(refs, ests, rcond):
    nsrc, n = refs.shape
    nfft = int(2 ** np.ceil(np.log2(n + FLEN - 1)))
    spec = np.fft.rfft(refs, nfft)
    gram = np.zeros((nsrc * FLEN, nsrc * FLEN))
    for i in range(nsrc):
        for j in range(nsrc):
            gram[i * FLEN:(i + 1) * FLEN, j * FLEN:(j + 1) * FLEN] = block(
                correlations(spec[i], spec[j], nfft))
    sdr, sir, sar = (np.zeros((nsrc, nsrc)) for _ in range(3))
    for e in range(nsrc):
        est_spec = np.fft.rfft(ests[e], nfft)
        d = np.hstack([np.hstack((c[0], c[-1:-FLEN:-1]))
                       for c in (correlations(spec[i], est_spec, nfft) for i in range(nsrc))])
        energy = float(np.sum(ests[e] ** 2))
        p_all = projected_energy(gram, d, rcond)
        for j in range(nsrc):
            sl = slice(j * FLEN, (j + 1) * FLEN)
            p_j = projected_energy(gram[sl, sl], d[sl], rcond)
            sdr[e, j] = 10 * np.log10(p_j / (energy - p_j))
            sir[e, j] = 10 * np.log10(p_j / (p_all - p_j))
            sar[e, j] = 10 * np.log10(p_all / (energy - p_all))
    perms = list(itertools.permutations(range(nsrc)))
    best = perms[int(np.argmax([np.mean(sir[list(p), range(nsrc)]) for p in perms]))]
    idx = (list(best), list(range(nsrc)))
    return {"sdr": sdr[idx].tolist(), "sir": sir[idx].tolist(), "sar": sar[idx].tolist(),
            "perm": list(best)}


def main():
    here = Path(__file__).parent
    name = "c4_two_source_16k_10s"
    refs = np.stack([sf.read(here / f"{name}_ref{i}.wav")[0] for i in range(2)])
    ests = np.stack([sf.read(here / f"{name}_est{i}.wav")[0] for i in range(2)])
    runs = {str(r): evaluate(refs, ests, r) for r in RCONDS}
    json.dump({"description": "BSS Eval v3 in its stable limit; see stable_limit.py",
               "filter_length": FLEN,
               "cases": {name: {"by_rcond": runs}}}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
