"""Evaluation of a model on a labelled corpus: classification and extraction reports."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from .corpus import LABELS
from .errors import CorpusError
from .inputs import Posting
from .metrics import calibration, classification_report, match_phrases, prf


def classification_metrics(
    y_true: Sequence[str],
    y_pred: Sequence[str],
    confidences: Sequence[float],
    langs: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The classify report: accuracy, macro-F1, per class, confusion, calibration, per language."""
    rep = classification_report(y_true, y_pred, LABELS)
    rep["calibration"] = calibration(confidences, [t == p for t, p in zip(y_true, y_pred)])
    if langs is not None:
        by: dict[str, list[int]] = defaultdict(list)
        for i, lang in enumerate(langs):
            by[lang].append(i)
        rep["per_language"] = {
            lang: {
                k: v
                for k, v in classification_report(
                    [y_true[i] for i in idx], [y_pred[i] for i in idx], LABELS
                ).items()
                if k in ("n", "accuracy", "macro_f1")
            }
            for lang, idx in sorted(by.items())
        }
    return rep


def evaluate_classify(
    model: Any, postings: Sequence[Posting], *, lang: str = "auto", blank_titles: bool = False
) -> dict[str, Any]:
    """Classify labelled postings and report against their gold labels."""
    if any(p.label is None for p in postings):
        raise CorpusError("every posting needs a 'label' to evaluate classification")
    if blank_titles:
        postings = [_without_title(p) for p in postings]
    results = list(model.classify_many(postings, lang=lang, evidence=0))
    rep = classification_metrics(
        [p.label or "" for p in postings],
        [r.label for r in results],
        [r.confidence for r in results],
        [r.lang for r in results],
    )
    return {"task": "classify", **rep}


def _without_title(p: Posting) -> Posting:
    text = p.text
    if p.title:
        text = text.replace(p.title, " ")
    return Posting(
        id=p.id, text=text, title="", lang=p.lang, label=p.label, spans=p.spans, extra=p.extra
    )


def evaluate_extract(
    model: Any, postings: Sequence[Posting], *, lang: str = "auto"
) -> dict[str, Any]:
    """Compare extracted phrases with gold spans (LABELS.md section 2), overall and per language."""
    gold_docs = [p for p in postings if p.spans is not None]
    if not gold_docs:
        raise CorpusError("no posting carries 'spans'; extraction needs span-annotated postings")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for p, a in zip(gold_docs, model.extractor.analyze_many(gold_docs, lang=lang)):
        pred = [ph.text for ph in a.phrases]
        gold = [str(s.get("text") or p.text[s["start"] : s["end"]]) for s in p.spans or []]
        exact, overlap = match_phrases(pred, gold)
        area_ok = sum(a.phrases[i].area == (p.spans or [])[j].get("area") for i, j in overlap)
        for key in ("all", a.lang):
            c = counts[key]
            c[0] += len(exact)
            c[1] += len(overlap)
            c[2] += len(pred)
            c[3] += len(gold)
            c[4] += area_ok
            c[5] += 1

    def block(c: list[int]) -> dict[str, Any]:
        return {
            "n_docs": c[5],
            "exact": prf(c[0], c[2], c[3]),
            "overlap": prf(c[1], c[2], c[3]),
            "area_accuracy": round(c[4] / c[1], 4) if c[1] else 0.0,
            "n_pred": c[2],
            "n_gold": c[3],
        }

    allc = block(counts["all"])
    return {
        "task": "extract",
        **allc,
        "per_language": {k: block(v) for k, v in sorted(counts.items()) if k != "all"},
    }
