"""The learned remit-area model: refines the extractor's rule-based areas from annotated spans.

The rules of `patterns.yaml` give every duty phrase an area (LABELS.md section 3). When a corpus
carries area-annotated spans, `jdtool train` also fits this small model on them: a logistic
regression over the phrase's character and word n-grams plus the rule's area as one more word
(`rule_<area>`), so it learns where the annotators depart from the rules without forgetting them.
It lives inside the `jdtool_responsibilities` component and is saved with its `to_disk`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

AREA_MODEL_FILE = "areas.skops"
# fewer annotated spans than this (or a single area): the rules alone decide
MIN_SPANS = 200

# Every type an area-model file may contain, reviewed by hand (see jdtool.model.TRUSTED_TYPES).
AREA_TRUSTED_TYPES = [
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "sklearn.feature_extraction.text.HashingVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
]


def build_area_model(
    *, C: float = 5.0, char_features: int = 2**15, word_features: int = 2**13
) -> Pipeline:
    """The area learner: hashed TF-IDF character (3-4) and word (1-2) n-grams -> logistic
    regression. Hashing keeps no vocabulary, so the saved model loads in milliseconds."""
    import numpy as np
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    def hashed(n_features: int, **kw: Any) -> Pipeline:
        vec = HashingVectorizer(
            n_features=n_features, alternate_sign=False, norm=None, dtype=np.float32, **kw
        )
        return Pipeline([("hash", vec), ("tfidf", TfidfTransformer(sublinear_tf=True))])

    features = FeatureUnion(
        [
            ("chars", hashed(char_features, analyzer="char_wb", ngram_range=(3, 4))),
            ("words", hashed(word_features, ngram_range=(1, 2))),
        ]
    )
    return Pipeline([("features", features), ("clf", LogisticRegression(C=C, max_iter=3000))])


def area_inputs(phrases: Sequence[str], rule_areas: Sequence[str]) -> list[str]:
    """The learner's input per phrase: its lower-cased words and the rule's area as a word."""
    return [f"{' '.join(p.lower().split())} rule_{a}" for p, a in zip(phrases, rule_areas)]


def refine_areas(model: Any, groups: Sequence[tuple[Sequence[str], list[str]]]) -> list[list[str]]:
    """The areas of several postings' `(phrases, rule areas)`: the learned area model's, in one
    call for all of them (its fixed cost per call outweighs a posting's phrases), or the rules'
    when `model` is None."""
    if model is None or not any(phrases for phrases, _ in groups):
        return [list(rules) for _, rules in groups]
    inputs = [x for phrases, rules in groups for x in area_inputs(phrases, rules)]
    learned = iter(str(a) for a in model.predict(inputs))
    return [[next(learned) for _ in phrases] for phrases, _ in groups]


def save_area_model(model: Any, path: Path) -> None:
    import zipfile

    import skops.io as sio

    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)


def load_area_model(path: Path) -> Any:
    """Load an area-model file, refusing any type not in `AREA_TRUSTED_TYPES`."""
    from .model import load_trusted

    return load_trusted(path, AREA_TRUSTED_TYPES)
