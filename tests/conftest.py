"""Shared fixtures: small postings written for the tests, the bundled model, a CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = ROOT.parent / "shared" / "realworld" / "postings.jsonl"

CRO_POSTING = """Chief Revenue Officer

Lumen Freight is a 300-person logistics software company.

## Your responsibilities
- Lead the sales, marketing and customer success teams as one revenue organisation
- Own net revenue retention, renewals and churn targets across the customer base
- Build and coach a sales team of 25 account executives
- Report revenue results and the forecast to the CEO and the board

## Requirements
- 12+ years of B2B sales leadership
"""

CSO_POSTING = """VP Sales

Brightwater Pumps builds industrial pumps for water utilities.

What you'll do:
* Build, coach and lead a team of 12 regional sales managers
* Own the sales forecast and quota attainment for North America
* Close strategic deals with the largest utilities personally
* Partner with Marketing on campaigns and hand off new customers to Customer Success

What you bring:
* 10+ years selling capital equipment
"""

OTHER_POSTING = """Chief Security Officer

Meridian Bank is looking for a Chief Security Officer.

Responsibilities
- Lead the information security programme and the security operations centre
- Own cyber risk reporting to the board and regulators
- Run incident response and penetration testing

Qualifications
- 15 years in cybersecurity
"""

DE_CSO_POSTING = """Vertriebsleiter (m/w/d)

Ihre Aufgaben
- Sie führen unser Vertriebsteam mit 8 Außendienstmitarbeitenden
- Verantwortung für Umsatzziele und Forecast in der Region Süd
- Enge Zusammenarbeit mit dem Marketing bei Messen

Ihr Profil
- Mehrjährige Erfahrung im technischen Vertrieb

Wir bieten
- 30 Tage Urlaub
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def model():
    import jdtool

    return jdtool.load_model()


@pytest.fixture
def posting_files(tmp_path: Path) -> dict[str, Path]:
    """One small posting per class, as files."""
    files = {}
    for name, text in (
        ("cro.md", CRO_POSTING),
        ("cso.txt", CSO_POSTING),
        ("other.md", OTHER_POSTING),
        ("de_cso.txt", DE_CSO_POSTING),
    ):
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        files[name] = p
    return files


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 36-posting slice of corpus/ (12 per class, both languages) for fast training tests."""
    rows: dict[str, list[str]] = {"cro": [], "cso": [], "other": []}
    for f in sorted((ROOT / "corpus").glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            bucket = rows[rec["label"]]
            if len(bucket) < 12 and sum(json.loads(r)["lang"] == rec["lang"] for r in bucket) < 6:
                bucket.append(line)
    out = tmp_path_factory.mktemp("corpus") / "small.jsonl"
    out.write_text("\n".join(r for b in rows.values() for r in b) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def small_model(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model folder trained on `small_corpus` (no cross-validation)."""
    from jdtool.corpus import load_corpus
    from jdtool.train import train

    folder = tmp_path_factory.mktemp("models") / "small"
    train(load_corpus([str(small_corpus)]), cv=0, seed=0).model.save(folder)
    return folder
