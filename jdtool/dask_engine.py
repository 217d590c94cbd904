"""Scale-out on Dask: `jdtool classify --engine dask [--scheduler ADDRESS]`.

The input stream is cut into chunks; each chunk is classified on a Dask worker, which loads the
model once and keeps it for the next chunks. A bounded window of chunks is in flight at a time,
so memory stays flat, and results are written in input order, exactly as the local path does.

Without `--scheduler`, jdtool starts a `LocalCluster` with one single-threaded worker process per
`--jobs`. On a real cluster, install jdtool (same version) on every worker, make the model folder
readable at the same path there (or pass `--model` pointing at shared storage), and pass the
scheduler address, e.g. `--scheduler tcp://scheduler:8786`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from .errors import JdtoolError
from .inputs import Posting

_MODELS: dict[str, Any] = {}


def _classify_chunk(
    chunk: list[Posting], model_path: str | None, lang: str, min_confidence: float
) -> list[dict[str, Any]]:
    """Runs on a worker: classify one chunk with a model loaded once per worker process."""
    from . import load_model

    key = str(model_path)
    if key not in _MODELS:
        _MODELS[key] = load_model(model_path)
    model = _MODELS[key]
    return [
        r.record() for r in model.classify_many(chunk, lang=lang, min_confidence=min_confidence)
    ]


def classify_dask(
    postings: Iterable[Posting],
    model_path: str | None,
    *,
    lang: str = "auto",
    min_confidence: float = 0.0,
    scheduler: str | None = None,
    workers: int = 2,
    chunk: int = 256,
    window: int | None = None,
    on_record: Any = None,
) -> Iterator[dict[str, Any]]:
    """Classify on a Dask cluster; yields records in input order."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:
        raise JdtoolError(
            "the Dask engine needs dask.distributed: pip install 'jdtool[dask]'"
        ) from e
    from . import load_model

    load_model(model_path)  # fail fast, before starting a cluster
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,
            )
            client = Client(cluster)
    except OSError as e:
        raise JdtoolError(f"cannot reach the Dask scheduler {scheduler!r} ({e})") from e
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        limit = window or 3 * n_workers
        it = iter(postings)
        pending: deque[Any] = deque()
        while True:
            while len(pending) < limit:
                part = list(islice(it, chunk))
                if not part:
                    break
                pending.append(
                    client.submit(
                        _classify_chunk, part, model_path, lang, min_confidence, pure=False
                    )
                )
            if not pending:
                break
            for rec in pending.popleft().result():
                if on_record is not None:
                    on_record(1)
                yield rec
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
