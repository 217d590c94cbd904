"""Baselines reported beside the model by `jdtool evaluate --baselines`.

- title_rule: what a title-reader does: keywords in the title (or the first line) decide.
- tfidf_lr: a plain bag-of-words logistic regression on the raw text, trained by `jdtool train`
  on the same corpus as the model and stored in the model folder as `baseline.skops`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .inputs import Posting

BASELINE_FILE = "baseline.skops"

_CRO = re.compile(
    r"\b(chief revenue|cro\b|revenue|umsatz|chief commercial|cco\b|go-to-market|gtm)", re.I
)
_CSO = re.compile(
    r"\b(sales|vertrieb\w*|verkauf\w*|cso\b|chief sales|business development|"
    r"key account|account executive)",
    re.I,
)


def title_of(p: Posting) -> str:
    """The title field, else the first non-empty line of the text."""
    if p.title.strip():
        return p.title
    for line in p.text.splitlines():
        if line.strip():
            return line.strip("#*_ \t")
    return ""


def title_rule(p: Posting) -> str:
    """Label a posting by its title alone."""
    t = title_of(p)
    if _CRO.search(t):
        return "cro"
    if _CSO.search(t):
        return "cso"
    return "other"


def build_text_baseline(seed: int = 0) -> Any:
    """TF-IDF (hashed words and bigrams of the raw text) + logistic regression."""
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline(
        [
            (
                "hash",
                HashingVectorizer(
                    ngram_range=(1, 2), n_features=2**16, alternate_sign=False, norm=None
                ),
            ),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
            ("clf", LogisticRegression(max_iter=5000, class_weight="balanced", random_state=seed)),
        ]
    )


def baseline_reports(postings: Sequence[Posting], model: Any) -> dict[str, Any]:
    """Macro-F1 and accuracy of the baselines on labelled postings."""
    from .evaluate import classification_metrics

    gold = [p.label or "" for p in postings]
    out: dict[str, Any] = {}
    rule = [title_rule(p) for p in postings]
    rep = classification_metrics(gold, rule, [1.0] * len(rule))
    out["title_rule"] = {k: rep[k] for k in ("accuracy", "macro_f1", "per_class")}
    text_model = model.baseline() if hasattr(model, "baseline") else None
    if text_model is not None:
        pred = [str(x) for x in text_model.predict([p.text for p in postings])]
        conf = text_model.predict_proba([p.text for p in postings]).max(axis=1)
        rep = classification_metrics(gold, pred, list(conf))
        out["tfidf_lr"] = {k: rep[k] for k in ("accuracy", "macro_f1", "per_class")}
        out["tfidf_lr"]["ece"] = rep["calibration"]["ece"]
    return out
