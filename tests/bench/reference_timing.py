#!/usr/bin/env python3
"""Times the Python references that nmfbench's core benchmarks are compared with, at the same
settings as tests/bench/core_benchmark.cpp, on one thread:

  stft_roundtrip/8000   scipy.signal.stft + istft, 10 s at 8 kHz, Hamming 1024/256
  stft_roundtrip/16000  scipy.signal.stft + istft, 10 s at 16 kHz, sqrt-Hann 512/128
  bss_eval/perm         mir_eval.separation.bss_eval_sources on the 10 s two-source case
  bss_eval/fixed        the same with compute_permutation=False

Run with Debian's interpreter and one BLAS thread:
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 tests/bench/reference_timing.py
"""
import json
import timeit
from pathlib import Path

import numpy as np
import scipy.signal
import soundfile as sf
import mir_eval

DATA = Path(__file__).resolve().parent.parent / "data" / "metrics"


def best_of(fn, repeat=7):
    number = max(1, int(0.2 / max(timeit.timeit(fn, number=1), 1e-6)))
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def stft_roundtrip(rate, window, nperseg, hop):
    x = np.random.default_rng(0).standard_normal(10 * rate)

    def run():
        _, _, spec = scipy.signal.stft(x, fs=rate, window=window, nperseg=nperseg,
                                       noverlap=nperseg - hop)
        scipy.signal.istft(spec, fs=rate, window=window, nperseg=nperseg, noverlap=nperseg - hop)
    return best_of(run)


def bss_eval(permutation):
    name = "c4_two_source_16k_10s"
    refs = np.stack([sf.read(DATA / f"{name}_ref{i}.wav")[0] for i in range(2)])
    ests = np.stack([sf.read(DATA / f"{name}_est{i}.wav")[0] for i in range(2)])
    return best_of(lambda: mir_eval.separation.bss_eval_sources(
        refs, ests, compute_permutation=permutation), repeat=3)


def main():
    sqrt_hann = np.sqrt(scipy.signal.get_window("hann", 512))
    results = {
        "stft_roundtrip/8000_us": stft_roundtrip(8000, "hamming", 1024, 256) * 1e6,
        "stft_roundtrip/16000_us": stft_roundtrip(16000, sqrt_hann, 512, 128) * 1e6,
        "bss_eval/perm_ms": bss_eval(True) * 1e3,
        "bss_eval/fixed_ms": bss_eval(False) * 1e3,
    }
    print(json.dumps({k: round(v, 1) for k, v in results.items()}, indent=1))


if __name__ == "__main__":
    main()
