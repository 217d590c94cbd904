"""Labelled corpora: loading, validation, span alignment and the `corpus check` report."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import CorpusError, InputError
from .inputs import Posting, ReadOptions, iter_postings
from .pipeline.responsibilities import AREAS

LABELS = ("cro", "cso", "other")


def load_corpus(
    paths: Sequence[str], *, require_labels: bool = True, opts: ReadOptions | None = None
) -> list[Posting]:
    """Read labelled postings from JSONL/CSV files or folders; validate labels and spans."""
    if not paths:
        raise CorpusError("no corpus given; pass one or more .jsonl or .csv files")
    opts = opts or ReadOptions()
    opts.records_only = True
    try:
        postings = list(iter_postings(paths, opts))
    except InputError as e:
        raise CorpusError(str(e)) from e
    if not postings:
        raise CorpusError(f"{', '.join(paths)}: no postings found in the corpus")
    for p in postings:
        if require_labels:
            if p.label is None:
                raise CorpusError(
                    f"{p.id}: no 'label'; every training posting needs one of " + ", ".join(LABELS)
                )
            if p.label not in LABELS:
                raise CorpusError(
                    f"{p.id}: unknown label '{p.label}'; use one of " + ", ".join(LABELS)
                )
        if p.spans is not None:
            validate_spans(p)
    return postings


def validate_spans(p: Posting) -> None:
    """Raise CorpusError unless every span of `p` has valid offsets, text and area."""
    assert p.spans is not None
    for k, s in enumerate(p.spans):
        if not isinstance(s, dict):
            raise CorpusError(f"{p.id}: span {k} is not an object")
        start, end = s.get("start"), s.get("end")
        if (
            not isinstance(start, int)
            or not isinstance(end, int)
            or not 0 <= start < end <= len(p.text)
        ):
            raise CorpusError(
                f"{p.id}: span {k} has offsets {start}..{end} outside the text "
                f"(length {len(p.text)}); fix start/end or run 'jdtool corpus align'"
            )
        if "text" in s and p.text[start:end] != s["text"]:
            raise CorpusError(
                f"{p.id}: span {k} text does not match text[{start}:{end}] "
                f"({p.text[start:end][:40]!r} vs {str(s['text'])[:40]!r})"
            )
        area = s.get("area")
        if area is not None and area not in AREAS:
            raise CorpusError(
                f"{p.id}: span {k} has unknown area '{area}'; use one of " + ", ".join(AREAS)
            )


def class_counts(postings: Iterable[Posting]) -> dict[str, int]:
    """How many postings carry each label."""
    c = Counter(p.label for p in postings)
    return {lab: c.get(lab, 0) for lab in LABELS}


def corpus_hash(postings: Iterable[Posting]) -> str:
    """SHA-256 over ids, labels, texts and annotated spans: identifies a model's training data."""
    h = hashlib.sha256()
    for p in postings:
        rec: list[Any] = [p.id, p.label, p.title, p.text]
        if p.spans:
            rec.append([[s.get("start"), s.get("end"), s.get("area")] for s in p.spans])
        h.update(json.dumps(rec, ensure_ascii=False).encode())
    return h.hexdigest()


