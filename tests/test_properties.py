"""Property-based tests over arbitrary Unicode text (hypothesis).

Examples per property are set explicitly so the count can be reported: 300 for extraction
offsets, 150 for classification, 150 for generation escaping.
"""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from jdtool.errors import JdtoolError
from jdtool.inputs import Posting

# Postings are mostly layout: mix free Unicode with the markup the extractor reacts to.
pieces = st.sampled_from(
    [
        "\n",
        "\r\n",
        "\r",
        "- ",
        "* ",
        "• ",
        "1. ",
        "## ",
        "**",
        ":",
        ".",
        "; ",
        "Responsibilities\n",
        "Ihre Aufgaben\n",
        "Requirements\n",
        "<li>",
        "</li>",
        "<h2>",
        "&amp;",
        "You will lead ",
        "Sie führen ",
        "sales",
        "marketing",
        " ",
        "\t",
        "\u00a0",
        "\\-",
    ]
)
posting_text = st.lists(
    st.one_of(pieces, st.text(min_size=1, max_size=30)), min_size=1, max_size=40
).map("".join)

# derandomize: the same examples on every run, so CI is reproducible (a new seed is a new run
# of `pytest --hypothesis-seed=...`, not a surprise in CI)
SETTINGS = dict(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@settings(max_examples=300, **SETTINGS)
@given(text=posting_text)
def test_extract_offsets_always_index_the_input(model, text):
    try:
        a = model.extractor.analyze(Posting(id="h", text=text))
    except JdtoolError:
        return
    for p in a.phrases:
        assert 0 <= p.start <= p.end <= len(text)
        if a.source_format == "text":
            assert text[p.start : p.end] == p.text
        assert p.text == p.text.strip() and p.text


@settings(max_examples=150, **SETTINGS)
@given(text=posting_text)
def test_classify_returns_one_of_three_labels_with_scores_summing_to_one(model, text):
    try:
        r = next(model.classify_many([Posting(id="h", text=text)]))
    except JdtoolError:
        return
    assert r.label in ("cro", "cso", "other")
    assert abs(sum(r.scores.values()) - 1.0) < 1e-3
    assert 0.0 <= r.confidence <= 1.0


@settings(max_examples=150, **SETTINGS)
@given(company=st.text(min_size=1, max_size=40), location=st.text(max_size=30))
def test_generated_html_and_jsonld_are_safe_for_any_values(company, location):
    from jdtool.generate import generate

    variables = {"location": location} if location.strip() else {}
    try:
        html = generate("cro", company=company, fmt="html", variables=variables)
        doc = json.loads(generate("cso", company=company, fmt="jsonld", variables=variables))
    except JdtoolError:
        return
    name = company.strip()
    if name and any(ch in name for ch in "<>&\"'"):
        # rendered escaped, never raw: a raw "<b" or "<script" could open a tag
        assert str(escape(name)) in html
        if re.search(r"<[A-Za-z/!?]", name):
            assert name not in html
    assert doc["hiringOrganization"]["name"] == (company.strip() or "Our company")
