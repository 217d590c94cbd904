"""The posting linter."""

from __future__ import annotations

import json

from jdtool.check import check_text
from jdtool.cli import cli


def codes(findings):
    return {(f.level, f.code) for f in findings}


def test_agg_red_flags_in_german():
    text = (
        "Vertriebsleiter\n\nIhre Aufgaben\n- Führung des Teams\n\nWir sind ein junges Team "
        "und suchen Muttersprachler zwischen 25 und 35 Jahren. Bewerbung mit Foto."
    )
    found = check_text(text, "de", phrases=1)
    assert {("error", "agg"), ("error", "agg-title")} <= codes(found)
    assert len([f for f in found if f.code == "agg"]) == 4
    title = next(f for f in found if f.code == "agg-title")
    assert title.suggestion == "Vertriebsleiter (m/w/d)"


def test_clean_german_posting_has_no_errors():
    text = "Vertriebsleitung (m/w/d)\n\nIhre Aufgaben\n- Führung des Vertriebsteams\n\nGehalt: 90.000 – 110.000 EUR"
    assert not [f for f in check_text(text, "de", phrases=1) if f.level == "error"]


def test_gender_coded_english_with_suggestions():
    found = check_text(
        "We need a sales ninja. He will be aggressive. Salary $100k.", "en", phrases=1
    )
    coded = [f for f in found if f.code == "gender-coded"]
    assert {f.text.lower() for f in coded} == {"ninja", "he", "aggressive"}
    assert all(f.suggestion for f in coded) and all(f.start is not None for f in coded)


def test_missing_pay_length_and_no_duties():
    found = check_text("Great company. Apply now.", "en", phrases=0)
    assert {("warning", "no-pay-range"), ("warning", "length"), ("error", "no-duties")} <= codes(
        found
    )


def test_check_cli_exit_codes(runner, posting_files, tmp_path):
    r = runner.invoke(cli, ["check", str(posting_files["cro.md"])])
    assert r.exit_code == 0 and "no-pay-range" in r.output
    bad = tmp_path / "bad.txt"
    bad.write_text("Verkäufer\n\nIhre Aufgaben\n- Verkauf\n\nJunges Team sucht Muttersprachler.\n")
    r = runner.invoke(cli, ["check", "--format", "json", str(bad)])
    assert r.exit_code == 1
    recs = json.loads(r.stdout)
    assert recs[0]["errors"] >= 3
