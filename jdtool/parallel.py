"""Streaming batch runs of extract and classify, in one process or a pool of workers.

Output order always matches input order. Workers load the model once each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from .inputs import Posting

_WORKER_MODEL: Any = None


def _chunks(it: Iterable[Posting], size: int) -> Iterator[list[Posting]]:
    it = iter(it)
    while chunk := list(islice(it, size)):
        yield chunk


def _init_worker(model_path: str | None) -> None:
    global _WORKER_MODEL
    from . import load_model

    _WORKER_MODEL = load_model(model_path)


def _classify_chunk(args: tuple[list[Posting], str, float]) -> list[dict[str, Any]]:
    chunk, lang, min_conf = args
    return [
        r.record() for r in _WORKER_MODEL.classify_many(chunk, lang=lang, min_confidence=min_conf)
    ]


def _extract_chunk(args: tuple[list[Posting], str]) -> list[Any]:
    chunk, lang = args
    return list(_WORKER_MODEL.extractor.analyze_many(chunk, lang=lang))


def _pooled(
    fn: Callable[[Any], list[Any]], tasks: Iterable[Any], model_path: str | None, jobs: int
) -> Iterator[Any]:
    import multiprocessing as mp

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(model_path,)) as pool:
        for out in pool.imap(fn, tasks, chunksize=1):
            yield from out


def classify_stream(
    postings: Iterable[Posting],
    model_path: str | None,
    *,
    lang: str = "auto",
    min_confidence: float = 0.0,
    jobs: int = 1,
    chunk: int = 64,
    on_record: Callable[[int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Classify records one by one (jobs=1) or over `jobs` worker processes."""
    from . import load_model

    if jobs <= 1:
        model = load_model(model_path)
        results: Iterator[dict[str, Any]] = (
            r.record()
            for r in model.classify_many(postings, lang=lang, min_confidence=min_confidence)
        )
    else:
        load_model(model_path)  # fail fast, in the parent, on a bad model
        results = _pooled(
            _classify_chunk,
            ((c, lang, min_confidence) for c in _chunks(postings, chunk)),
            model_path,
            jobs,
        )
    for rec in results:
        if on_record is not None:
            on_record(1)
        yield rec


def extract_stream(
    postings: Iterable[Posting],
    model_path: str | None,
    *,
    lang: str = "auto",
    jobs: int = 1,
    chunk: int = 64,
    on_record: Callable[[int], None] | None = None,
) -> Iterator[Any]:
    """Extract phrases record by record (jobs=1) or over `jobs` worker processes."""
    from . import load_model

    model = load_model(model_path)
    if jobs <= 1:
        results: Iterator[Any] = model.extractor.analyze_many(postings, lang=lang)
    else:
        results = _pooled(
            _extract_chunk, ((c, lang) for c in _chunks(postings, chunk)), model_path, jobs
        )
    for a in results:
        if on_record is not None:
            on_record(1)
        yield a
