"""The `jdtool_responsibilities` spaCy component: finds duty phrases and their remit areas.

It reads the layout of a posting (headings, bullet lists, prose paragraphs), decides which
section each part belongs to (duties, requirements, benefits, company, ...), keeps the bullet
items and duty sentences that state what the role holder will do, and writes them to
`doc.spans["responsibilities"]` with the remit area as the span label. Exact character offsets
(which need not fall on token boundaries) are kept in `span._.jd_start` / `span._.jd_end`, the
section in `span._.section`. All rules are data: see `patterns.yaml`. Areas come from the rules,
refined by a learned area model (`jdtool.areas`) when `jdtool train` fitted one on a corpus
with area-annotated spans; both travel with `to_disk`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span

SPAN_KEY = "responsibilities"
AREAS = (
    "sales_leadership",
    "deal_closing",
    "quota_forecast",
    "lead_generation",
    "channel_partners",
    "marketing",
    "sales_ops",
    "marketing_ops",
    "customer_success",
    "pricing_packaging",
    "cross_functional",
    "strategy_board",
    "other",
)
PATTERNS_FILE = Path(__file__).with_name("patterns.yaml")

for _name in ("jd_start", "jd_end", "section"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


def load_default_patterns() -> dict[str, Any]:
    """Read the bundled rule set (`patterns.yaml`)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with PATTERNS_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.load(fh, Loader=loader)  # noqa: S506 - safe loader
    return data


@Language.factory(
    "jdtool_responsibilities",
    default_config={"patterns": None, "span_key": SPAN_KEY},
)
def make_responsibilities(
    nlp: Language, name: str, patterns: dict[str, Any] | None, span_key: str
) -> ResponsibilityExtractor:
    """Build the extractor; `patterns=None` uses the bundled rules."""
    return ResponsibilityExtractor(name=name, patterns=patterns, span_key=span_key)


# --- layout -----------------------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_BULLET = re.compile(
    r"^(?P<indent>[ \t]*)(?P<markers>(?:(?:[-*•·‣–—+▪◦●○■□➢►✓✔→]|\\[-*+•]|\d{1,2}\\?[.)]|[a-hA-H][.)]"
    r"|\([a-z0-9]{1,2}\))[ \t]+)+)"
)
_MD_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_BOLD_LINE = re.compile(r"^[ \t]*(\*\*|__)(?P<t>[^*_].*?)(\*\*|__)[ \t]*:?[ \t]*$")
_MARKUP = re.compile(r"[*_#`>\\]+")
_TRAIL = " \t\r\n.;,:"
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]?\s+(?=[\"'“„(\[]?[A-ZÄÖÜ0-9*])")
_ABBREV = re.compile(
    r"(\b(e\.g|i\.e|z\.b|z\. b|u\.a|d\.h|bzw|inkl|ca|mio|mrd|dr|prof|etc|vs|no|nr|ggf|evtl|st|jr|sr|"
    r"mr|ms|mrs|u\.s|approx|incl|resp|min|max|abs|bspw|usw|sog|zzgl|ggü)\.|\b[A-Z]\.)$",
    re.IGNORECASE,
)
_WORDS = re.compile(r"\w+", re.UNICODE)


@dataclass
class _Line:
    start: int  # offset of the content (after bullet markers / indentation)
    end: int  # offset after the last non-newline character
    kind: str  # blank | heading | bullet | text
    text: str  # content text
    indent: int = 0
    section: str = "intro"
    heading_norm: str = ""


@dataclass
class _Unit:
    start: int
    end: int
    kind: str  # bullet | sentence
    section: str
    indent: int = 0
    children: list[_Unit] = field(default_factory=list)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _TRAIL):
        end -= 1
    return start, end


def _norm_heading(s: str) -> str:
    s = _MARKUP.sub(" ", s)
    s = re.sub(r"^\s*(\d+[.)]|[IVX]+\.)\s*", "", s)
    s = re.sub(r"[\s:|–—-]+$", "", s)
    return re.sub(r"\s+", " ", s).strip().lower()


