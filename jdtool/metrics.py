"""Evaluation measures: span matching per LABELS.md section 2, classification and calibration."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

_TOKEN = re.compile(r"\w+", re.UNICODE)
_TRAIL = " \t\n\r.;,:"


def normalise_phrase(text: str) -> str:
    """Phrase text for exact matching: white space collapsed, trailing punctuation trimmed."""
    return re.sub(r"\s+", " ", text).strip(_TRAIL)


def _tokens(text: str) -> frozenset[str]:
    return frozenset(t.lower() for t in _TOKEN.findall(text))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Token-set Jaccard similarity."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def match_phrases(
    pred: Sequence[str], gold: Sequence[str], threshold: float = 0.5
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Pair predicted and gold phrases; return (exact pairs, overlap pairs) as index pairs.

    Exact: same text after normalisation. Overlap: token Jaccard >= threshold; each gold and each
    predicted phrase is used at most once, best pairs first.
    """
    exact: list[tuple[int, int]] = []
    used_g: set[int] = set()
    gold_norm: dict[str, list[int]] = {}
    for j, g in enumerate(gold):
        gold_norm.setdefault(normalise_phrase(g), []).append(j)
    for i, p in enumerate(pred):
        cands = [j for j in gold_norm.get(normalise_phrase(p), []) if j not in used_g]
        if cands:
            exact.append((i, cands[0]))
            used_g.add(cands[0])
    pt = [_tokens(p) for p in pred]
    gt = [_tokens(g) for g in gold]
    pairs = []
    for i, a in enumerate(pt):
        for j, b in enumerate(gt):
            if a & b:
                s = jaccard(a, b)
                if s >= threshold:
                    pairs.append((s, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    overlap: list[tuple[int, int]] = []
    ui: set[int] = set()
    uj: set[int] = set()
    for _s, i, j in pairs:
        if i not in ui and j not in uj:
            overlap.append((i, j))
            ui.add(i)
            uj.add(j)
    return exact, overlap


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 from counts."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def classification_report(
    y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]
) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class P/R/F1/support and the confusion matrix."""
    idx = {lab: i for i, lab in enumerate(labels)}
    m = np.zeros((len(labels), len(labels)), dtype=int)
    for t, p in zip(y_true, y_pred):
        if t in idx and p in idx:
            m[idx[t], idx[p]] += 1
    per_class = {}
    f1s = []
    for lab, i in idx.items():
        tp = int(m[i, i])
        scores = prf(tp, int(m[:, i].sum()), int(m[i, :].sum()))
        scores["support"] = int(m[i, :].sum())
        per_class[lab] = scores
        f1s.append(scores["f1"])
    n = int(m.sum())
    return {
        "n": n,
        "accuracy": round(float(np.trace(m)) / n, 4) if n else 0.0,
        "macro_f1": round(float(np.mean(f1s)), 4) if f1s else 0.0,
        "per_class": per_class,
        "confusion": {"labels": list(labels), "matrix": m.tolist()},
    }


def calibration(
    confidences: Sequence[float], correct: Sequence[bool], n_bins: int = 10
) -> dict[str, Any]:
    """Expected calibration error of the top-class confidence, with the reliability table."""
    conf = np.asarray(confidences, dtype=float)
    ok = np.asarray(correct, dtype=float)
    bins = []
    ece = 0.0
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    for k in range(n_bins):
        lo, hi = edges[k], edges[k + 1]
        mask = (conf > lo) & (conf <= hi) if k else (conf >= lo) & (conf <= hi)
        cnt = int(mask.sum())
        if cnt:
            acc = float(ok[mask].mean())
            avg = float(conf[mask].mean())
            ece += cnt / len(conf) * abs(acc - avg)
            bins.append(
                {
                    "lower": round(lo, 2),
                    "upper": round(hi, 2),
                    "count": cnt,
                    "accuracy": round(acc, 4),
                    "confidence": round(avg, 4),
                }
            )
    return {
        "ece": round(ece, 4),
        "n_bins": n_bins,
        "bins": bins,
        "review": review_table(conf, ok),
    }


def review_table(
    conf: np.ndarray, ok: np.ndarray, thresholds: Sequence[float] = (0.5, 0.6, 0.7, 0.8, 0.9)
) -> list[dict[str, float]]:
    """What `--min-confidence T` would do: the share of postings still answered (confidence
    >= T; the rest go to review) and the accuracy among them."""
    rows = []
    for t in thresholds:
        kept = conf >= t
        rows.append(
            {
                "min_confidence": t,
                "answered": round(float(kept.mean()), 4) if len(conf) else 0.0,
                "accuracy": round(float(ok[kept].mean()), 4) if kept.any() else 0.0,
            }
        )
    return rows