def align_spans(text: str, spans: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give spans that carry only `text` (and `area`) their offsets, searching in order.

    Lets annotators quote duties instead of counting characters: each span's text is found in
    `text` after the previous span. Raises CorpusError if a span text is not found.
    """
    out = []
    pos = 0
    for s in spans:
        st = str(s["text"]).strip()
        i = text.find(st, pos)
        if i < 0:
            i = text.find(st)
        if i < 0:
            raise CorpusError(f"span text not found in the posting: {st[:60]!r}")
        out.append({"start": i, "end": i + len(st), "text": st, "area": s.get("area", "other")})
        pos = i + len(st)
    return out


def align_file(path: str, output: str) -> int:
    """Rewrite a JSONL corpus whose spans quote text only, adding offsets; return the count."""
    from .output import atomic_writer

    n = 0
    with open(path, encoding="utf-8-sig") as src, atomic_writer(output) as dst:
        for lineno, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                rec["spans"] = align_spans(rec["text"], rec.get("spans") or [])
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise CorpusError(f"{path}:{lineno}: cannot align this record ({e})") from e
            except CorpusError as e:
                raise CorpusError(f"{path}:{lineno}: {e}") from e
            dst.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


_NEAR_TOKEN = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str, k: int = 5) -> set[int]:
    toks = [t.lower() for t in _NEAR_TOKEN.findall(text)]
    return {hash(tuple(toks[i : i + k])) for i in range(max(1, len(toks) - k + 1))}


@dataclass
class CheckReport:
    """Result of `corpus check`: errors (fatal), warnings and statistics."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def _sentences(text: str, min_words: int = 8) -> set[str]:
    out = set()
    for m in _SENTENCE.finditer(text):
        s = " ".join(m.group().split()).strip(" .!?").lower()
        if len(s.split()) >= min_words:
            out.add(s)
    return out


def _format_of(text: str) -> str:
    from .htmltext import looks_like_html

    if looks_like_html(text):
        return "html"
    if re.search(r"^\s{0,3}#{1,6}\s|\*\*[^*]+\*\*", text, re.M):
        return "markdown"
    if re.search(r"^\s*([-*•·–]|\d{1,2}[.)])\s+\S", text, re.M):
        return "bullets"
    return "prose"


def check_corpus(
    paths: Sequence[str], against: Sequence[str] = (), near_threshold: float = 0.5
) -> CheckReport:
    """Validate a corpus and gather statistics; never raises for content problems."""
    from .lang import detect_language

    rep = CheckReport()
    opts = ReadOptions(skip_invalid=True, on_skip=rep.errors.append, records_only=True)
    try:
        postings = list(iter_postings(paths, opts))
    except InputError as e:
        rep.errors.append(str(e))
        return rep
    if not postings:
        rep.errors.append("no postings found")
        return rep
    ids: Counter[str] = Counter(p.id for p in postings)
    for pid, n in ids.items():
        if n > 1:
            rep.errors.append(f"{pid}: id used {n} times")
    for p in postings:
        if p.label not in LABELS:
            rep.errors.append(f"{p.id}: label {p.label!r} is not one of {', '.join(LABELS)}")
        if p.lang not in ("en", "de"):
            rep.errors.append(f"{p.id}: lang {p.lang!r} must be 'en' or 'de'")
        else:
            detected = detect_language(p.text, default=p.lang)
            if detected != p.lang:
                rep.errors.append(
                    f"{p.id}: declared lang '{p.lang}' but the text reads as '{detected}'"
                )
        if p.spans is None:
            rep.warnings.append(f"{p.id}: no 'spans' (not span-annotated)")
            continue
        try:
            validate_spans(p)
        except CorpusError as e:
            rep.errors.append(str(e))
            continue
        ordered = sorted(p.spans, key=lambda s: (s["start"], s["end"]))
        for a, b in zip(ordered, ordered[1:]):
            if b["start"] < a["end"]:
                rep.errors.append(
                    f"{p.id}: spans overlap at {b['start']} "
                    f"({p.text[a['start'] : a['end']][:30]!r} / "
                    f"{p.text[b['start'] : b['end']][:30]!r})"
                )
        for s in p.spans:
            t = p.text[s["start"] : s["end"]]
            if t != t.strip() or t.endswith((".", ";", ",", ":")):
                rep.errors.append(f"{p.id}: span {t[:40]!r} is not trimmed (LABELS.md section 2)")
    # duplicates inside the corpus: exact texts and near duplicates (5-word shingles)
    norm: dict[str, str] = {}
    for p in postings:
        key = " ".join(p.text.lower().split())
        if key in norm:
            rep.errors.append(f"{p.id}: same text as {norm[key]}")
        else:
            norm[key] = p.id
    shingles = [(p.id, _shingles(p.text)) for p in postings]
    for i in range(len(shingles)):
        a_id, sh_a = shingles[i]
        for j in range(i + 1, len(shingles)):
            b_id, sh_b = shingles[j]
            inter = len(sh_a & sh_b)
            if inter and inter / len(sh_a | sh_b) >= near_threshold:
                rep.errors.append(
                    f"{a_id} and {b_id} are near duplicates "
                    f"({inter / len(sh_a | sh_b):.0%} shared 5-word shingles)"
                )
    # independence from another corpus (for example the real-world evaluation set)
    if against:
        try:
            others = list(iter_postings(against, ReadOptions(skip_invalid=True)))
        except InputError as e:
            rep.errors.append(f"--against: {e}")
            others = []
        other_sh = [(o.id, _shingles(o.text)) for o in others]
        other_sent: dict[str, str] = {}
        for o in others:
            for sent in _sentences(o.text):
                other_sent.setdefault(sent, o.id)
        copied = 0
        for pid, sh_a in shingles:
            for oid, sh_b in other_sh:
                inter = len(sh_a & sh_b)
                if inter and inter / len(sh_a | sh_b) >= near_threshold:
                    rep.errors.append(f"{pid} is a near duplicate of {oid} in --against")
        for p in postings:
            for sent in _sentences(p.text):
                if sent in other_sent:
                    copied += 1
                    rep.errors.append(
                        f"{p.id}: sentence copied from {other_sent[sent]}: {sent[:60]!r}"
                    )
        rep.stats["against"] = {"postings": len(others), "copied_sentences": copied}
    _stats(rep, postings)
    return rep


def _stats(rep: CheckReport, postings: list[Posting]) -> None:
    import statistics

    by = Counter((p.label, p.lang) for p in postings)
    classes: dict[str, dict[str, Any]] = {}
    for lab in LABELS:
        n = sum(v for (lb, _), v in by.items() if lb == lab)
        de = by.get((lab, "de"), 0)
        classes[lab] = {
            "n": n,
            "en": by.get((lab, "en"), 0),
            "de": de,
            "de_share": round(de / n, 3) if n else 0.0,
        }
    lengths = [len(p.text) for p in postings]
    spans = [len(p.spans) for p in postings if p.spans is not None]
    areas = Counter(str(s.get("area")) for p in postings for s in p.spans or [])
    rep.stats.update(
        {
            "postings": len(postings),
            "classes": classes,
            "languages": dict(Counter(str(p.lang) for p in postings)),
            "length_chars": {
                "min": min(lengths),
                "median": int(statistics.median(lengths)),
                "max": max(lengths),
            },
            "span_annotated": len(spans),
            "spans": {
                "total": sum(spans),
                "per_posting_median": statistics.median(spans) if spans else 0,
            },
            "areas": dict(areas.most_common()),
            "formats": dict(Counter(_format_of(p.text) for p in postings).most_common()),
        }
    )


def check_report_text(rep: CheckReport, max_lines: int = 40) -> str:
    """A readable `corpus check` report."""
    s = rep.stats
    out: list[str] = []
    if s.get("postings"):
        out.append(
            f"{s['postings']} postings, {s['span_annotated']} span-annotated, "
            f"{s['spans']['total']} spans (median {s['spans']['per_posting_median']} "
            "per posting)"
        )
        for lab, c in s["classes"].items():
            out.append(
                f"  {lab:<6} {c['n']:>4}  en {c['en']:>4}  de {c['de']:>4}  "
                f"({c['de_share']:.1%} German)"
            )
        ln = s["length_chars"]
        out.append(f"  length (chars): min {ln['min']}, median {ln['median']}, max {ln['max']}")
        out.append("  formats: " + ", ".join(f"{k} {v}" for k, v in s["formats"].items()))
        out.append("  areas: " + ", ".join(f"{k} {v}" for k, v in s["areas"].items()))
        if "against" in s:
            a = s["against"]
            out.append(
                f"  against {a['postings']} postings: {a['copied_sentences']} copied sentences"
            )
    for label, items in (("error", rep.errors), ("warning", rep.warnings)):
        for msg in items[:max_lines]:
            out.append(f"{label}: {msg}")
        if len(items) > max_lines:
            out.append(f"... and {len(items) - max_lines} more {label}s")
    out.append("corpus OK" if rep.ok else f"corpus has {len(rep.errors)} error(s)")
    return "\n".join(out)


def split_corpus(
    paths: Sequence[str], fraction: float, seed: int = 0
) -> tuple[list[Posting], list[Posting]]:
    """Stratified split by label: about `fraction` of each class goes to the first part."""
    import random

    postings = load_corpus(paths)
    rng = random.Random(seed)
    first: list[Posting] = []
    second: list[Posting] = []
    for lab in sorted({p.label or "" for p in postings}):
        group = [p for p in postings if p.label == lab]
        rng.shuffle(group)
        k = round(len(group) * fraction)
        first += group[:k]
        second += group[k:]
    order = {p.id: i for i, p in enumerate(postings)}
    first.sort(key=lambda p: order[p.id])
    second.sort(key=lambda p: order[p.id])
    return first, second


def posting_record(p: Posting) -> dict[str, Any]:
    """A posting as a corpus JSONL record."""
    rec: dict[str, Any] = {
        "id": p.id,
        "lang": p.lang,
        "title": p.title,
        "text": p.text,
        "label": p.label,
    }
    if p.spans is not None:
        rec["spans"] = p.spans
    rec.update(p.extra)
    return rec
