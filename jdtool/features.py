"""Features for the remit classifier, as scikit-learn transformers.

The classifier does not see raw postings but *remit documents*: the posting's duty phrases with
their remit areas (from the spaCy extractor), followed by the plain text. `compose()` builds one;
`RemitFeatures` turns them into counts of (function, relation) signals, area shares and
individual-contributor cues; the phrase text also feeds a TF-IDF bag of words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .pipeline.responsibilities import AREAS

PATTERNS_FILE = Path(__file__).with_name("remit_patterns.yaml")
TEXT_MARK = "\x1eTEXT\t"
TITLE_MARK = "\x1eTITLE\t"
_SENT = re.compile(r"(?<=[.!?;])\s+|\n+")


def compose(phrases: Iterable[tuple[str, str]], text: str, title: str = "") -> str:
    """A remit document: one `area<TAB>phrase` line per duty phrase, then the title and text."""
    lines = [f"{area}\t{' '.join(phrase.split())}" for phrase, area in phrases]
    return (
        "\n".join(lines)
        + f"\n{TITLE_MARK}{' '.join(title.split())}\n{TEXT_MARK}"
        + " ".join(text.split())
    )


def split_document(doc: str) -> tuple[list[tuple[str, str]], str, str]:
    """Inverse of `compose`: ([(area, phrase)], title, text)."""
    head, _, text = doc.partition(TEXT_MARK)
    head, _, title = head.partition(TITLE_MARK)
    phrases = []
    for line in head.splitlines():
        area, sep, phrase = line.partition("\t")
        if sep:
            phrases.append((area, phrase))
    return phrases, title.strip(), text


def phrase_text(doc: str) -> str:
    """The phrases of a remit document as one string (for the bag of words)."""
    phrases, _, _ = split_document(doc)
    return "\n".join(p for _, p in phrases).lower()


def full_text(doc: str) -> str:
    """The plain text of a remit document."""
    return split_document(doc)[2].lower()


def _load_patterns() -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with PATTERNS_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.load(fh, Loader=loader)  # noqa: S506 - safe loader
    return data


class _Rules:
    """Compiled remit patterns, shared by every RemitFeatures instance."""

    def __init__(self, data: dict[str, Any]) -> None:
        f = re.IGNORECASE | re.UNICODE
        self.functions = {k: re.compile(v, f) for k, v in data["functions"].items()}
        self.own = re.compile(data["relations"]["own"], f)
        self.partner = re.compile(data["relations"]["partner"], f)
        self.own_after = re.compile(data["relations"]["own_after"], f)
        self.partner_after = re.compile(data["relations"]["partner_after"], f)
        self.ic = re.compile(data["individual_contributor"], f)
        self.team = re.compile(data["team_leadership"], f)
        self.non_sales = re.compile(data["non_sales_exec"], f)


_RULES: _Rules | None = None


def rules() -> _Rules:
    """The compiled remit patterns (loaded once per process)."""
    global _RULES
    if _RULES is None:
        _RULES = _Rules(_load_patterns())
    return _RULES


FUNCTIONS = ("sales", "marketing", "customer_success", "revops", "revenue_all")


def signals(sentence: str) -> dict[str, str]:
    """For one sentence or phrase: each revenue function named, mapped to `own` or `partner`.

    An explicit statement right after the function wins ("Marketing reports to you" is `own`,
    "Marketing is led by your peer" is `partner`); otherwise the nearest ownership or partnership
    cue in front of it decides ("partner with Marketing" is `partner`, "lead Sales and Marketing"
    is `own`). A function with no cue within reach gives no signal.
    """
    r = rules()
    out: dict[str, str] = {}
    owns = [m.end() for m in r.own.finditer(sentence)]
    partners = [m.end() for m in r.partner.finditer(sentence)]
    for name, rx in r.functions.items():
        for m in rx.finditer(sentence):
            pos, end = m.start(), m.end()
            after = sentence[end : end + 120]
            if r.own_after.match(after):
                rel = "own"
            elif r.partner_after.match(after):
                rel = "partner"
            else:
                o = max((p for p in owns if pos - 100 <= p <= pos), default=-1)
                p = max((q for q in partners if pos - 100 <= q <= pos), default=-1)
                if o < 0 and p < 0:
                    continue
                rel = "partner" if p >= o else "own"
            if out.get(name) != "own":
                out[name] = rel
    return out


class RemitFeatures(TransformerMixin, BaseEstimator):
    """Dense remit features from remit documents (see `compose`).

    Per document: share of phrases in each remit area; log phrase count; for each revenue
    function, how many duty phrases (and text sentences) own it or only partner with it;
    team-leadership, individual-contributor and non-sales-executive cues. `text_weight` scales
    the signals found in the text outside the duty phrases.
    """

    def __init__(self, text_weight: float = 0.5) -> None:
        self.text_weight = text_weight

    def fit(self, X: Sequence[str], y: Any = None) -> RemitFeatures:
        """Learn nothing but the feature names; validates the input."""
        docs = self._validate(X)
        self.n_features_in_ = 1
        self.feature_names_ = self._names()
        del docs
        return self

    def transform(self, X: Sequence[str]) -> np.ndarray:
        """Turn remit documents into a dense float matrix."""
        check_is_fitted(self, "feature_names_")
        docs = self._validate(X)
        return (
            np.vstack([self._row(d) for d in docs])
            if docs
            else np.zeros((0, len(self.feature_names_)))
        )

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "feature_names_")
        return np.asarray(self.feature_names_, dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags

    @staticmethod
    def _validate(X: Any) -> list[str]:
        if isinstance(X, str):
            raise ValueError("RemitFeatures expects an iterable of documents, not one string")
        docs = list(np.asarray(X, dtype=object).ravel()) if not isinstance(X, list) else X
        if not all(isinstance(d, str) for d in docs):
            raise ValueError("RemitFeatures expects strings (remit documents)")
        return docs

    @staticmethod
    def _names() -> list[str]:
        names = [f"area_share:{a}" for a in AREAS] + ["n_phrases_log"]
        for src in ("phrase", "text"):
            for fn in FUNCTIONS:
                names += [f"{src}:own:{fn}", f"{src}:partner:{fn}"]
            names += [
                f"{src}:team_leadership",
                f"{src}:individual_contributor",
                f"{src}:non_sales_exec",
            ]
        names += ["owned_non_sales_functions", "owns_sales_and_more"]
        return names

    def _row(self, doc: str) -> np.ndarray:
        r = rules()
        phrases, _title, text = split_document(doc)
        feats: dict[str, float] = {}
        n = len(phrases)
        for area, _ in phrases:
            key = f"area_share:{area}"
            feats[key] = feats.get(key, 0.0) + 1.0 / n
        feats["n_phrases_log"] = float(np.log1p(n))
        owned: set[str] = set()
        for src, units, w in (
            ("phrase", [p for _, p in phrases], 1.0),
            ("text", [s for s in _SENT.split(text) if s], self.text_weight),
        ):
            for u in units:
                for fn, rel in signals(u).items():
                    key = f"{src}:{rel}:{fn}"
                    feats[key] = feats.get(key, 0.0) + w
                    if rel == "own":
                        owned.add(fn)
                for cue, rx in (
                    ("team_leadership", r.team),
                    ("individual_contributor", r.ic),
                    ("non_sales_exec", r.non_sales),
                ):
                    if rx.search(u):
                        key = f"{src}:{cue}"
                        feats[key] = feats.get(key, 0.0) + w
        # squash counts: presence matters more than repetition
        row = np.array(
            [
                np.log1p(feats.get(name, 0.0))
                if ":" in name and not name.startswith("area_share")
                else feats.get(name, 0.0)
                for name in self.feature_names_
            ],
            dtype=float,
        )
        extra = len(owned & {"marketing", "customer_success", "revenue_all"})
        row[-2] = float(extra)
        row[-1] = float("sales" in owned and extra > 0)
        return row
