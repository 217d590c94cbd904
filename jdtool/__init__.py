"""jdtool: extract, classify (CSO vs CRO remit) and generate executive sales job postings.

Public API (heavy libraries load on first use, not at import):

- `extract(text)`, `classify(text)`: one posting in, a result record out.
- `load_model(path)`: a model folder (default: the bundled one) for batch use.
- `train(postings)`, `load_corpus(paths)`, `generate_posting(...)`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("jdtool")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "__version__",
    "classify",
    "extract",
    "generate_posting",
    "load_corpus",
    "load_model",
    "train",
]

_MODELS: dict[str, Any] = {}


def load_model(path: Any = None) -> Any:
    """Load a model folder (default: the bundled model); cached per path in this process."""
    from .model import load_model as _load

    key = str(path)
    if key not in _MODELS:
        _MODELS[key] = _load(path)
    return _MODELS[key]


def extract(text: str, *, lang: str = "auto", model: Any = None) -> dict[str, Any]:
    """Duty phrases of one posting: `{"id", "lang", "phrases": [...]}`."""
    from .inputs import Posting

    m = model if model is not None and not isinstance(model, str) else load_model(model)
    record: dict[str, Any] = m.extractor.analyze(
        Posting(id="<text>", text=text), lang=lang
    ).record()
    return record


def classify(
    text: str, *, lang: str = "auto", model: Any = None, min_confidence: float = 0.0
) -> dict[str, Any]:
    """Remit label of one posting: `{"id", "lang", "label", "confidence", "scores", "evidence"}`."""
    from .inputs import Posting

    m = model if model is not None and not isinstance(model, str) else load_model(model)
    result = next(
        m.classify_many([Posting(id="<text>", text=text)], lang=lang, min_confidence=min_confidence)
    )
    record: dict[str, Any] = result.record()
    return record


def train(postings: Any, **kwargs: Any) -> Any:
    """Train a model on labelled postings; see `jdtool.train.train`."""
    from .train import train as _train

    return _train(postings, **kwargs)


def load_corpus(paths: Any) -> Any:
    """Read and validate a labelled corpus; see `jdtool.corpus.load_corpus`."""
    from .corpus import load_corpus as _load

    return _load(list(paths) if not isinstance(paths, str) else [paths])


def generate_posting(remit: str, **kwargs: Any) -> str:
    """Write a posting for a remit; see `jdtool.generate.generate`."""
    from .generate import generate

    return generate(remit, **kwargs)
