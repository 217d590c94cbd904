"""The CLI contract: every command, its output formats and its error paths."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from jdtool.cli import cli


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_help_is_fast_path_and_lists_commands(runner):
    r = runner.invoke(cli, ["--help"])
    assert r.exit_code == 0
    for cmd in ("classify", "extract", "generate", "train", "evaluate", "info", "corpus"):
        assert cmd in r.output


def test_classify_jsonl_records(runner, posting_files):
    r = runner.invoke(
        cli,
        [
            "classify",
            str(posting_files["cro.md"]),
            str(posting_files["cso.txt"]),
            str(posting_files["other.md"]),
        ],
    )
    assert r.exit_code == 0, r.output
    recs = jsonl(r.output)
    assert [x["label"] for x in recs] == ["cro", "cso", "other"]
    for rec in recs:
        assert set(rec) >= {"id", "lang", "label", "confidence", "scores", "evidence"}
        assert abs(sum(rec["scores"].values()) - 1) < 1e-3
        assert rec["confidence"] == max(rec["scores"].values())
        assert rec["id"].endswith((".md", ".txt"))
    assert recs[0]["evidence"] and {"text", "area", "weight"} <= set(recs[0]["evidence"][0])


def test_classify_json_table_and_csv(runner, posting_files):
    path = str(posting_files["cso.txt"])
    r = runner.invoke(cli, ["classify", "--format", "json", path])
    assert r.exit_code == 0 and json.loads(r.output)[0]["label"] == "cso"
    r = runner.invoke(cli, ["classify", "--format", "table", path])
    assert r.exit_code == 0 and "CSO" in r.output and "why:" in r.output
    r = runner.invoke(cli, ["classify", "--format", "csv", path])
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert r.exit_code == 0 and rows[0]["label"] == "cso" and rows[0]["evidence"]


def test_classify_reads_jsonl_with_and_without_ids(runner, tmp_path):
    from conftest import CRO_POSTING, CSO_POSTING

    f = tmp_path / "in.jsonl"
    f.write_text(
        json.dumps({"id": "a1", "text": CRO_POSTING})
        + "\n\n"
        + json.dumps({"text": CSO_POSTING, "lang": "en"})
        + "\n",
        encoding="utf-8",
    )
    r = runner.invoke(cli, ["classify", str(f)])
    assert r.exit_code == 0, r.output
    recs = jsonl(r.output)
    assert [x["id"] for x in recs] == ["a1", f"{f}:3"]


def test_classify_reads_csv_and_stdin(runner, tmp_path):
    from conftest import CSO_POSTING, OTHER_POSTING

    f = tmp_path / "in.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "text"])
        w.writerow(["x", "VP Sales", CSO_POSTING])
    r = runner.invoke(cli, ["classify", str(f)])
    assert r.exit_code == 0 and jsonl(r.output)[0]["id"] == "x"
    r = runner.invoke(cli, ["classify", "-"], input=OTHER_POSTING)
    assert r.exit_code == 0 and jsonl(r.output)[0]["id"] == "<stdin>"
    assert jsonl(r.output)[0]["label"] == "other"


def test_classify_directory_in_order(runner, posting_files):
    folder = posting_files["cro.md"].parent
    r = runner.invoke(cli, ["classify", str(folder)])
    assert r.exit_code == 0
    ids = [Path(x["id"]).name for x in jsonl(r.output)]
    assert ids == sorted(ids)


def test_min_confidence_marks_needs_review(runner, posting_files):
    r = runner.invoke(cli, ["classify", "--min-confidence", "1.0", str(posting_files["cso.txt"])])
    assert r.exit_code == 0
    rec = jsonl(r.output)[0]
    assert rec["needs_review"] is True and rec["label"] == "other"


def test_extract_records_and_offsets(runner, posting_files):
    path = posting_files["de_cso.txt"]
    r = runner.invoke(cli, ["extract", str(path)])
    assert r.exit_code == 0
    rec = jsonl(r.output)[0]
    text = path.read_text(encoding="utf-8")
    assert rec["lang"] == "de"
    assert [p["text"] for p in rec["phrases"]] == [
        "Sie führen unser Vertriebsteam mit 8 Außendienstmitarbeitenden",
        "Verantwortung für Umsatzziele und Forecast in der Region Süd",
        "Enge Zusammenarbeit mit dem Marketing bei Messen",
    ]
    for p in rec["phrases"]:
        assert text[p["start"] : p["end"]] == p["text"]
        assert set(p) == {"start", "end", "text", "area", "section"}


def test_extract_formats_and_html_rendering(runner, posting_files, tmp_path):
    path = str(posting_files["cro.md"])
    r = runner.invoke(cli, ["extract", "--format", "csv", path])
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert r.exit_code == 0 and len(rows) == 4 and rows[0]["area"]
    r = runner.invoke(cli, ["extract", "--format", "table", path])
    assert r.exit_code == 0 and "4 phrases" in r.output
    out = tmp_path / "spans.html"
    r = runner.invoke(cli, ["extract", "--html", str(out), path])
    assert r.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<html" in html.lower() and "customer_success" in html.lower()


def test_output_file_is_written(runner, posting_files, tmp_path):
    out = tmp_path / "out.jsonl"
    r = runner.invoke(cli, ["classify", "-o", str(out), str(posting_files["cro.md"])])
    assert r.exit_code == 0 and r.output == ""
    assert jsonl(out.read_text())[0]["label"] == "cro"


def test_generate_each_format(runner):
    for fmt, probe in (("md", "## "), ("html", "<h2>"), ("txt", "- "), ("jsonld", '"@type"')):
        r = runner.invoke(cli, ["generate", "--remit", "cro", "--company", "Acme", "--format", fmt])
        assert r.exit_code == 0, r.output
        assert probe in r.output and "Acme" in r.output


def test_train_evaluate_info_round_trip(runner, small_corpus, tmp_path):
    out = tmp_path / "m"
    r = runner.invoke(
        cli,
        ["train", str(small_corpus), "-o", str(out), "--cv", "2", "--seed", "1"]
        + ["--rule-weight", "0.7"],
    )
    assert r.exit_code == 0, r.output
    assert "2-fold cross-validation" in r.output and "macro-F1" in r.output
    # the 36 postings carry enough area-annotated spans for the learned area model
    areas = json.loads((out / "meta.json").read_text())["area_model"]
    assert areas["n_spans"] >= 200
    assert f"remit areas: learned from {areas['n_spans']} annotated spans" in r.output
    assert {p.name for p in out.iterdir()} >= {"model.skops", "meta.json", "README.md"}
    assert json.loads((out / "meta.json").read_text())["params"] == {"rule_weight": 0.7}
    assert "weight of the rules: 0.7" in (out / "README.md").read_text()
    bad = runner.invoke(cli, ["train", str(small_corpus), "-o", str(out), "--rule-weight", "2"])
    assert bad.exit_code == 2 and "rule-weight" in bad.output
    r = runner.invoke(cli, ["evaluate", str(small_corpus), "--model", str(out), "--format", "json"])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.output)
    assert rep["task"] == "classify" and rep["n"] == 36
    assert set(rep["per_class"]) == {"cro", "cso", "other"}
    assert rep["confusion"]["labels"] == ["cro", "cso", "other"]
    assert 0 <= rep["calibration"]["ece"] <= 1
    r = runner.invoke(
        cli,
        [
            "evaluate",
            str(small_corpus),
            "--model",
            str(out),
            "--task",
            "extract",
            "--format",
            "json",
        ],
    )
    rep = json.loads(r.output)
    assert r.exit_code == 0 and rep["task"] == "extract" and rep["n_docs"] == 36
    assert set(rep["exact"]) == {"precision", "recall", "f1"} and rep["overlap"]["f1"] > 0.5
    r = runner.invoke(cli, ["info", "--model", str(out)])
    assert r.exit_code == 0 and "Cross-validated figures" in r.output
    r = runner.invoke(cli, ["info", "--model", str(out), "--format", "json"])
    assert json.loads(r.output)["seed"] == 1


def test_info_on_bundled_model(runner):
    r = runner.invoke(cli, ["info"])
    assert r.exit_code == 0 and "Training data" in r.output


def test_corpus_check_passes_on_corpus_and_fails_on_bad_offsets(runner, tmp_path):
    from conftest import ROOT

    r = runner.invoke(cli, ["corpus", "check", str(ROOT / "corpus")])
    assert r.exit_code == 0, r.output[-2000:]
    assert "corpus OK" in r.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps(
            {
                "id": "b",
                "lang": "en",
                "label": "cso",
                "text": "Lead the team.",
                "spans": [{"start": 0, "end": 99, "area": "other"}],
            }
        )
        + "\n"
    )
    r = runner.invoke(cli, ["corpus", "check", str(bad)])
    assert r.exit_code == 1 and "outside the text" in r.output


def test_errors_are_one_line_without_traceback(runner, tmp_path):
    missing = tmp_path / "nope.txt"
    r = runner.invoke(cli, ["classify", str(missing)])
    assert r.exit_code == 1 and "no such file" in r.output and "Traceback" not in r.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "Lead the sales team"}\n{not json\n')
    r = runner.invoke(cli, ["classify", str(broken)])
    assert r.exit_code == 1 and ":2: invalid JSON" in r.output
    r = runner.invoke(cli, ["classify", "--skip-invalid", str(broken)])
    assert r.exit_code == 0 and len(jsonl(r.stdout)) == 1
    r = runner.invoke(cli, ["train", str(broken), "-o", str(tmp_path / "m")])
    assert r.exit_code == 1 and "Traceback" not in r.output
    r = runner.invoke(cli, ["evaluate", str(tmp_path), "--model", str(tmp_path / "none")])
    assert r.exit_code == 1
    r = runner.invoke(cli, ["generate", "--remit", "cro", "--var", "novalue"])
    assert r.exit_code == 2 and "KEY=VALUE" in r.output
