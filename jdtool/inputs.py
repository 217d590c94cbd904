"""Reading postings from files, directories, JSONL, CSV and stdin, one record at a time."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import InputError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
RECORD_SUFFIXES = {".jsonl", ".csv"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | RECORD_SUFFIXES
DEFAULT_MAX_BYTES = 5_000_000  # one posting; a JSONL/CSV stream may be any size
STDIN = "-"


@dataclass
class Posting:
    """One posting as read: its text exactly as given plus optional metadata and gold labels."""

    id: str
    text: str
    title: str = ""
    lang: str | None = None
    label: str | None = None
    spans: list[dict[str, Any]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a posting's bytes: BOMs first, then UTF-8, then a charset detector; refuse binaries."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
    ):
        if data.startswith(bom) and not (enc == "utf-16" and data.startswith(codecs.BOM_UTF32_LE)):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise InputError(
                    f"{name}: not valid {enc} text ({e.reason}); re-save it as UTF-8"
                ) from e
    if b"\x00" in data[:8192]:
        raise InputError(
            f"{name}: looks like a binary file, not a text posting; pass .txt, .md, "
            ".html, .jsonl or .csv files"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise InputError(
            f"{name}: cannot tell the character encoding (binary file?); re-save it as UTF-8 text"
        )
    enc = best.encoding
    # cp1252 is a superset of latin-1 for the printable range and what Windows editors write
    if enc in ("latin_1", "iso8859_1", "iso8859_15"):
        enc = "cp1252"
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _check_text(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(f"{name}: the posting is empty; give a file with the posting's text")
    return text


def read_text_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read one posting file (text, Markdown or HTML) and return its decoded text."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: {size:,} bytes is over the limit of {max_bytes:,} bytes for "
                "one posting; raise it with --max-bytes if this is really one posting"
            )
        data = path.read_bytes()
    except PermissionError as e:
        raise InputError(f"{path}: permission denied; check the file's read permissions") from e
    except IsADirectoryError as e:
        raise InputError(f"{path}: is a directory") from e
    except OSError as e:
        raise InputError(f"{path}: cannot read it ({e.strerror})") from e
    return _check_text(decode_bytes(data, str(path)), str(path))


def _record_to_posting(obj: Any, where: str, default_id: str) -> Posting:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object with a 'text' field")
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: the record has no 'text' string; every record needs one")
    text = _check_text(text, where)
    rid = obj.get("id")
    lang = obj.get("lang") or None
    spans = obj.get("spans")
    return Posting(
        id=str(rid) if rid not in (None, "") else default_id,
        text=text,
        title=str(obj.get("title") or ""),
        lang=str(lang).lower() if lang else None,
        label=(str(obj["label"]).strip().lower() if obj.get("label") not in (None, "") else None),
        spans=spans if isinstance(spans, list) else None,
        extra={
            k: v
            for k, v in obj.items()
            if k not in {"id", "text", "title", "lang", "label", "spans"}
        },
    )


@dataclass
class ReadOptions:
    """How inputs are read: size limit per posting and what to do with a broken record."""

    max_bytes: int = DEFAULT_MAX_BYTES
    skip_invalid: bool = False
    on_skip: Any = None  # callable(message) told about each skipped record
    records_only: bool = False  # folders: read .jsonl/.csv only (corpora), skip text files quietly


def _skip_or_raise(err: InputError, opts: ReadOptions) -> None:
    if not opts.skip_invalid:
        raise err
    if opts.on_skip is not None:
        opts.on_skip(str(err))


def _open_text_stream(path: Path | None, name: str) -> IO[str]:
    raw: IO[bytes]
    if path is None:
        raw = sys.stdin.buffer
    else:
        try:
            raw = path.open("rb")
        except OSError as e:
            raise InputError(f"{name}: cannot read it ({e.strerror})") from e
    head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
    encoding = "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    return io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")


def iter_jsonl(stream: IO[str], name: str, opts: ReadOptions) -> Iterator[Posting]:
    """Yield one Posting per non-blank JSONL line; errors name the line."""
    lineno = 0
    while True:
        try:
            line = stream.readline()
        except UnicodeDecodeError as e:
            raise InputError(
                f"{name}:{lineno + 1}: not UTF-8 text ({e.reason}); re-save the file as UTF-8"
            ) from e
        if not line:
            return
        lineno += 1
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        if len(line) > opts.max_bytes:
            _skip_or_raise(
                InputError(
                    f"{where}: record over the limit of {opts.max_bytes:,} bytes; "
                    "raise it with --max-bytes"
                ),
                opts,
            )
            continue
        try:
            obj = json.loads(line)
            yield _record_to_posting(obj, where, default_id=where)
        except json.JSONDecodeError as e:
            _skip_or_raise(
                InputError(
                    f"{where}: invalid JSON ({e.msg} at column {e.colno}); "
                    "fix the line or pass --skip-invalid"
                ),
                opts,
            )
        except InputError as e:
            _skip_or_raise(e, opts)


def iter_csv(stream: IO[str], name: str, opts: ReadOptions) -> Iterator[Posting]:
    """Yield one Posting per CSV row; the header must name a `text` column."""
    csv.field_size_limit(max(opts.max_bytes, 131072))
    reader = csv.DictReader(stream)
    try:
        fields = reader.fieldnames
    except (csv.Error, UnicodeDecodeError) as e:
        raise InputError(f"{name}: cannot read the CSV header ({e}); is it a UTF-8 CSV?") from e
    if not fields or "text" not in [f.strip().lower() for f in fields]:
        raise InputError(
            f"{name}: the CSV has no 'text' column; the header must name at least "
            "'text' (and optionally id, title, lang, label)"
        )
    rowno = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as e:
            raise InputError(f"{name}:{reader.line_num}: broken CSV row ({e})") from e
        rowno += 1
        where = f"{name}:{reader.line_num}"
        clean = {(k or "").strip().lower(): v for k, v in row.items() if k is not None}
        try:
            yield _record_to_posting(clean, where, default_id=f"{name}:{rowno}")
        except InputError as e:
            _skip_or_raise(e, opts)


def _iter_file(path: Path, opts: ReadOptions) -> Iterator[Posting]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with _open_text_stream(path, str(path)) as fh:
            yield from iter_jsonl(fh, str(path), opts)
    elif suffix == ".csv":
        with _open_text_stream(path, str(path)) as fh:
            yield from iter_csv(fh, str(path), opts)
    else:
        try:
            text = read_text_file(path, opts.max_bytes)
        except InputError as e:
            _skip_or_raise(e, opts)
            return
        yield Posting(
            id=str(path), text=text, extra={"format": "html"} if suffix in (".html", ".htm") else {}
        )


def _walk(directory: Path, opts: ReadOptions) -> Iterator[Path]:
    entries: list[Path] = []
    try:
        for root, dirs, files in os.walk(directory, onerror=None):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for f in sorted(files):
                if not f.startswith("."):
                    entries.append(Path(root) / f)
    except OSError as e:  # pragma: no cover - os.walk reports through onerror
        raise InputError(f"{directory}: cannot list it ({e.strerror})") from e
    wanted = RECORD_SUFFIXES if opts.records_only else SUPPORTED_SUFFIXES
    for p in entries:
        if opts.records_only and p.suffix.lower() in TEXT_SUFFIXES:
            continue  # a corpus folder's README.md or notes
        if p.suffix.lower() in wanted:
            yield p
        elif opts.on_skip is not None:
            opts.on_skip(
                f"{p}: skipped, unsupported file type (use "
                + ", ".join(sorted(SUPPORTED_SUFFIXES))
                + ")"
            )


def iter_postings(inputs: Iterable[str], opts: ReadOptions | None = None) -> Iterator[Posting]:
    """Yield postings from paths (files or directories) or `-` (stdin), in the order given.

    Raises InputError for a missing path, an unsupported file named directly, or a bad record
    (unless `opts.skip_invalid`).
    """
    opts = opts or ReadOptions()
    for item in inputs:
        if item == STDIN:
            data = sys.stdin.buffer.read(opts.max_bytes + 1)
            stripped = data.lstrip()
            if stripped.startswith(b"{"):
                yield from iter_jsonl(io.StringIO(decode_bytes(data, "<stdin>")), "<stdin>", opts)
                continue
            if len(data) > opts.max_bytes:
                raise InputError(
                    f"<stdin>: over the limit of {opts.max_bytes:,} bytes for one "
                    "posting; raise it with --max-bytes"
                )
            yield Posting(id="<stdin>", text=_check_text(decode_bytes(data, "<stdin>"), "<stdin>"))
            continue
        path = Path(item)
        if not path.exists():
            raise InputError(f"{item}: no such file or directory")
        if path.is_dir():
            for p in _walk(path, opts):
                yield from _iter_file(p, opts)
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield from _iter_file(path, opts)
        else:
            raise InputError(
                f"{item}: unsupported file type '{path.suffix}'; use "
                + ", ".join(sorted(SUPPORTED_SUFFIXES))
            )
