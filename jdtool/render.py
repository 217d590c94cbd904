"""displaCy rendering of extracted phrases, coloured by remit area."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .extract import Analysis

AREA_COLORS = {
    "sales_leadership": "#7aecec",
    "deal_closing": "#bfeeb7",
    "quota_forecast": "#feca74",
    "lead_generation": "#ff9561",
    "channel_partners": "#aa9cfc",
    "marketing": "#c887fb",
    "sales_ops": "#9cc9cc",
    "marketing_ops": "#ffeb80",
    "customer_success": "#ff8197",
    "pricing_packaging": "#f0d0ff",
    "cross_functional": "#bfe1d9",
    "strategy_board": "#e4e7d2",
    "other": "#dddddd",
}


def render_html(analyses: Iterable[Analysis], nlp_for: Any) -> str:
    """One HTML page showing every posting with its phrases highlighted (displaCy `span` style).

    `nlp_for(lang)` returns a pipeline whose tokenizer is used to place the spans.
    """
    from spacy import displacy

    docs = []
    for a in analyses:
        doc = nlp_for(a.lang).make_doc(a.text)
        spans = []
        for (s, e), ph in zip(a.text_spans, a.phrases):
            span = doc.char_span(s, e, label=ph.area, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["responsibilities"] = spans
        doc.user_data["title"] = f"{a.id} [{a.lang}]: {len(spans)} phrases"
        docs.append(doc)
    html: str = displacy.render(
        docs,
        style="span",
        page=True,
        jupyter=False,
        options={"spans_key": "responsibilities", "colors": AREA_COLORS},
    )
    return html
