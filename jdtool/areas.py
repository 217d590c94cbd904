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

from .errors import ModelError

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

AREA_MODEL_FILE = "areas.skops"
# fewer annotated spans than this (or a single area): the rules alone decide
MIN_SPANS = 200

# Every type an area-model file may contain, reviewed by hand (see jdtool.model.TRUSTED_TYPES).
AREA_TRUSTED_TYPES = [
    "numpy.dtype",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
]


def build_area_model(
    *, C: float = 5.0, max_char_features: int = 20000, max_word_features: int = 5000
) -> Pipeline:
    """The area learner: TF-IDF character (2-5) and word (1-2) n-grams -> logistic regression."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    min_df=2,
                    max_features=max_char_features,
                    dtype=np.float32,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    min_df=2,
                    max_features=max_word_features,
                    dtype=np.float32,
                ),
            ),
        ]
    )
    return Pipeline([("features", features), ("clf", LogisticRegression(C=C, max_iter=3000))])


def area_inputs(phrases: Sequence[str], rule_areas: Sequence[str]) -> list[str]:
    """The learner's input per phrase: its lower-cased words and the rule's area as a word."""
    return [f"{' '.join(p.lower().split())} rule_{a}" for p, a in zip(phrases, rule_areas)]


def compact(model: Any) -> None:
    """Drop what prediction does not need (`stop_words_` lists every pruned n-gram) and store
    the vocabularies as plain ints, which skops writes as JSON."""
    for _, vec in model.named_steps["features"].transformer_list:
        if hasattr(vec, "stop_words_"):
            del vec.stop_words_
        vec.vocabulary_ = {str(k): int(v) for k, v in vec.vocabulary_.items()}


def save_area_model(model: Any, path: Path) -> None:
    import zipfile

    import skops.io as sio

    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)


def load_area_model(path: Path) -> Any:
    """Load an area-model file, refusing any type not in `AREA_TRUSTED_TYPES`."""
    import skops.io as sio

    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as e:  # skops raises several types for a corrupt archive
        raise ModelError(f"{path}: not a readable skops file ({e})") from e
    unknown = sorted(set(untrusted) - set(AREA_TRUSTED_TYPES))
    if unknown:
        raise ModelError(
            f"{path}: contains types jdtool does not trust ({', '.join(unknown)}); "
            "refusing to load it"
        )
    try:
        return sio.load(path, trusted=AREA_TRUSTED_TYPES)
    except Exception as e:
        raise ModelError(f"{path}: cannot be loaded ({e}); retrain the model") from e
