"""Figures on ../shared/realworld (evaluation only; skipped when the folder is absent)."""

from __future__ import annotations

import pytest
from conftest import REALWORLD

pytestmark = pytest.mark.skipif(
    not REALWORLD.is_file(), reason=f"real-world evaluation set not found at {REALWORLD}"
)


@pytest.fixture(scope="module")
def realworld():
    from jdtool.corpus import load_corpus

    return load_corpus([str(REALWORLD)])


def test_extraction_targets_hold(model, realworld):
    from jdtool.evaluate import evaluate_extract

    rep = evaluate_extract(model, realworld)
    assert rep["per_language"]["en"]["overlap"]["f1"] >= 0.85
    assert rep["per_language"]["en"]["exact"]["f1"] >= 0.70
    assert rep["per_language"]["de"]["overlap"]["f1"] >= 0.80
    assert rep["area_accuracy"] >= 0.75


def test_classification_targets_hold(model, realworld):
    """Issue #5's targets for the shipped model (a regression guard: the margins are thin)."""
    from jdtool.evaluate import evaluate_classify

    rep = evaluate_classify(model, realworld)
    assert rep["n"] == 224
    assert rep["macro_f1"] >= 0.90
    assert min(c["f1"] for c in rep["per_class"].values()) >= 0.85
    assert rep["calibration"]["ece"] <= 0.05
    blank = evaluate_classify(model, realworld, blank_titles=True)
    assert rep["macro_f1"] - blank["macro_f1"] <= 0.03