class ResponsibilityExtractor:
    """spaCy component: writes duty phrases to `doc.spans[span_key]`, labelled by remit area."""

    def __init__(
        self,
        name: str = "jdtool_responsibilities",
        patterns: dict[str, Any] | None = None,
        span_key: str = SPAN_KEY,
    ) -> None:
        self.name = name
        self.span_key = span_key
        self.patterns: dict[str, Any] = (
            patterns if patterns is not None else load_default_patterns()
        )
        # the learned area model (jdtool.areas), None: the rules alone decide
        self.area_model: Any = None
        self._compile()

    # -- rules ---------------------------------------------------------------------------------
    def _compile(self) -> None:
        p = self.patterns
        # patterns are lower case and matched against lower-cased text: case-insensitive
        # matching is about three times slower in Python's re
        flags = re.UNICODE

        def one(pats: Iterable[str]) -> re.Pattern[str]:
            return re.compile("|".join(f"(?:{x})" for x in pats), flags)

        def both(key: str) -> re.Pattern[str]:
            return one([x for lang in ("en", "de") for x in p[key].get(lang, [])])

        self._sections = [(name, one(pats)) for name, pats in p["sections"].items()]
        self._duty_start = both("duty_start")
        self._duty_not_start = both("duty_not_start")
        self._duty_sentence = both("duty_sentence")
        self._reporting_only = one(p["reporting_only"])
        self._heading_max_words = int(p["heading"]["max_words"])
        self._group_max = int(p["group_label"]["max_words"])
        self._noun_item_max = int(p["group_label"]["noun_item_max_words"])
        order = {a: i for i, a in enumerate(p["area_order"])}
        self._areas = sorted(
            (
                (area, re.compile(pat, flags), float(w))
                for area, pats in p["areas"].items()
                for pat, w in pats
            ),
            key=lambda t: order.get(t[0], 99),
        )
        self._area_rank = order
        ar = p.get("area_rules") or {}
        self._area_domain = re.compile(ar["domain"], flags) if ar.get("domain") else None
        self._area_min_share = float(ar.get("domain_min_share", 0.0))
        self._area_min_phrases = int(ar.get("domain_min_phrases", 1))
        keep = ar.get("nonsales_keep") or ar.get("domain")
        self._area_keep = re.compile(keep, flags) if keep else None
        self._area_heads = [(area, re.compile(pat, flags)) for area, pat in ar.get("heads") or []]
        self._area_head_chars = int(ar.get("head_chars", 80))
        self._area_functions = [re.compile(pat, flags) for pat in ar.get("functions") or []]
        self._area_min_functions = int(ar.get("min_functions", 0)) or 99
        self._role_chars = int(ar.get("role_chars", 200))
        self._role_nonsales = (
            re.compile(ar["role_nonsales"], flags) if ar.get("role_nonsales") else None
        )
        self._role_sales = re.compile(ar["role_sales"], flags) if ar.get("role_sales") else None

    def section_of(self, heading: str) -> str | None:
        """The section type a normalised heading names, or None if it names none."""
        for name, rx in self._sections:
            if rx.search(heading):
                return name
        return None

    def area_of(self, phrase: str, sales_posting: bool = True) -> str:
        """The remit area of a phrase (LABELS.md section 3).

        In order: a phrase of a posting that is not about sales or revenue, and without revenue
        vocabulary of its own, is `other`; a head rule on the phrase's first words decides
        ("Partner with ..." is cross_functional, "Develop the sales strategy ..." strategy_board);
        a phrase naming several functions at once is cross_functional; else the best-scoring
        area pattern wins (matches near the start weigh more), and `other` if none matches.
        """
        low = phrase.lower()
        if not sales_posting and self._area_keep is not None and not self._area_keep.search(low):
            return "other"
        for area, rx in self._area_heads:
            m = rx.search(low)
            if m is not None and m.start() < self._area_head_chars:
                return area
        if sum(1 for rx in self._area_functions if rx.search(low)) >= self._area_min_functions:
            return "cross_functional"
        return self._scored_area(low)

    def _scored_area(self, low: str) -> str:
        """The best-scoring area pattern of a lower-cased phrase, `other` if none matches."""
        n = max(len(low), 1)
        scores: dict[str, float] = {}
        for area, rx, w in self._areas:
            for m in rx.finditer(low):
                # matches near the start weigh up to twice as much as at the end
                scores[area] = scores.get(area, 0.0) + w * (2.0 - m.start() / n)
        if not scores:
            return "other"
        return max(scores, key=lambda a: (scores[a], -self._area_rank.get(a, 99)))

    def is_sales_posting(self, phrases: Sequence[str], text: str = "") -> bool:
        """Whether the posting is about a commercial role (see `area_of`).

        It is not when its opening (`text`, the first `role_chars` characters) names a
        non-commercial role (CFO, CTO, Chief Security Officer, ...) and no sales or revenue role,
        or when too few of its duty phrases carry revenue vocabulary (a head of accounting).
        """
        opening = text[: self._role_chars].lower()
        if (
            opening
            and self._role_nonsales is not None
            and self._role_nonsales.search(opening)
            and not (self._role_sales is not None and self._role_sales.search(opening))
        ):
            return False
        if self._area_domain is None or len(phrases) < max(self._area_min_phrases, 1):
            return True
        hits = sum(1 for ph in phrases if self._area_domain.search(ph.lower()))
        return hits / len(phrases) >= self._area_min_share

    def rule_areas(self, phrases: Sequence[str], text: str = "") -> list[str]:
        """The rules' remit areas of all duty phrases of one posting (`text` is their context)."""
        sales = self.is_sales_posting(phrases, text)
        return [self.area_of(ph, sales) for ph in phrases]

    def areas_of(self, phrases: Sequence[str], text: str = "") -> list[str]:
        """The remit areas of all duty phrases of one posting: the rules' areas, refined by the
        learned area model if the component has one."""
        return self._refine([(phrases, self.rule_areas(phrases, text))])[0]

    def _refine(self, groups: Sequence[tuple[Sequence[str], list[str]]]) -> list[list[str]]:
        """The areas of several postings' `(phrases, rule areas)` (see `areas.refine_areas`)."""
        from ..areas import refine_areas

        return refine_areas(self.area_model, groups)

    # -- layout --------------------------------------------------------------------------------
    def _lines(self, text: str) -> list[_Line]:
        lines: list[_Line] = []
        for m in _LINE.finditer(text):
            if m.start() == m.end():
                break
            raw = m.group().rstrip("\r\n")
            s, e = m.start(), m.start() + len(raw)
            if not raw.strip():
                lines.append(_Line(s, e, "blank", ""))
                continue
            h = _MD_HEADING.match(raw)
            if h:
                lines.append(_Line(s + h.start(2), s + h.end(2), "heading", h.group(2)))
                continue
            b = _BULLET.match(raw)
            if b and b.end() < len(raw):
                indent = len(b.group("indent").expandtabs(4)) + 2 * (
                    len(b.group("markers").split()) - 1
                )
                content = raw[b.end() :]
                lines.append(_Line(s + b.end(), e, "bullet", content, indent=indent))
                continue
            stripped = raw.strip()
            if self._is_heading(stripped):
                lines.append(_Line(s + raw.index(stripped[0]), e, "heading", stripped))
                continue
            lines.append(
                _Line(
                    s + (len(raw) - len(raw.lstrip())),
                    e,
                    "text",
                    stripped,
                    indent=len(raw) - len(raw.lstrip()),
                )
            )
        return lines

    def _is_heading(self, line: str) -> bool:
        words = _WORDS.findall(line)
        if not words or len(words) > self._heading_max_words:
            return False
        if _BOLD_LINE.match(line):
            return True
        core = line.rstrip(" :*_")
        if core.endswith((".", "!", ",", ";")):
            return False
        if line.rstrip().endswith(":") and len(words) <= 7:
            return True
        letters = [c for c in line if c.isalpha()]
        if len(words) >= 1 and letters and all(c.isupper() for c in letters) and len(letters) > 3:
            return True
        return len(words) <= 6 and self.section_of(_norm_heading(line)) is not None

    def _assign_sections(self, lines: list[_Line]) -> None:
        section = "intro"
        seen: set[str] = set()
        for ln in lines:
            if ln.kind == "heading":
                norm = _norm_heading(ln.text)
                ln.heading_norm = norm
                found = self.section_of(norm)
                if found == "duties_or_benefits":
                    found = "benefits" if "requirements" in seen else "duties"
                if found == "info":
                    pass  # "Location:", "Reports to:" are facts inside a section, not a new one
                elif found is not None:
                    section = found
                elif section != "duties" or len(_WORDS.findall(norm)) > 4:
                    section = "unknown"
                seen.add(section)
            ln.section = section

    # -- units ---------------------------------------------------------------------------------
    def _units(self, text: str, lines: list[_Line]) -> list[_Unit]:
        units: list[_Unit] = []
        i = 0
        n = len(lines)
        while i < n:
            ln = lines[i]
            if ln.kind == "bullet":
                end = ln.end
                j = i + 1
                # wrapped continuation lines of the same bullet
                while (
                    j < n
                    and lines[j].kind == "text"
                    and (lines[j].indent >= 2 or lines[j].text[:1].islower())
                ):
                    end = lines[j].end
                    j += 1
                units.append(_Unit(ln.start, end, "bullet", ln.section, ln.indent))
                i = j
            elif ln.kind == "text":
                start, end = ln.start, ln.end
                j = i + 1
                while j < n and lines[j].kind == "text":
                    end = lines[j].end
                    j += 1
                units.extend(self._sentences(text, start, end, ln.section))
                i = j
            else:
                i += 1
        return units

    def _sentences(self, text: str, start: int, end: int, section: str) -> list[_Unit]:
        out: list[_Unit] = []
        para = text[start:end]
        pos = 0
        cuts: list[tuple[int, int]] = []
        for m in _SENT_END.finditer(para):
            if _ABBREV.search(para[max(0, m.start() - 8) : m.start()]):
                continue
            cuts.append((pos, m.start()))
            pos = m.end()
        cuts.append((pos, len(para)))
        for a, b in cuts:
            # one clause joined by ';' is a phrase of its own
            c = a
            for semi in re.finditer(r";\s+", para[a:b]):
                out.append(_Unit(start + c, start + a + semi.start(), "sentence", section))
                c = a + semi.end()
            out.append(_Unit(start + c, start + b, "sentence", section))
        return out

    # -- decisions -----------------------------------------------------------------------------
    def _is_duty_start(self, s: str) -> bool:
        s = _MARKUP.sub("", s).lstrip().lower()
        return bool(self._duty_start.match(s)) and not self._duty_not_start.match(s)

    def _is_noun_item(self, s: str) -> bool:
        words = _WORDS.findall(s)
        return (
            0 < len(words) <= self._noun_item_max
            and not s.rstrip().endswith(".")
            and not self._duty_start.match(_MARKUP.sub("", s).lstrip().lower())
        )

    def _is_group_label(self, text: str, units: list[_Unit], k: int, phrase: str) -> bool:
        """A short verbless bullet that only names a group ("**Leadership**", "Sales & CS")."""
        plain = _MARKUP.sub("", phrase).strip()
        n = len(_WORDS.findall(plain))
        if n == 0 or n > 6 or self._is_duty_start(plain):
            return False
        if re.fullmatch(r"\s*(\*\*|__)[^*_]+(\*\*|__)\s*:?\s*", phrase):
            return True
        nxt = units[k + 1] if k + 1 < len(units) else None
        return nxt is not None and nxt.kind == "bullet" and nxt.indent > units[k].indent

    def _select(self, text: str, units: list[_Unit]) -> list[_Unit]:
        keep: list[_Unit] = []
        skip_items_below: int | None = None
        for k, u in enumerate(units):
            s, e = _trim(text, u.start, u.end)
            if e <= s:
                continue
            phrase = text[s:e]
            raw_unit = text[u.start : u.end].rstrip()
            if u.kind == "bullet":
                if skip_items_below is not None:
                    if u.indent >= skip_items_below and self._is_noun_item(phrase):
                        continue
                    skip_items_below = None
                if raw_unit.endswith(":"):
                    following = [v for v in units[k + 1 : k + 12] if v.kind == "bullet"]
                    nouns = following and self._is_noun_item(
                        text[following[0].start : following[0].end]
                    )
                    plain = _MARKUP.sub("", phrase).strip()
                    if nouns:
                        skip_items_below = u.indent
                    elif len(_WORDS.findall(plain)) <= self._group_max and not self._is_duty_start(
                        plain
                    ):
                        continue  # a group label such as "Leadership:"
                    if nouns and len(_WORDS.findall(plain)) <= 2:
                        continue
                if self._is_group_label(text, units, k, phrase):
                    continue
                if u.section == "duties":
                    if self._reporting_only.match(_MARKUP.sub("", phrase).strip().lower()):
                        continue
                    keep.append(_Unit(s, e, u.kind, u.section))
                elif u.section in ("intro", "unknown") and self._is_duty_start(phrase):
                    keep.append(_Unit(s, e, u.kind, u.section))
            else:
                skip_items_below = None
                plain = _MARKUP.sub("", phrase).strip().lower()
                if len(_WORDS.findall(plain)) < 3 or self._reporting_only.match(plain):
                    continue
                if u.section == "duties":
                    if self._duty_not_start.match(plain) and not self._duty_sentence.search(plain):
                        continue
                    keep.append(_Unit(s, e, u.kind, u.section))
                elif (
                    u.section in ("intro", "unknown", "info", "company")
                    and self._duty_sentence.search(plain)
                    and not self._duty_not_start.match(plain)
                ):
                    if u.section == "company" and not re.match(r"^(we|wir)\b", plain, re.I):
                        continue
                    keep.append(_Unit(s, e, u.kind, u.section))
        return keep

    # -- spaCy API -----------------------------------------------------------------------------
    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """Return `(start, end, area, section)` for every duty phrase of `text`."""
        return self._find_many([text])[0]

    def _find_many(self, texts: Sequence[str]) -> list[list[tuple[int, int, str, str]]]:
        """`find` for several texts, with one call of the learned area model for all of them."""
        found = []
        for text in texts:
            lines = self._lines(text)
            self._assign_sections(lines)
            units = self._select(text, self._units(text, lines))
            phrases = [text[u.start : u.end] for u in units]
            found.append((units, phrases, self.rule_areas(phrases, text)))
        areas = self._refine([(phrases, rules) for _, phrases, rules in found])
        return [
            [(u.start, u.end, area, u.section) for u, area in zip(units, areas_)]
            for (units, _, _), areas_ in zip(found, areas)
        ]

    def _write(self, doc: Doc, found: list[tuple[int, int, str, str]]) -> Doc:
        spans = []
        for start, end, area, section in found:
            span = doc.char_span(start, end, label=area, alignment_mode="expand")
            if span is None:  # pragma: no cover - expand always finds tokens for non-empty text
                continue
            span._.jd_start = start
            span._.jd_end = end
            span._.section = section
            spans.append(span)
        doc.spans[self.span_key] = spans
        return doc

    def __call__(self, doc: Doc) -> Doc:
        return self._write(doc, self.find(doc.text))

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 64) -> Iterator[Doc]:
        """`__call__` over a stream (used by `nlp.pipe`), areas predicted a batch at a time."""
        from spacy.util import minibatch

        for batch in minibatch(stream, size=batch_size):
            for doc, found in zip(batch, self._find_many([d.text for d in batch])):
                yield self._write(doc, found)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        from ..areas import AREA_MODEL_FILE, save_area_model

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "patterns.json", self.patterns)
        srsly.write_json(
            path / "cfg", {"span_key": self.span_key, "area_model": self.area_model is not None}
        )
        if self.area_model is not None:
            save_area_model(self.area_model, path / AREA_MODEL_FILE)

    def from_disk(
        self, path: str | Path, *, exclude: Iterable[str] = ()
    ) -> ResponsibilityExtractor:
        path = Path(path)
        self.patterns = json.loads((path / "patterns.json").read_text(encoding="utf-8"))
        cfg = srsly.read_json(path / "cfg")
        self.span_key = cfg.get("span_key", SPAN_KEY)
        self.area_model = None
        if cfg.get("area_model"):
            from ..areas import AREA_MODEL_FILE, load_area_model

            self.area_model = load_area_model(path / AREA_MODEL_FILE)
        self._compile()
        return self
