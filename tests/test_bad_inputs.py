"""Hostile and broken inputs: every case ends in a correct result or a one-line error.

Each case builds its input in a temporary folder, runs one or more commands, and states what
must happen. The README section "Limits and errors" lists the same behaviour.
"""

from __future__ import annotations

import csv
import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import CRO_POSTING, CSO_POSTING, OTHER_POSTING

from jdtool.cli import cli

GERMAN = (
    "Vertriebsleiter (m/w/d)\n\nIhre Aufgaben\n- Führung des Vertriebsteams im "
    "Außendienst\n- Verantwortung für Umsatzziele und Größenwachstum\n"
)


def png_bytes() -> bytes:
    raw = b"\x00\xff\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + b"IHDR"
        + struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
        + b"\0\0\0\0"
        + struct.pack(">I", len(zlib.compress(raw)))
        + b"IDAT"
        + zlib.compress(raw)
        + b"\0\0\0\0"
    )


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("posting.txt", CRO_POSTING)
    return buf.getvalue()


def labelled(text: str, label: str, i: int, **extra) -> str:
    return json.dumps({"id": f"p{i}", "lang": "en", "label": label, "text": text, **extra})


# name -> (files to write {name: bytes|str}, list of (command args, expected exit, output must contain))
Case = tuple[dict[str, bytes | str], list[tuple[list[str], int, str]]]


def cases() -> dict[str, Case]:
    return {
        "empty file": (
            {"e.txt": ""},
            [(["classify", "{e.txt}"], 1, "empty"), (["extract", "{e.txt}"], 1, "empty")],
        ),
        "whitespace only": (
            {"w.txt": "  \n\t\n  "},
            [(["classify", "{w.txt}"], 1, "empty"), (["extract", "{w.txt}"], 1, "empty")],
        ),
        "binary png": (
            {"p.txt": png_bytes()},
            [(["classify", "{p.txt}"], 1, "binary"), (["extract", "{p.txt}"], 1, "binary")],
        ),
        "zip renamed .md": ({"z.md": zip_bytes()}, [(["classify", "{z.md}"], 1, "binary")]),
        "latin-1 german": (
            {"l.txt": GERMAN.encode("latin-1")},
            [(["extract", "{l.txt}"], 0, "Führung des Vertriebsteams im Außendienst")],
        ),
        "windows-1252 german": (
            {"c.txt": ("„Zitat“ – Preis 5 € " + GERMAN).encode("cp1252")},
            [(["extract", "{c.txt}"], 0, "Größenwachstum")],
        ),
        "utf-16 with bom": (
            {"u.txt": GERMAN.encode("utf-16")},
            [(["extract", "{u.txt}"], 0, "Führung des Vertriebsteams")],
        ),
        "utf-8 with bom": (
            {"b.txt": b"\xef\xbb\xbf" + GERMAN.encode()},
            [(["classify", "{b.txt}"], 0, '"lang": "de"')],
        ),
        "mixed line endings": (
            {
                "m.txt": "Responsibilities\r\n- Lead the sales team\r- Own the "
                "forecast\n- Close deals\r\n"
            },
            [(["extract", "{m.txt}"], 0, '"text": "Own the forecast"')],
        ),
        "html with script, style, entities, nested lists": (
            {
                "h.html": (
                    "<html><head><style>.x{}</style><script>alert('Lead the world')</script></head><body>"
                    "<h2>Responsibilities</h2><ul><li>Lead the sales &amp; marketing teams<ul><li>Hire "
                    "regional managers</li></ul></li><li>Own renewals &ndash; and churn</li></ul></body></html>"
                )
            },
            [
                (["extract", "{h.html}"], 0, "Lead the sales & marketing teams"),
                (["classify", "{h.html}"], 0, '"label"'),
            ],
        ),
        "jsonl with a broken line": (
            {"j.jsonl": json.dumps({"text": CSO_POSTING}) + "\n{oops\n"},
            [
                (["classify", "{j.jsonl}"], 1, "j.jsonl:2: invalid JSON"),
                (["classify", "--skip-invalid", "{j.jsonl}"], 0, '"label": "cso"'),
                (["extract", "{j.jsonl}"], 1, "j.jsonl:2"),
            ],
        ),
        "jsonl record without text": (
            {"t.jsonl": '{"id": "a", "title": "VP"}\n'},
            [(["classify", "{t.jsonl}"], 1, "t.jsonl:1: the record has no 'text'")],
        ),
        "csv without text column": (
            {"n.csv": "id,body\n1,hello\n"},
            [(["classify", "{n.csv}"], 1, "no 'text' column")],
        ),
        "csv with newlines and quotes": (
            {
                "q.csv": _csv(
                    [["id", "text"], ["q1", CSO_POSTING.replace("VP Sales", 'VP "Sales", EMEA')]]
                )
            },
            [(["classify", "{q.csv}"], 0, '"id": "q1"')],
        ),
        "non-existent path": (
            {},
            [
                (["classify", "nope/none.txt"], 1, "no such file"),
                (["train", "nope.jsonl", "-o", "m"], 1, "no such file"),
                (["evaluate", "nope.jsonl"], 1, "no such file"),
                (["corpus", "check", "nope.jsonl"], 1, "no such file"),
            ],
        ),
        "unsupported file type": (
            {"x.pdf": b"%PDF-1.4"},
            [(["classify", "{x.pdf}"], 1, "unsupported file type")],
        ),
        "corpus with one class": (
            {"one.jsonl": "\n".join(labelled(CSO_POSTING + str(i), "cso", i) for i in range(6))},
            [(["train", "{one.jsonl}", "-o", "m"], 1, "only the class(es) cso")],
        ),
        "corpus with unknown label": (
            {"u.jsonl": labelled(CSO_POSTING, "ceo", 1)},
            [
                (["train", "{u.jsonl}", "-o", "m"], 1, "unknown label 'ceo'"),
                (["evaluate", "{u.jsonl}"], 1, "unknown label"),
                (["corpus", "check", "{u.jsonl}"], 1, "not one of"),
            ],
        ),
        "corpus with offsets outside the text": (
            {
                "o.jsonl": labelled(
                    CSO_POSTING, "cso", 1, spans=[{"start": 5, "end": 99999, "area": "other"}]
                )
            },
            [
                (["train", "{o.jsonl}", "-o", "m"], 1, "outside the text"),
                (["evaluate", "{o.jsonl}", "--task", "extract"], 1, "outside the text"),
                (["corpus", "check", "{o.jsonl}"], 1, "outside the text"),
            ],
        ),
        "posting in french": (
            {
                "f.txt": "Directeur commercial\n\nVos missions\n- Vous dirigez "
                "l'équipe de vente et vous êtes responsable du chiffre d'affaires "
                "de la région avec nos partenaires.\n"
            },
            [
                (["classify", "{f.txt}"], 0, '"needs_review": true'),
                (["classify", "{f.txt}"], 0, '"lang": "fr"'),
            ],
        ),
        "csv formula injection": (
            {"i.csv": _csv([["id", "text"], ["=HYPERLINK(1)", OTHER_POSTING]])},
            [(["classify", "--format", "csv", "{i.csv}"], 0, "'=HYPERLINK(1)")],
        ),
    }


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()


