"""Model folders: the classifier (skops), the spaCy pipelines, `meta.json` and a model card."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ModelError
from .extract import Analysis, Extractor
from .inputs import Posting
from .lang import SUPPORTED

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

MODEL_FILE = "model.skops"
META_FILE = "meta.json"
CARD_FILE = "README.md"
FORMAT_VERSION = 1

# Every type a jdtool model file may contain, reviewed by hand. Loading refuses anything else,
# so a model folder from a stranger cannot run code. tests/test_model.py checks that a freshly
# trained model needs nothing beyond this list.
TRUSTED_TYPES = [
    "jdtool.classifier.RemitClassifier",
    "jdtool.features.RemitFeatures",
    "jdtool.features.full_text",
    "jdtool.features.phrase_text",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.feature_extraction.text.HashingVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
]


def default_model_path() -> Path:
    """The bundled default model folder."""
    from .resources import resource_path

    return resource_path("models/default")


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    """Versions of the libraries a model depends on."""
    import platform

    import numpy
    import sklearn
    import skops
    import spacy

    from . import __version__

    return {
        "jdtool": __version__,
        "scikit-learn": sklearn.__version__,
        "spacy": spacy.__version__,
        "skops": skops.__version__,
        "numpy": numpy.__version__,
        "python": platform.python_version(),
    }


@dataclass
class Classification:
    """One classify result."""

    id: str
    lang: str
    label: str
    confidence: float
    scores: dict[str, float]
    evidence: list[dict[str, Any]]
    needs_review: bool
    reason: str

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lang": self.lang,
            "label": self.label,
            "confidence": self.confidence,
            "scores": self.scores,
            "evidence": self.evidence,
            "needs_review": self.needs_review,
            "reason": self.reason,
        }


class Model:
    """A loaded jdtool model: extractor pipelines + remit classifier + metadata."""

    def __init__(
        self,
        estimator: Pipeline,
        meta: dict[str, Any],
        extractor: Extractor,
        path: Path | None = None,
        text_baseline: Any = None,
    ) -> None:
        self.estimator = estimator
        self.meta = meta
        self.extractor = extractor
        self.path = path
        self.text_baseline = text_baseline

    def baseline(self) -> Any:
        """The TF-IDF + logistic regression baseline trained with this model, if any."""
        if self.text_baseline is None and self.path is not None:
            from .baselines import BASELINE_FILE

            f = self.path / BASELINE_FILE
            if f.is_file():
                self.text_baseline = _load_skops(f, self.meta.get("files", {}).get(BASELINE_FILE))
        return self.text_baseline

    # -- prediction ----------------------------------------------------------------------------
    def classify_many(
        self,
        postings: Iterable[Posting],
        *,
        lang: str = "auto",
        min_confidence: float = 0.0,
        batch_size: int = 64,
        evidence: int = 5,
    ) -> Iterator[Classification]:
        """Classify a stream of postings, in order."""
        batch: list[Analysis] = []
        for a in self.extractor.analyze_many(postings, lang=lang, batch_size=batch_size):
            batch.append(a)
            if len(batch) >= batch_size:
                yield from self._classify_batch(batch, min_confidence, evidence)
                batch = []
        if batch:
            yield from self._classify_batch(batch, min_confidence, evidence)

    def classify_analyses(
        self, analyses: list[Analysis], *, min_confidence: float = 0.0, evidence: int = 5
    ) -> list[Classification]:
        """Classify postings that were already extracted."""
        return list(self._classify_batch(analyses, min_confidence, evidence))

    def _classify_batch(
        self, batch: list[Analysis], min_confidence: float, n_evidence: int
    ) -> Iterator[Classification]:
        from .classifier import explain, reason
        from .features import compose

        phrases = [[(p.text, p.area) for p in a.phrases] for a in batch]
        docs = [compose(ph, a.text, a.title) for ph, a in zip(phrases, batch)]
        proba = self.estimator.predict_proba(docs)
        classes = [str(c) for c in self.estimator.classes_]
        labels = [classes[int(row.argmax())] for row in proba]
        ev = (
            explain(self.estimator, phrases, labels, top=n_evidence)
            if n_evidence
            else [[] for _ in batch]
        )
        for a, row, label, e, doc in zip(batch, proba, labels, ev, docs):
            scores = {c: round(float(p), 4) for c, p in zip(classes, row)}
            conf = round(float(row.max()), 4)
            needs_review = conf < min_confidence or not a.supported
            why = reason(label, doc)
            if not a.supported:
                why = (
                    f"language '{a.lang}' is not supported (English and German are); review by hand"
                )
                label = "other"
            elif conf < min_confidence:
                why = f"low confidence ({conf:.2f} < {min_confidence:.2f}) for '{label}': {why}"
                label = "other"
            yield Classification(a.id, a.lang, label, conf, scores, e, needs_review, why)

    # -- persistence ---------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the model folder atomically: a temporary sibling folder renamed into place."""
        import skops.io as sio

        path = Path(path)
        parent = path.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=parent))
        try:
            sio.dump(
                self.estimator, tmp / MODEL_FILE, compression=zipfile.ZIP_DEFLATED, compresslevel=9
            )
            files = {MODEL_FILE: sha256_file(tmp / MODEL_FILE)}
            if self.text_baseline is not None:
                from .baselines import BASELINE_FILE

                sio.dump(
                    self.text_baseline,
                    tmp / BASELINE_FILE,
                    compression=zipfile.ZIP_DEFLATED,
                    compresslevel=9,
                )
                files[BASELINE_FILE] = sha256_file(tmp / BASELINE_FILE)
            for lang in SUPPORTED:
                self.extractor.nlp(lang).to_disk(tmp / f"pipeline-{lang}")
            meta = dict(self.meta)
            meta["files"] = files
            (tmp / META_FILE).write_text(
                json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            from .card import model_card

            (tmp / CARD_FILE).write_text(model_card(meta), encoding="utf-8")
            _replace_dir(tmp, path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.meta = meta
        self.path = path
        return path


def _replace_dir(new: Path, target: Path) -> None:
    """Move `new` to `target`; an existing `target` is swapped out, then removed."""
    if target.exists():
        if not target.is_dir():
            raise ModelError(f"{target}: exists and is not a folder; choose another -o path")
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.resolve().parent))
        os.rmdir(old)
        os.rename(target, old)
        try:
            os.rename(new, target)
        except BaseException:
            os.rename(old, target)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(new, target)


def read_meta(path: Path) -> dict[str, Any]:
    """Read and sanity-check `meta.json` of a model folder."""
    meta_path = path / META_FILE
    if not meta_path.is_file():
        raise ModelError(
            f"{path}: not a jdtool model folder (no {META_FILE}); "
            "train one with 'jdtool train CORPUS -o DIR'"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ModelError(f"{meta_path}: unreadable ({e}); retrain the model") from e
    if not isinstance(meta, dict) or meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{meta_path}: unknown model format; retrain it with this jdtool")
    return meta


def _check_versions(meta: dict[str, Any], path: Path) -> None:
    import sklearn

    from . import __version__

    built = meta.get("versions", {})
    mine = {"scikit-learn": sklearn.__version__, "jdtool": __version__}
    for lib, have in mine.items():
        want = str(built.get(lib, "?"))
        if want.split(".")[:2] != have.split(".")[:2]:
            raise ModelError(
                f"{path}: model was built with {lib} {want}, this is {lib} {have}; retrain it "
                f"with 'jdtool train' or install {lib}=={want}"
            )


def _load_skops(path: Path, expected_sha256: str | None) -> Any:
    """Load a skops file after checking its checksum and that it holds only trusted types."""
    if expected_sha256 != sha256_file(path):
        raise ModelError(
            f"{path}: checksum does not match {META_FILE}; the model or its "
            "metadata was changed, so it is refused; retrain or restore it"
        )
    return load_trusted(path, TRUSTED_TYPES)


def load_trusted(path: Path, trusted: list[str]) -> Any:
    """Load a skops file, refusing it if it holds any type outside `trusted`."""
    import skops.io as sio

    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as e:  # skops raises several types for a corrupt archive
        raise ModelError(f"{path}: not a readable skops file ({e})") from e
    unknown = sorted(set(untrusted) - set(trusted))
    if unknown:
        raise ModelError(
            f"{path}: contains types jdtool does not trust ({', '.join(unknown)}); "
            "refusing to load it"
        )
    try:
        return sio.load(path, trusted=trusted)
    except Exception as e:
        raise ModelError(f"{path}: cannot be loaded ({e}); retrain the model") from e


def load_model(path: str | Path | None = None) -> Model:
    """Load a model folder (default: the bundled model), refusing untrusted or tampered files."""
    import spacy

    from .pipeline import responsibilities, tokenizer  # noqa: F401 - register them

    folder = Path(path) if path is not None else default_model_path()
    if not folder.exists():
        raise ModelError(f"{folder}: no such model folder")
    if not folder.is_dir():
        raise ModelError(
            f"{folder}: a model is a folder (with {MODEL_FILE} and {META_FILE}); "
            "pickle or joblib files are not accepted"
        )
    meta = read_meta(folder)
    model_file = folder / MODEL_FILE
    if not model_file.is_file():
        raise ModelError(f"{folder}: {MODEL_FILE} is missing; retrain the model")
    expected = meta.get("files", {}).get(MODEL_FILE)
    _check_versions(meta, folder)
    estimator = _load_skops(model_file, expected)

    def loader(lang: str) -> Any:
        p = folder / f"pipeline-{lang}"
        if not p.is_dir():
            raise ModelError(f"{folder}: pipeline-{lang} is missing; retrain the model")
        from .extract import MAX_CHARS

        nlp = spacy.load(p)
        nlp.max_length = MAX_CHARS
        return nlp

    return Model(estimator, meta, Extractor(loader=loader), folder)
