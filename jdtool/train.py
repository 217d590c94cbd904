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
from .features import compose, signal_cache
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


def _component(extractor: Extractor, lang: str) -> Any:
    from .lang import SUPPORTED

    return extractor.nlp(lang if lang in SUPPORTED else "en").get_pipe("jdtool_responsibilities")


@dataclass
class AnnotatedSpans:
    """One posting's area-annotated spans: the area model's inputs, the rules' areas, gold."""

    inputs: list[str]
    rules: list[str]
    gold: list[str]


def annotated_spans(postings: Sequence[Posting], extractor: Extractor) -> list[AnnotatedSpans]:
    """Per posting, its area-annotated spans ready for the area model (empty when it has none)."""
    from .areas import area_inputs

    comp = _component(extractor, "en")
    out = []
    for p in postings:
        spans = [s for s in p.spans or [] if s.get("area")]
        texts = [p.text[s["start"] : s["end"]] for s in spans]
        rules = comp.rule_areas(texts, p.text) if texts else []
        out.append(
            AnnotatedSpans(area_inputs(texts, rules), rules, [str(s["area"]) for s in spans])
        )
    return out


def _area_model(spans: Sequence[AnnotatedSpans], init: Any = None) -> tuple[Any, dict[str, Any]]:
    """The learned area model fitted on `spans` (None with too few) and its training figures.

    `init`, a fitted area model, only speeds the fit up: its weights are the starting point. The
    regularised objective is strictly convex, so the result is the same optimum (within the
    solver's tolerance) as from zeros; cross-validation folds start from the full model.
    """
    from .areas import MIN_SPANS, build_area_model

    inputs = [x for s in spans for x in s.inputs]
    gold = [g for s in spans for g in s.gold]
    rules = [r for s in spans for r in s.rules]
    if len(gold) < MIN_SPANS or len(set(gold)) < 2:
        return None, {}
    model = build_area_model()
    if init is not None and sorted(set(gold)) == list(init[-1].classes_):
        clf = model[-1]
        clf.set_params(warm_start=True)
        clf.coef_ = init[-1].coef_.copy()
        clf.intercept_ = init[-1].intercept_.copy()
    model.fit(inputs, gold)
    model[-1].set_params(warm_start=False)
    return model, {
        "n_spans": len(gold),
        "rule_agreement": round(float(np.mean(np.asarray(rules) == np.asarray(gold))), 4),
    }


def _install_area_model(extractor: Extractor, model: Any) -> None:
    from .lang import SUPPORTED

    for lang in SUPPORTED:
        _component(extractor, lang).area_model = model


def fit_area_model(postings: Sequence[Posting], extractor: Extractor) -> dict[str, Any] | None:
    """Fit the learned area model (jdtool.areas) on the area-annotated spans of `postings` and
    put it into every pipeline of `extractor`; None (rules only) with too few spans."""
    model, report = _area_model(annotated_spans(postings, extractor))
    if model is None:
        return None
    _install_area_model(extractor, model)
    return report


@dataclass
class HeldOut:
    """A held-out posting's duty phrases with the rules' areas, and its text and title."""

    phrases: list[str]
    rules: list[str]
    text: str
    title: str


def held_out(analyses: Sequence[Analysis], extractor: Extractor) -> list[HeldOut]:
    """What cross-validation needs of each analysis to give it areas from a fold's model."""
    out = []
    for a in analyses:
        texts = [p.text for p in a.phrases]
        rules = _component(extractor, a.lang).rule_areas(texts, a.text)
        out.append(HeldOut(texts, rules, a.text, a.title))
    return out


def heldout_documents(
    spans: Sequence[AnnotatedSpans], postings: Sequence[HeldOut], init: Any = None
) -> list[str]:
    """Remit documents of held-out `postings` whose areas come from an area model fitted on
    `spans` only (cross-validation must not judge postings by areas learned from their own
    spans); with too few spans, the rules' areas, as `jdtool train` would give."""
    from .areas import refine_areas

    model, _ = _area_model(spans, init)
    areas = refine_areas(model, [(h.phrases, h.rules) for h in postings])
    return [compose(list(zip(h.phrases, a)), h.text, h.title) for h, a in zip(postings, areas)]


def _cv_fold(
    spans: Sequence[AnnotatedSpans] | None,
    X_train: list[str],
    y_train: np.ndarray,
    test: list[str] | list[HeldOut],
    init: Any,
    seed: int,
    params: dict[str, Any],
) -> np.ndarray:
    """One cross-validation fold: class probabilities of the held-out postings (run in a worker
    process with --jobs > 1). With `spans`, their areas come from a model fitted on those."""
    from .classifier import build_classifier

    docs = (
        heldout_documents(spans, cast(list[HeldOut], test), init)
        if spans is not None
        else cast(list[str], test)
    )
    with signal_cache(len(X_train) + len(docs) + 64):
        est = build_classifier(seed=seed, **params).fit(X_train, y_train)
        return np.asarray(est.predict_proba(docs))


def train(
    postings: Sequence[Posting],
    *,
    cv: int = 5,
    seed: int = 0,
    sources: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
    params: dict[str, Any] | None = None,
    jobs: int = 1,
) -> TrainResult:
    """Train the classifier on `postings` and, with `cv` >= 2, cross-validate it first (its
    folds in `jobs` worker processes; the figures do not depend on `jobs`)."""
    from sklearn.model_selection import StratifiedKFold

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
    spans = annotated_spans(postings, extractor)
    area_model, area_info = _area_model(spans)
    area_report = area_info or None
    if area_model is not None:
        _install_area_model(extractor, area_model)
    analyses = []
    for a in extractor.analyze_many(postings):
        analyses.append(a)
        if progress is not None:
            progress(1)
    X = documents(analyses)
    y = np.asarray([p.label for p in postings])
    params = dict(params or {})
    report = None
    # every fold reads the same documents' remit signals: keep them all in the cache
    with signal_cache(2 * len(X) + 64):
        if cv >= 2:
            smallest = min(n for n in counts.values() if n)
            if smallest < cv:
                raise CorpusError(
                    f"a class has only {smallest} postings, fewer than --cv {cv} folds; "
                    "add postings or lower --cv"
                )
            folds = list(StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed).split(X, y))
            classes = sorted(set(y))
            # the held-out postings' areas come from an area model fitted without their spans
            parts = held_out(analyses, extractor) if area_model is not None else None
            tasks = [
                (
                    [spans[i] for i in tr] if parts is not None else None,
                    [X[i] for i in tr],
                    y[tr],
                    [parts[i] for i in te] if parts is not None else [X[i] for i in te],
                    area_model,
                    seed,
                    params,
                )
                for tr, te in folds
            ]
            if jobs > 1:
                from joblib import Parallel, delayed

                results = Parallel(n_jobs=min(jobs, cv))(delayed(_cv_fold)(*t) for t in tasks)
            else:
                results = [_cv_fold(*t) for t in tasks]
            proba = np.zeros((len(y), len(classes)))
            for (_, te), fold_proba in zip(folds, results):
                proba[te] = fold_proba
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
