"""Training a model folder from a labelled corpus, with cross-validated figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from .corpus import LABELS, class_counts, corpus_hash
from .errors import CorpusError
from .extract import Analysis, Extractor, build_pipeline
from .features import compose
from .inputs import Posting
from .model import FORMAT_VERSION, Model, library_versions


@dataclass
class TrainResult:
    """A trained model and its cross-validation report (None when `cv` < 2)."""

    model: Model
    cv: dict[str, Any] | None


def documents(analyses: Sequence[Analysis]) -> list[str]:
    """Remit documents for the classifier."""
    return [compose([(p.text, p.area) for p in a.phrases], a.text, a.title) for a in analyses]


def _compact(estimator: Any) -> None:
    """Shrink the fitted vectorizers for persistence: drop `stop_words_` (every pruned term, kept
    only for introspection) and store the vocabulary as plain ints, which skops writes as JSON
    instead of one array file per term."""
    for _, step in estimator.text_features_.transformer_list:
        step = step[-1] if hasattr(step, "steps") else step
        if hasattr(step, "stop_words_"):
            del step.stop_words_
        if hasattr(step, "vocabulary_"):
            step.vocabulary_ = {str(k): int(v) for k, v in step.vocabulary_.items()}


def fit_area_model(postings: Sequence[Posting], extractor: Extractor) -> dict[str, Any] | None:
    """Fit the learned area model (jdtool.areas) on the area-annotated spans of `postings` and
    put it into every pipeline of `extractor`; None (rules only) with too few spans."""
    from .areas import MIN_SPANS, area_inputs, build_area_model
    from .lang import SUPPORTED
    from .pipeline.responsibilities import ResponsibilityExtractor

    def component(lang: str) -> ResponsibilityExtractor:
        return cast(
            ResponsibilityExtractor, extractor.nlp(lang).get_pipe("jdtool_responsibilities")
        )

    comp = component("en")
    phrases: list[str] = []
    rules: list[str] = []
    gold: list[str] = []
    for p in postings:
        spans = [s for s in p.spans or [] if s.get("area")]
        if not spans:
            continue
        texts = [p.text[s["start"] : s["end"]] for s in spans]
        phrases += texts
        rules += comp.rule_areas(texts, p.text)
        gold += [str(s["area"]) for s in spans]
    if len(gold) < MIN_SPANS or len(set(gold)) < 2:
        return None
    model = build_area_model().fit(area_inputs(phrases, rules), gold)
    for lang in SUPPORTED:
        component(lang).area_model = model
    return {
        "n_spans": len(gold),
        "rule_agreement": round(float(np.mean(np.asarray(rules) == np.asarray(gold))), 4),
    }


def train(
    postings: Sequence[Posting],
    *,
    cv: int = 5,
    seed: int = 0,
    sources: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
    params: dict[str, Any] | None = None,
) -> TrainResult:
    """Train the classifier on `postings` and, with `cv` >= 2, cross-validate it first."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from .baselines import build_text_baseline
    from .classifier import build_classifier
    from .evaluate import classification_metrics

    counts = class_counts(postings)
    present = [lab for lab, n in counts.items() if n]
    if len(present) < 2:
        raise CorpusError(
            f"the corpus has only the class(es) {', '.join(present) or 'none'}; "
            "training needs at least two of " + ", ".join(LABELS)
        )
    extractor = Extractor(pipelines={lang: build_pipeline(lang) for lang in ("en", "de")})
    area_report = fit_area_model(postings, extractor)
    analyses = []
    for a in extractor.analyze_many(postings):
        analyses.append(a)
        if progress is not None:
            progress(1)
    X = documents(analyses)
    y = np.asarray([p.label for p in postings])
    params = dict(params or {})
    report = None
    if cv >= 2:
        smallest = min(n for n in counts.values() if n)
        if smallest < cv:
            raise CorpusError(
                f"a class has only {smallest} postings, fewer than --cv {cv} folds; "
                "add postings or lower --cv"
            )
        folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed)
        proba = cross_val_predict(
            build_classifier(seed=seed, **params), X, y, cv=folds, method="predict_proba"
        )
        classes = sorted(set(y))
        report = classification_metrics(
            list(y),
            [classes[i] for i in proba.argmax(axis=1)],
            list(proba.max(axis=1)),
            langs=[a.lang for a in analyses],
        )
        report["folds"] = cv
    estimator = build_classifier(seed=seed, **params)
    estimator.fit(X, y)
    _compact(estimator)
    baseline = build_text_baseline(seed=seed).fit([p.text for p in postings], y)
    meta = {
        "format_version": FORMAT_VERSION,
        "name": "jdtool-remit",
        "labels": list(LABELS),
        "seed": seed,
        "params": params,
        "training_data": {
            "sources": list(sources),
            "sha256": corpus_hash(postings),
            "n": len(postings),
            "class_counts": counts,
            "lang_counts": dict(sorted(Counter(a.lang for a in analyses).items())),
        },
        "metrics": {"cv": report},
        "area_model": area_report,
        "versions": library_versions(),
    }
    return TrainResult(Model(estimator, meta, extractor, text_baseline=baseline), report)
