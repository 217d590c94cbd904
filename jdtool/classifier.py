"""The remit classifier (LABELS.md rules averaged with a learned model), plus explanations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from .features import (
    FUNCTIONS,
    RULE_LABELS,
    RemitFeatures,
    compose,
    full_text,
    phrase_text,
)

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


class RemitClassifier(ClassifierMixin, BaseEstimator):
    """The remit classifier: LABELS.md's decision rules averaged with a learned model.

    Two experts read the same remit documents (see `features.compose`):

    * the rules: `features.decide` applies LABELS.md section 1 (leads people who sell? owns
      marketing, customer success / retention or the whole revenue number?) to the remit
      signals; a logistic regression on its one-hot verdict turns it into probabilities,
      i.e. learns from the training corpus how often each verdict is right;
    * a learned model: logistic regression over the scaled remit signals (the verdict among
      them), hashed TF-IDF of the duty phrases and of the whole text.

    `predict_proba` is `rule_weight * rules + (1 - rule_weight) * learned`. The default, 0.5, is
    a plain equal-weight average, not tuned: cross-validation on a written corpus favours the
    learned model (it shares the writers' vocabulary), while the rules carry the gold
    standard's definitions to postings written by anyone else. `rule_weight=0` gives the
    learned model alone, `1` the rules alone.
    """

    def __init__(
        self,
        *,
        rule_weight: float = 0.5,
        C: float = 2.0,
        text_weight: float = 0.5,
        phrase_weight: float = 1.0,
        fulltext_weight: float = 0.6,
        remit_weight: float = 0.35,
        seed: int = 0,
    ) -> None:
        self.rule_weight = rule_weight
        self.C = C
        self.text_weight = text_weight
        self.phrase_weight = phrase_weight
        self.fulltext_weight = fulltext_weight
        self.remit_weight = remit_weight
        self.seed = seed

    def fit(self, X: Sequence[str], y: Any) -> RemitClassifier:
        """Fit both experts on remit documents `X` and labels `y`."""
        if not 0.0 <= self.rule_weight <= 1.0:
            raise ValueError(f"rule_weight must be between 0 and 1, got {self.rule_weight}")
        docs = RemitFeatures._validate(X)
        labels = np.asarray(y)
        self.signals_ = RemitFeatures(text_weight=self.text_weight).fit(docs)
        F = self.signals_.transform(docs)
        self.scaler_ = StandardScaler().fit(F)
        self.text_features_ = FeatureUnion(
            [
                ("phrases", _hashed_tfidf(phrase_text, (1, 2))),
                ("text", _hashed_tfidf(full_text, (1, 1))),
            ],
            transformer_weights={"phrases": self.phrase_weight, "text": self.fulltext_weight},
        ).fit(docs)
        self.clf_ = LogisticRegression(
            C=self.C, max_iter=5000, class_weight="balanced", random_state=self.seed
        ).fit(self._learned_features(docs, F), labels)
        self.rules_clf_ = LogisticRegression(
            C=1.0, max_iter=5000, class_weight="balanced", random_state=self.seed
        ).fit(self._verdicts(F), labels)
        self.classes_ = self.clf_.classes_
        if list(self.rules_clf_.classes_) != list(self.classes_):  # pragma: no cover
            raise ValueError("both experts must see the same classes")
        self.n_features_in_ = 1
        return self

    # -- features ----------------------------------------------------------------------------
    def _verdicts(self, F: np.ndarray) -> np.ndarray:
        return F[:, self.signals_.rule_columns_]

    def _learned_features(self, docs: Sequence[str], F: np.ndarray | None = None) -> Any:
        from scipy import sparse

        if F is None:
            F = self.signals_.transform(docs)
        dense = sparse.csr_matrix(self.scaler_.transform(F) * self.remit_weight)
        return sparse.hstack([dense, self.text_features_.transform(docs)], format="csr")

    # -- prediction ---------------------------------------------------------------------------
    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Class probabilities, columns in `classes_` order."""
        check_is_fitted(self, "clf_")
        docs = RemitFeatures._validate(X)
        if not docs:
            return np.zeros((0, len(self.classes_)))
        F = self.signals_.transform(docs)
        learned = self.clf_.predict_proba(self._learned_features(docs, F))
        rules_ = self.rules_clf_.predict_proba(self._verdicts(F))
        w = self.rule_weight
        return np.asarray(w * rules_ + (1.0 - w) * learned)

    def predict(self, X: Sequence[str]) -> np.ndarray:
        """The most probable class of each remit document."""
        return np.asarray(self.classes_[self.predict_proba(X).argmax(axis=1)])

    def verdicts(self, X: Sequence[str]) -> list[str]:
        """The rules' verdict (LABELS.md section 1) for each remit document."""
        check_is_fitted(self, "signals_")
        V = self._verdicts(self.signals_.transform(RemitFeatures._validate(X)))
        return [RULE_LABELS[int(i)] for i in V.argmax(axis=1)]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


def build_classifier(**params: Any) -> RemitClassifier:
    """The untrained remit classifier (see `RemitClassifier` for the parameters)."""
    return RemitClassifier(**params)


def explain(
    estimator: RemitClassifier,
    phrases: Sequence[Sequence[tuple[str, str]]],
    labels: Sequence[str],
    top: int = 5,
) -> list[list[dict[str, Any]]]:
    """Per posting, the duty phrases behind its label, strongest first.

    First the phrases carrying a signal of LABELS.md's rules that supports the label (with
    `signal`, e.g. "leads people who sell", "owns customer success / retention"), then the
    phrases that move the learned model towards the label. `weight` is how much the phrase
    alone moves the label's logit above the mean of the other classes in the learned model,
    compared with an empty posting (exact for the phrase's own features: the model is linear).
    """
    clf = estimator.clf_
    classes = list(estimator.classes_)
    flat = [compose([], "")] + [compose([(text, area)], "") for ph in phrases for text, area in ph]
    X = estimator._learned_features(flat)
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
    row = 0
    for i, ph in enumerate(phrases):
        signals = rule_signals([p for p, _ in ph], labels[i])
        ev = []
        for j, (text, area) in enumerate(ph):
            score = float(scores[row + j, index[labels[i]]])
            e: dict[str, Any] = {"text": text, "area": area, "weight": round(score, 4)}
            if j in signals:
                e["signal"] = signals[j]
                ev.append(e)
            elif score > 0:
                ev.append(e)
        row += len(ph)
        ev.sort(key=lambda e: ("signal" not in e, -e["weight"]))
        out[i] = ev[:top]
    return out


_SIGNAL_TEXT = {
    "sales_team_leadership": "leads people who sell",
    "sales_function_owner": "owns the sales function",
    "own:marketing": "owns marketing",
    "own:customer_success": "owns customer success / retention",
    "own:revenue_all": "owns the whole revenue number",
    "retention_owner": "accountable for retention / renewals",
    "combined_role": "role spans sales and another revenue function",
    "individual_contributor": "individual contributor",
    "partner:marketing": "only partners with marketing",
    "partner:customer_success": "only partners with customer success",
}
_LABEL_SIGNALS = {
    "cro": (
        "own:marketing",
        "own:customer_success",
        "own:revenue_all",
        "retention_owner",
        "combined_role",
        "sales_team_leadership",
        "sales_function_owner",
    ),
    "cso": (
        "sales_team_leadership",
        "sales_function_owner",
        "partner:marketing",
        "partner:customer_success",
    ),
    "other": ("individual_contributor",),
}


def rule_signals(phrases: Sequence[str], label: str) -> dict[int, str]:
    """Index of each duty phrase carrying a rule signal that supports `label` -> its wording."""
    from .features import _units, scan

    if not phrases:
        return {}
    low, starts = _units([p.lower() for p in phrases])
    units, cues = scan(low, starts)
    found: dict[int, str] = {}
    for key in _LABEL_SIGNALS.get(label, ()):
        if ":" in key:
            rel, fn = key.split(":")
            idx = {i for i, u in enumerate(units) if u.get(fn) == rel}
        else:
            idx = cues.get(key, set())
        for i in sorted(idx):
            found.setdefault(i, _SIGNAL_TEXT[key])
    return found


_FN_NAMES = {
    "sales": "sales",
    "marketing": "marketing",
    "customer_success": "customer success",
    "revops": "revenue operations",
    "revenue_all": "the whole revenue number",
}


def reason(label: str, doc: str) -> str:
    """A one-line, human-readable reason for `label`, from the remit signals of a remit document.

    Uses the same signals as LABELS.md's rules (`features.decide`), so it says which rule applies:
    what the role owns (cro), that it leads sellers and only partners with the rest (cso), or why
    it leads no sellers (other).
    """
    from .features import remit_signals

    f = remit_signals(doc)

    def has(key: str) -> bool:
        if key.startswith("phrase:") and not f.get("n_phrases"):
            key = "text:" + key[7:]
        return f.get(key, 0.0) > 0

    owned = [fn for fn in FUNCTIONS if has(f"phrase:own:{fn}")]
    partnered = [fn for fn in FUNCTIONS if fn != "sales" and has(f"phrase:partner:{fn}")]
    if label == "cro":
        extra = [fn for fn in owned if fn not in ("sales", "revops")]
        parts = [_FN_NAMES[fn] for fn in extra]
        if has("phrase:retention_owner") and "customer_success" not in extra:
            parts.append("retention / renewal results")
        if parts:
            return "owns " + " and ".join((["sales"] if "sales" in owned else []) + parts)
        if has("phrase:combined_role") or f.get("role_combined"):
            return "the role spans sales and another revenue function"
        return "owns revenue beyond new-business sales"
    if label == "cso":
        if has("phrase:sales_team_leadership"):
            msg = "leads people who sell"
        elif has("phrase:sales_function_owner"):
            msg = "owns the sales function"
        else:
            msg = "leads the sales function"
        partner = [fn for fn in partnered if fn not in owned]
        if partner:
            msg += "; only partners with " + " and ".join(_FN_NAMES[fn] for fn in partner)
        return msg
    if f.get("support_role"):
        return "a role that supports sellers (enablement, operations) and leads none"
    if f.get("marketing_role"):
        return "a marketing role that leads no sellers"
    if (
        f.get("ic_role")
        or has("phrase:individual_contributor")
        or has("text:individual_contributor")
    ):
        return "individual contributor: sells without leading a team"
    if not f.get("sales_posting") and f.get("n_phrases"):
        if has("phrase:non_sales_exec") or has("text:non_sales_exec"):
            return "not a sales role (security, clinical, finance, hotel or billing remit)"
        return "not a sales or revenue role"
    if not f.get("n_phrases"):
        return "no duties found to judge"
    return "no leadership of people who sell found"
