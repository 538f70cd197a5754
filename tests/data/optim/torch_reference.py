#!/usr/bin/env python3
"""Regenerates torch_reference.json: three steps of torch.optim optimisers on a fixed problem,
the independent reference for nmfbench's optimiser tests.

Problem: parameters p1 (2x2) and p2 (1x3); loss = sum a (p - t)^2 + sum b p^4 over both.
    /usr/bin/python3 torch_reference.py > torch_reference.json      (python3-torch)
"""
import json
import sys

import torch

torch.set_default_dtype(torch.float64)
INIT = {"p1": [[0.5, -1.0], [1.5, 2.0]], "p2": [[0.1, -0.2, 0.3]]}
A = {"p1": [[1.0, 2.0], [0.5, 3.0]], "p2": [[2.0, 1.0, 4.0]]}
T = {"p1": [[1.0, 0.0], [-1.0, 0.5]], "p2": [[0.0, 0.5, -0.5]]}
B = {"p1": [[0.1, 0.0], [0.2, 0.05]], "p2": [[0.3, 0.0, 0.1]]}

CASES = {
    "adam": (lambda ps: torch.optim.Adam(ps, lr=0.1), None),
    "adam_weight_decay": (lambda ps: torch.optim.Adam(ps, lr=0.05, weight_decay=0.1), None),
    "adam_clipped": (lambda ps: torch.optim.Adam(ps, lr=0.1), 1.0),
    "rprop": (lambda ps: torch.optim.Rprop(ps, lr=0.05), None),
    "sgd_momentum": (lambda ps: torch.optim.SGD(ps, lr=0.02, momentum=0.9), None),
    "sgd_nesterov": (lambda ps: torch.optim.SGD(ps, lr=0.02, momentum=0.9, nesterov=True), None),
    "sgd_dampening": (lambda ps: torch.optim.SGD(ps, lr=0.02, momentum=0.5, dampening=0.3, weight_decay=0.01), None),
}


def run(make, clip):
    params = {k: torch.tensor(v, requires_grad=True) for k, v in INIT.items()}
    opt = make(list(params.values()))
    steps, norms = [], []
    for _ in range(3):
        opt.zero_grad()
        loss = sum((torch.tensor(A[k]) * (p - torch.tensor(T[k])) ** 2).sum()
                   + (torch.tensor(B[k]) * p ** 4).sum() for k, p in params.items())
        loss.backward()
        if clip is not None:
            norms.append(float(torch.nn.utils.clip_grad_norm_(list(params.values()), clip)))
        opt.step()
        steps.append({k: p.detach().tolist() for k, p in params.items()})
    return {"clip": clip, "norms": norms, "steps": steps}


json.dump({"torch": torch.__version__, "init": INIT, "a": A, "t": T, "b": B,
           "cases": {name: run(*c) for name, c in CASES.items()}}, sys.stdout, indent=1)
print()
