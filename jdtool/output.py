"""Writing results: atomic files, record formats (json, jsonl, csv, table) and text reports."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import InputError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@contextlib.contextmanager
def atomic_writer(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file beside `path`; it replaces `path` only if the block succeeds."""
    target = Path(path)
    parent = target.resolve().parent
    if not parent.is_dir():
        raise InputError(f"{target}: the folder {parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    try:
        if "b" in mode:
            fh: IO[Any] = os.fdopen(fd, mode)
        else:
            fh = os.fdopen(fd, mode, encoding="utf-8", newline="")
        with fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def csv_safe(value: Any) -> str:
    """A cell value that spreadsheets will not run as a formula."""
    s = "" if value is None else str(value)
    if s.startswith(_FORMULA_START):
        return "'" + s
    return s


def write_records(
    records: Iterable[dict[str, Any]],
    fh: IO[str],
    fmt: str,
    csv_row: Any = None,
    csv_fields: list[str] | None = None,
    table_lines: Any = None,
) -> int:
    """Stream records to `fh` as json (one array), jsonl, csv or table; return the count."""
    n = 0
    if fmt == "json":
        fh.write("[")
        for rec in records:
            fh.write(("\n" if n == 0 else ",\n") + json.dumps(rec, ensure_ascii=False))
            n += 1
        fh.write("\n]\n" if n else "]\n")
    elif fmt == "jsonl":
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
            fh.flush() if n % 256 == 0 else None
    elif fmt == "csv":
        assert csv_row is not None and csv_fields is not None
        w = csv.writer(fh)
        w.writerow(csv_fields)
        for rec in records:
            w.writerow([csv_safe(v) for v in csv_row(rec)])
            n += 1
    else:
        assert table_lines is not None
        for rec in records:
            for line in table_lines(rec):
                fh.write(line + "\n")
            n += 1
    return n


def records_to_string(records: Iterable[dict[str, Any]], fmt: str, **kw: Any) -> str:
    """Like `write_records`, into a string."""
    buf = io.StringIO()
    write_records(records, buf, fmt, **kw)
    return buf.getvalue()


# -- classify -----------------------------------------------------------------------------------

CLASSIFY_CSV_FIELDS = [
    "id",
    "lang",
    "label",
    "confidence",
    "score_cro",
    "score_cso",
    "score_other",
    "needs_review",
    "reason",
    "evidence",
]


def classify_csv_row(r: dict[str, Any]) -> list[Any]:
    ev = "; ".join(f"{e['text']} [{e['area']}]" for e in r["evidence"])
    s = r["scores"]
    return [
        r["id"],
        r["lang"],
        r["label"],
        r["confidence"],
        s.get("cro"),
        s.get("cso"),
        s.get("other"),
        str(r.get("needs_review", False)).lower(),
        r.get("reason", ""),
        ev,
    ]


def classify_table_lines(r: dict[str, Any]) -> list[str]:
    flag = "  NEEDS REVIEW" if r.get("needs_review") else ""
    lines = [
        f"{r['id']}  [{r['lang']}]  {r['label'].upper()}  {r['confidence']:.2f}{flag}",
        f"  why: {r.get('reason', '')}",
    ]
    for e in r["evidence"][:3]:
        text = " ".join(e["text"].split())
        text = text if len(text) <= 90 else text[:87] + "..."
        signal = f"; {e['signal']}" if e.get("signal") else ""
        lines.append(f"  + {text}  ({e['area']}{signal})")
    return lines


# -- extract ------------------------------------------------------------------------------------

EXTRACT_CSV_FIELDS = ["id", "lang", "start", "end", "area", "section", "text"]


def extract_rows(r: dict[str, Any]) -> Iterator[list[Any]]:
    for p in r["phrases"]:
        yield [r["id"], r["lang"], p["start"], p["end"], p["area"], p["section"], p["text"]]


def extract_table_lines(r: dict[str, Any]) -> list[str]:
    lines = [f"{r['id']}  [{r['lang']}]  {len(r['phrases'])} phrases"]
    for p in r["phrases"]:
        text = " ".join(p["text"].split())
        text = text if len(text) <= 90 else text[:87] + "..."
        lines.append(f"  {p['area']:<17} {text}")
    return lines


def write_extract_csv(records: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    """Extraction as CSV: one row per phrase."""
    w = csv.writer(fh)
    w.writerow(EXTRACT_CSV_FIELDS)
    n = 0
    for rec in records:
        for row in extract_rows(rec):
            w.writerow([csv_safe(v) for v in row])
        n += 1
    return n


# -- reports ------------------------------------------------------------------------------------


def classify_report_text(rep: dict[str, Any], title: str = "Classification") -> str:
    """A readable classify report (per class, confusion, calibration, per language)."""
    out = [
        f"{title}: n={rep['n']}  accuracy={rep['accuracy']:.3f}  macro-F1={rep['macro_f1']:.3f}"
        + (f"  ECE={rep['calibration']['ece']:.3f}" if "calibration" in rep else ""),
        "",
        f"{'class':<8}{'precision':>10}{'recall':>8}{'F1':>8}{'support':>9}",
    ]
    for lab, s in rep["per_class"].items():
        out.append(
            f"{lab:<8}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['support']:>9}"
        )
    labels = rep["confusion"]["labels"]
    out += [
        "",
        "confusion (rows: gold, columns: predicted)",
        " " * 8 + "".join(f"{lab:>8}" for lab in labels),
    ]
    for lab, row in zip(labels, rep["confusion"]["matrix"]):
        out.append(f"{lab:<8}" + "".join(f"{v:>8}" for v in row))
    review = rep.get("calibration", {}).get("review")
    if review:
        out += ["", "with --min-confidence T (the rest marked needs_review):"]
        for r in review:
            out.append(
                f"  T={r['min_confidence']:.1f}: answers {r['answered']:.0%} of postings, "
                f"accuracy {r['accuracy']:.3f} among them"
            )
    if "per_language" in rep:
        out += ["", "per language:"]
        for lang, s in rep["per_language"].items():
            out.append(
                f"  {lang}: n={s['n']}  accuracy={s['accuracy']:.3f}  macro-F1={s['macro_f1']:.3f}"
            )
    if "baselines" in rep:
        out += ["", "baselines on the same data (macro-F1):"]
        for name, b in rep["baselines"].items():
            out.append(f"  {name}: {b['macro_f1']:.3f}  (accuracy {b['accuracy']:.3f})")
    return "\n".join(out)


def extract_report_text(rep: dict[str, Any]) -> str:
    """A readable extraction report (exact and overlap P/R/F1, area accuracy, per language)."""

    def line(name: str, b: dict[str, Any]) -> str:
        e, o = b["exact"], b["overlap"]
        return (
            f"{name:<6} docs={b['n_docs']:<4} exact P/R/F1 {e['precision']:.3f}/"
            f"{e['recall']:.3f}/{e['f1']:.3f}  overlap P/R/F1 {o['precision']:.3f}/"
            f"{o['recall']:.3f}/{o['f1']:.3f}  area accuracy {b['area_accuracy']:.3f}"
        )

    out = ["Extraction (LABELS.md section 2 matching)", line("all", rep)]
    for lang, b in rep.get("per_language", {}).items():
        out.append(line(lang, b))
    return "\n".join(out)