def _run(runner, tmp_path: Path, files: dict, steps: list) -> None:
    for name, content in files.items():
        p = tmp_path / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    for args, code, needle in steps:
        argv = [str(tmp_path / a[1:-1]) if a.startswith("{") else a for a in args]
        argv = [str(tmp_path / a) if a in ("m", "nope.jsonl", "nope/none.txt") else a for a in argv]
        r = runner.invoke(cli, argv)
        out = r.output
        assert r.exit_code == code, (argv, out[-500:], r.exception)
        assert needle in out, (argv, out[-800:])
        assert "Traceback" not in out
        if code:
            errors = [ln for ln in out.splitlines() if ln.startswith("Error:")]
            assert len(errors) == 1 and isinstance(r.exception, SystemExit), out


@pytest.mark.parametrize("name", list(cases()))
def test_bad_input(name, runner, tmp_path):
    files, steps = cases()[name]
    _run(runner, tmp_path, files, steps)


def test_50_mb_file_hits_the_size_limit_and_max_bytes_raises_it(runner, tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NUL bytes, never read
    r = runner.invoke(cli, ["classify", str(big)])
    assert r.exit_code == 1 and "over the limit" in r.output and "--max-bytes" in r.output
    small = tmp_path / "small.txt"
    small.write_text(CRO_POSTING * 4)
    r = runner.invoke(cli, ["extract", "--max-bytes", "100", str(small)])
    assert r.exit_code == 1 and "over the limit of 100 bytes" in r.output
    r = runner.invoke(cli, ["extract", "--max-bytes", "100000", str(small)])
    assert r.exit_code == 0


def test_directory_with_unreadable_and_unsupported_files(runner, tmp_path):
    (tmp_path / "a.txt").write_text(CSO_POSTING)
    (tmp_path / "b.pdf").write_bytes(b"%PDF")
    (tmp_path / "c.md").symlink_to(tmp_path / "missing.md")  # dangling link: unreadable
    r = runner.invoke(cli, ["classify", str(tmp_path)])
    assert r.exit_code == 1 and "c.md" in r.output and "Traceback" not in r.output
    r = runner.invoke(cli, ["classify", "--skip-invalid", str(tmp_path)])
    assert r.exit_code == 0
    assert len([ln for ln in r.stdout.splitlines() if ln.startswith("{")]) == 1
    assert "b.pdf: skipped, unsupported" in r.stderr and "c.md" in r.stderr


def test_output_file_is_atomic_on_error(runner, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(CSO_POSTING)
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n")
    r = runner.invoke(cli, ["classify", "-o", str(out), str(good), str(tmp_path / "missing.txt")])
    assert r.exit_code == 1
    assert out.read_text() == "previous results\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []
