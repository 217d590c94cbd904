"""Responsibility extraction: posting text in, duty phrases with offsets and remit areas out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from .htmltext import html_to_text, looks_like_html, map_span
from .inputs import Posting
from .lang import SUPPORTED, detect_language

if TYPE_CHECKING:
    from spacy.language import Language


# The pipeline has no parser or NER, so spaCy's memory guard (1M characters) is not needed; the
# input layer's --max-bytes limit protects instead.
MAX_CHARS = 100_000_000


@dataclass
class Phrase:
    """One responsibility phrase. `start`/`end` index the posting text exactly as given."""

    start: int
    end: int
    text: str
    area: str
    section: str


@dataclass
class Analysis:
    """What jdtool read from one posting: language, plain text and duty phrases."""

    id: str
    lang: str
    phrases: list[Phrase]
    text: str  # plain text the pipeline ran on (HTML converted); equals the input otherwise
    title: str = ""
    source_format: str = "text"
    supported: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    # phrase offsets into `text` (differ from the phrases' own offsets for HTML input)
    text_spans: list[tuple[int, int]] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """The `extract` output record."""
        rec: dict[str, Any] = {
            "id": self.id,
            "lang": self.lang,
            "phrases": [asdict(p) for p in self.phrases],
        }
        if self.source_format != "text":
            rec["source_format"] = self.source_format
        return rec


def build_pipeline(lang: str) -> Language:
    """A fresh pipeline: spaCy's blank tokenizer for `lang` plus jdtool's extractor."""
    import spacy

    from .pipeline import responsibilities, tokenizer  # noqa: F401 - register them

    nlp = spacy.blank(
        lang, config={"nlp": {"tokenizer": {"@tokenizers": "jdtool.whitespace_tokenizer.v1"}}}
    )
    nlp.add_pipe("jdtool_responsibilities")
    nlp.max_length = MAX_CHARS
    return nlp


@dataclass
class _Prepared:
    posting: Posting
    lang: str
    text: str
    offsets: list[int] | None
    supported: bool


def _prepare(posting: Posting, lang: str = "auto") -> _Prepared:
    raw = posting.text
    offsets = None
    text = raw
    if posting.extra.get("format") == "html" or looks_like_html(raw):
        text, offsets = html_to_text(raw)
    if lang != "auto":
        code = lang
    elif posting.lang:
        code = posting.lang
    else:
        code = detect_language(text)
    return _Prepared(posting, code, text, offsets, code in SUPPORTED)


class Extractor:
    """Runs jdtool's spaCy pipelines (one per language) over postings, lazily built or loaded."""

    def __init__(self, pipelines: dict[str, Language] | None = None, loader: Any = None) -> None:
        self._pipelines: dict[str, Language] = dict(pipelines or {})
        self._loader = loader or build_pipeline

    def nlp(self, lang: str) -> Language:
        """The pipeline for `lang` (English rules for unsupported languages)."""
        key = lang if lang in SUPPORTED else "en"
        if key not in self._pipelines:
            self._pipelines[key] = self._loader(key)
        return self._pipelines[key]

    def analyze(self, posting: Posting, lang: str = "auto") -> Analysis:
        """Extract the duty phrases of one posting."""
        return next(self.analyze_many([posting], lang=lang))

    def analyze_many(
        self, postings: Iterable[Posting], lang: str = "auto", batch_size: int = 64
    ) -> Iterator[Analysis]:
        """Extract from a stream of postings, in order, batching the spaCy calls."""
        batch: list[_Prepared] = []
        for posting in postings:
            batch.append(_prepare(posting, lang))
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[_Prepared]) -> Iterator[Analysis]:
        by_lang: dict[str, list[int]] = {}
        for i, p in enumerate(batch):
            by_lang.setdefault(p.lang if p.lang in SUPPORTED else "en", []).append(i)
        docs: list[Any] = [None] * len(batch)
        for key, idx in by_lang.items():
            for i, doc in zip(idx, self.nlp(key).pipe(batch[i].text for i in idx)):
                docs[i] = doc
        for p, doc in zip(batch, docs):
            yield self._analysis(p, doc)

    @staticmethod
    def _analysis(p: _Prepared, doc: Any) -> Analysis:
        phrases = []
        text_spans = []
        raw = p.posting.text
        for span in doc.spans.get("responsibilities", []):
            s, e = span._.jd_start, span._.jd_end
            text_spans.append((s, e))
            text = p.text[s:e]
            if p.offsets is not None:
                s, e = map_span(p.offsets, raw, s, e)
            phrases.append(Phrase(s, e, text, span.label_, span._.section))
        return Analysis(
            id=p.posting.id,
            lang=p.lang,
            phrases=phrases,
            text=p.text,
            title=p.posting.title,
            source_format="html" if p.offsets is not None else "text",
            supported=p.supported,
            extra=p.posting.extra,
            text_spans=text_spans,
        )
