"""`jdtool check`: a linter for job postings (generated or not), English and German.

Findings: gender-coded wording (with neutral alternatives), AGG red flags in German postings
(and their English equivalents), a German title without a gender marker, a missing pay range,
a length outside a sensible band, and no duties found by the extractor. Rules: check_rules.yaml.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).with_name("check_rules.yaml")


@dataclass
class Finding:
    """One problem found in a posting."""

    level: str  # error | warning
    code: str
    message: str
    start: int | None = None
    end: int | None = None
    text: str | None = None
    suggestion: str | None = None


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    import yaml

    with RULES_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _title(text: str) -> tuple[int, str]:
    for m in re.finditer(r"[^\n]+", text):
        line = m.group().strip("#*_ \t")
        if line:
            return m.start(), line
    return 0, ""


def check_text(text: str, lang: str, phrases: int | None = None) -> list[Finding]:
    """Lint one posting's plain text; `phrases` is the number of duties the extractor found."""
    r = _rules()
    out: list[Finding] = []
    flags = re.IGNORECASE | re.UNICODE
    for group, code, level in (
        ("gender_coded", "gender-coded", "warning"),
        ("agg_red_flags", "agg" if lang == "de" else "exclusion", "error"),
    ):
        for pattern, why, suggestion in r[group].get(lang, []):
            for m in re.finditer(pattern, text, flags):
                out.append(
                    Finding(
                        level,
                        code,
                        f"'{m.group()}': {why}",
                        m.start(),
                        m.end(),
                        m.group(),
                        suggestion,
                    )
                )
    if lang == "de":
        pos, title = _title(text)
        if title and not re.search(r["de_title_markers"], title, flags):
            out.append(
                Finding(
                    "error",
                    "agg-title",
                    "Titel ohne Geschlechterhinweis wie (m/w/d) (AGG § 11)",
                    pos,
                    pos + len(title),
                    title,
                    f"{title} (m/w/d)",
                )
            )
    if not re.search(r["pay_range"], text, flags):
        out.append(
            Finding(
                "warning",
                "no-pay-range",
                "no pay range found (EU pay-transparency directive 2023/970)",
                suggestion="state a salary range, e.g. 90,000 – 110,000 EUR",
            )
        )
    words = len(re.findall(r"\w+", text))
    lo, hi = r["length_words"]
    if words < lo or words > hi:
        out.append(
            Finding(
                "warning",
                "length",
                f"{words} words; postings between {lo} and {hi} words read best",
            )
        )
    if phrases == 0:
        out.append(
            Finding(
                "error",
                "no-duties",
                "no duties section or duty statements found",
                suggestion="add a section such as 'Responsibilities' / 'Ihre Aufgaben'",
            )
        )
    return out


def check_postings(postings: Any, model: Any = None, lang: str = "auto") -> list[dict[str, Any]]:
    """Lint postings; returns one record per posting with its findings."""
    from . import load_model

    m = model if model is not None else load_model()
    out = []
    for a in m.extractor.analyze_many(postings, lang=lang):
        findings = check_text(
            a.text, a.lang if a.lang in ("en", "de") else "en", phrases=len(a.phrases)
        )
        out.append(
            {
                "id": a.id,
                "lang": a.lang,
                "errors": sum(f.level == "error" for f in findings),
                "warnings": sum(f.level == "warning" for f in findings),
                "findings": [asdict(f) for f in findings],
            }
        )
    return out


def check_report_text(records: list[dict[str, Any]]) -> str:
    """Readable `check` output."""
    lines = []
    for rec in records:
        lines.append(
            f"{rec['id']}  [{rec['lang']}]  {rec['errors']} error(s), {rec['warnings']} warning(s)"
        )
        for f in rec["findings"]:
            hint = f"  -> {f['suggestion']}" if f.get("suggestion") else ""
            lines.append(f"  {f['level']:<7} {f['code']:<13} {f['message']}{hint}")
    return "\n".join(lines)
