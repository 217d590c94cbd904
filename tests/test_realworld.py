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


def test_classification_is_well_above_chance(model, realworld):
    from jdtool.evaluate import evaluate_classify

    rep = evaluate_classify(model, realworld)
    assert rep["n"] == 224
    assert rep["macro_f1"] >= 0.65
