"""The remit classifier: a scikit-learn Pipeline over remit documents, plus explanations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler

from .features import FUNCTIONS, RemitFeatures, compose, full_text, phrase_text, rules

LABELS = ("cro", "cso", "other")


def _hashed_tfidf(preprocessor: Any, ngrams: tuple[int, int]) -> Pipeline:
    # Hashing keeps the model file small and fast to load: no vocabulary to store.
    return Pipeline(
        [
            (
                "hash",
                HashingVectorizer(
                    preprocessor=preprocessor,
                    ngram_range=ngrams,
                    n_features=2**16,
                    alternate_sign=False,
                    norm=None,
                ),
            ),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ]
    )


def build_classifier(
    *,
    C: float = 2.0,
    text_weight: float = 0.5,
    seed: int = 0,
    phrase_weight: float = 1.0,
    fulltext_weight: float = 0.6,
    remit_weight: float = 0.35,
) -> Pipeline:
    """The untrained classifier: remit signals + phrase and text TF-IDF, logistic regression."""
    features = FeatureUnion(
        [
            (
                "remit",
                Pipeline(
                    [
                        ("signals", RemitFeatures(text_weight=text_weight)),
                        ("scale", StandardScaler()),
                    ]
                ),
            ),
            ("phrases", _hashed_tfidf(phrase_text, (1, 2))),
            ("text", _hashed_tfidf(full_text, (1, 1))),
        ],
        transformer_weights={
            "remit": remit_weight,
            "phrases": phrase_weight,
            "text": fulltext_weight,
        },
    )
    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("clf", clf)])


def explain(
    estimator: Pipeline,
    phrases: Sequence[Sequence[tuple[str, str]]],
    labels: Sequence[str],
    top: int = 5,
) -> list[list[dict[str, Any]]]:
    """Per posting, the duty phrases that pushed the model towards its label, strongest first.

    A phrase's weight is how much the phrase alone moves the predicted class's logit above the
    mean of the other classes, compared with an empty posting (linear model, so it is exact for
    the phrase's own features).
    """
    clf = estimator.named_steps["clf"]
    feats = estimator.named_steps["features"]
    classes = list(clf.classes_)
    flat: list[str] = [compose([], "")]
    owner: list[tuple[int, str, str]] = []
    for i, ph in enumerate(phrases):
        for text, area in ph:
            flat.append(compose([(text, area)], ""))
            owner.append((i, text, area))
    X = feats.transform(flat)
    coef = np.asarray(clf.coef_)
    if coef.shape[0] == 1:  # pragma: no cover - binary fit, not used with three labels
        coef = np.vstack([-coef[0], coef[0]])
    k = coef.shape[0]
    # one contrast vector per class: its weights minus the mean of the other classes' weights
    contrast = np.vstack(
        [coef[c] - (coef.sum(axis=0) - coef[c]) / max(k - 1, 1) for c in range(k)]
    ).T
    scores = np.asarray(X @ contrast)
    scores = scores[1:] - scores[0]
    out: list[list[dict[str, Any]]] = [[] for _ in phrases]
    index = {c: j for j, c in enumerate(classes)}
    for row, (i, text, area) in enumerate(owner):
        score = float(scores[row, index[labels[i]]])
        if score > 0:
            out[i].append({"text": text, "area": area, "weight": round(score, 4)})
    for ev in out:
        ev.sort(key=lambda e: -e["weight"])
        del ev[top:]
    return out


_FN_NAMES = {
    "sales": "sales",
    "marketing": "marketing",
    "customer_success": "customer success",
    "revops": "revenue operations",
    "revenue_all": "the whole revenue number",
}


def reason(label: str, phrases: Sequence[tuple[str, str]], text: str) -> str:
    """A one-line, human-readable reason for a label, from the remit signals."""
    from .features import _units, scan

    low, starts = _units([p.lower() for p, _ in phrases]) if phrases else (text.lower(), [0])
    units, cues = scan(low, starts)
    owned = [fn for u in units for fn, rel in u.items() if rel == "own"]
    partnered = [fn for u in units for fn, rel in u.items() if rel == "partner"]
    r = rules()
    ic = bool(cues["individual_contributor"]) or bool(r.ic.search(text.lower()))
    team = bool(cues["team_leadership"]) and bool(phrases)
    own = [f for f in FUNCTIONS if f in owned]
    partner = [f for f in FUNCTIONS if f in partnered and f not in owned]
    if label == "cro":
        extra = [f for f in own if f != "sales"]
        if extra:
            return "owns " + " and ".join(
                _FN_NAMES[f] for f in (["sales"] + extra if "sales" in own else extra)
            )
        return "owns revenue beyond new-business sales"
    if label == "cso":
        msg = "leads the sales function" if team or "sales" in own else "owns sales results"
        if partner:
            msg += "; only partners with " + " and ".join(_FN_NAMES[f] for f in partner)
        return msg
    if ic:
        return "individual contributor: sells without leading a team"
    if r.non_sales.search(text.lower()):
        return "not a sales role (security, clinical, finance, hotel or billing remit)"
    if not phrases:
        return "no duties found to judge"
    return "no leadership of sales or revenue found"
