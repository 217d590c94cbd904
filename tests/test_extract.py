"""Extraction on small postings written for the tests: every layout real postings use."""

from __future__ import annotations

import pytest
import spacy

from jdtool.extract import Extractor
from jdtool.inputs import Posting
from jdtool.pipeline.responsibilities import SPAN_KEY, ResponsibilityExtractor


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor()


def phrases(ex: Extractor, text: str, lang: str = "auto") -> list[str]:
    a = ex.analyze(Posting(id="t", text=text), lang=lang)
    for p in a.phrases:  # offsets always index the input exactly
        if a.source_format == "text":
            assert text[p.start : p.end] == p.text
    return [p.text for p in a.phrases]


def test_markdown_headings_separate_duties_from_requirements_and_benefits(ex):
    text = (
        "## About us\nWe build software.\n\n## Responsibilities\n- Lead the sales team\n"
        "- Own the forecast.\n\n## Requirements\n- 10+ years of experience\n\n"
        "## Benefits\n- Health insurance\n"
    )
    assert phrases(ex, text) == ["Lead the sales team", "Own the forecast"]


def test_bold_pseudo_heading_and_star_bullets(ex):
    text = "**Key Responsibilities:**\n* Build the channel programme;\n* Close enterprise deals\n\n**Qualifications:**\n* MBA\n"
    assert phrases(ex, text) == ["Build the channel programme", "Close enterprise deals"]


def test_all_caps_headings(ex):
    text = "WHAT YOU WILL DO\n- Hire and coach regional managers\n\nWHAT YOU BRING\n- Grit\n"
    assert phrases(ex, text) == ["Hire and coach regional managers"]


@pytest.mark.parametrize("marker", ["-", "*", "•", "·", "1.", "2)", "a)", "\\-", "–"])
def test_bullet_markers(ex, marker):
    text = f"Your tasks\n{marker} Own the sales budget\n{marker} Lead the pipeline review\n"
    assert phrases(ex, text) == ["Own the sales budget", "Lead the pipeline review"]


def test_nested_bullets_and_group_labels(ex):
    text = (
        "Responsibilities\n- Leadership:\n  - Hire three sales directors\n  - Coach the managers\n"
        "- **Pipeline**\n  - Run weekly pipeline reviews\n"
    )
    assert phrases(ex, text) == [
        "Hire three sales directors",
        "Coach the managers",
        "Run weekly pipeline reviews",
    ]


def test_stem_bullet_with_noun_list_is_one_phrase(ex):
    text = "Responsibilities\n* Build relationships with:\n* Brokers\n* TPAs\n* Lead the partner team\n"
    assert phrases(ex, text) == ["Build relationships with", "Lead the partner team"]


def test_bullet_wrapped_over_lines(ex):
    text = "Responsibilities\n- Build and lead the sales organisation across\n  Germany, Austria and Switzerland\n- Own quota\n"
    out = phrases(ex, text)
    assert (
        out[0] == "Build and lead the sales organisation across\n  Germany, Austria and Switzerland"
    )
    assert out[1] == "Own quota"


def test_prose_duties_without_headings(ex):
    text = (
        "Acme is a 50-person start-up in Leeds. The CRO will own the annual revenue plan and "
        "report it to the board. You will lead sales, marketing and customer success. "
        "We offer a generous equity package."
    )
    assert phrases(ex, text) == [
        "The CRO will own the annual revenue plan and report it to the board",
        "You will lead sales, marketing and customer success",
    ]


def test_semicolon_clauses_in_prose_duties(ex):
    text = "The role\nYou will own the forecast; you will hire the first account executives.\n"
    assert phrases(ex, text) == [
        "You will own the forecast",
        "you will hire the first account executives",
    ]


def test_reporting_line_only_is_not_a_duty(ex):
    text = "The role\nYou will report to the CEO. You will build the sales team.\n"
    assert phrases(ex, text) == ["You will build the sales team"]


def test_german_sections_and_prose(ex):
    text = (
        "Über uns\nWir sind ein Maschinenbauer.\n\nIhre Aufgaben\n• Führung des Vertriebsteams\n"
        "• Sie verantworten die Umsatzplanung\n\nIhr Profil\n• Studium\n\nWir bieten\n• Dienstwagen\n"
    )
    assert phrases(ex, text) == ["Führung des Vertriebsteams", "Sie verantworten die Umsatzplanung"]


def test_das_erwartet_dich_after_profile_is_benefits(ex):
    text = (
        "Deine Aufgaben\n- Du baust das Vertriebsteam auf\n\nDein Profil\n- Erfahrung im Vertrieb\n\n"
        "Das erwartet dich\n- Ein modernes Büro\n"
    )
    assert phrases(ex, text) == ["Du baust das Vertriebsteam auf"]


def test_html_is_parsed_and_offsets_point_into_the_raw_html(ex):
    raw = (
        "<html><head><style>li {color: red}</style><script>var duties = 'Lead everything';"
        "</script></head><body><h2>Responsibilities</h2><ul><li>Lead the sales team</li>"
        "<li>Own pricing &amp; packaging</li></ul><h2>Requirements</h2><ul><li>MBA</li></ul>"
        "</body></html>"
    )
    a = ex.analyze(Posting(id="h", text=raw, extra={"format": "html"}))
    assert [p.text for p in a.phrases] == ["Lead the sales team", "Own pricing & packaging"]
    assert raw[a.phrases[0].start : a.phrases[0].end] == "Lead the sales team"
    assert raw[a.phrases[1].start : a.phrases[1].end] == "Own pricing &amp; packaging"
    assert a.source_format == "html"


def test_areas_are_assigned(ex):
    a = ex.analyze(
        Posting(
            id="a",
            text="Responsibilities\n- Lead the customer success and renewals team\n"
            "- Own brand and demand generation campaigns\n- Build and coach the sales team\n",
        )
    )
    assert [p.area for p in a.phrases] == ["customer_success", "marketing", "sales_leadership"]


@pytest.mark.parametrize(
    ("phrase", "area"),
    [
        # a partnering verb at the head makes the duty cross-functional, whatever it names
        ("Partner with Marketing on campaign planning for the key accounts", "cross_functional"),
        ("Enge Abstimmung mit Produktmanagement und Marketing", "cross_functional"),
        # several functions in one duty
        ("Lead the sales, marketing and customer success teams as one unit", "cross_functional"),
        # strategy at the head is strategy_board, also when it names sales
        ("Develop and execute the sales strategy to reach the revenue targets", "strategy_board"),
        ("Work closely with the CEO and the board on the three-year plan", "strategy_board"),
        # KPIs and targets are quota_forecast (LABELS.md section 3), not operations
        ("Set KPIs and monitor performance metrics for every region", "quota_forecast"),
        ("Du verhandelst Rahmenverträge mit Großkunden", "deal_closing"),
        # a strategy qualified by one function belongs to that function
        ("Oversee the marketing strategy, including branding and content", "marketing"),
        ("Optimize pricing strategies and service packaging", "pricing_packaging"),
        ("Develop renewal and upsell strategies for existing clients", "customer_success"),
        ("Develop strategies to upsell and cross-sell our services", "customer_success"),
        ("Weiterentwicklung der Preisstrategie für den Mittelstand", "pricing_packaging"),
        ("Own the channel strategy for EMEA distributors", "channel_partners"),
        # generic duties without revenue content
        ("Ensure compliance with export rules and company policies", "other"),
        ("Represent the company at industry events and conferences", "other"),
        ("Monitor market trends and competitor activities", "other"),
        ("Perform other duties as assigned by the CEO", "other"),
        # the culture of the team the role leads
        ("Foster a culture of accountability and continuous improvement", "sales_leadership"),
    ],
)
def test_area_rules(phrase, area):
    assert ResponsibilityExtractor().area_of(phrase) == area


def test_duties_of_a_non_sales_posting_are_area_other():
    comp = ResponsibilityExtractor()
    cto = [
        "Lead and grow the engineering team of twelve developers",
        "Own the technical architecture and the security roadmap",
        "Work closely with the founders on hiring plans",
        "Set up monitoring and incident response",
    ]
    assert comp.areas_of(cto) == ["other"] * 4
    # the same team-leading duty in a sales posting keeps its area
    sales = ["Lead and grow the sales team of twelve account executives", *cto[1:2]]
    sales += ["Own the quarterly revenue forecast", "Close the largest enterprise deals"]
    assert comp.areas_of(sales)[0] == "sales_leadership"
    # too few phrases to judge the posting: no override
    assert comp.areas_of(["Feed the zebra daily"]) == [comp.area_of("Feed the zebra daily")]


def test_a_posting_for_a_non_commercial_role_gives_area_other():
    comp = ResponsibilityExtractor()
    # enough planning vocabulary to pass for a sales posting on the phrases alone
    duties = [
        "Own the annual budget and the long-range forecasts",
        "Establish the key metrics and the targets of every department",
        "Design the sales compensation plans with HR",
    ]
    assert "other" not in comp.areas_of(duties)
    cfo = "Chief Financial Officer (m/w/d)\n\nWe are looking for a CFO to lead finance."
    # only the duty that is squarely about sales keeps its area
    assert comp.areas_of(duties, cfo) == ["other", "other", comp.area_of(duties[2])]
    # a revenue role whose opening names the CFO as its boss keeps the areas
    cro = "Chief Revenue Officer\n\nWe are looking for a CRO who reports to our CFO."
    assert comp.areas_of(duties, cro) == comp.areas_of(duties)


def test_component_is_registered_and_round_trips_through_disk(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("jdtool_responsibilities")
    nlp.get_pipe("jdtool_responsibilities").patterns["areas"]["marketing"].append(
        ["\\bzebra\\b", 9]
    )
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    comp = loaded.get_pipe("jdtool_responsibilities")
    assert isinstance(comp, ResponsibilityExtractor)
    assert ["\\bzebra\\b", 9] in comp.patterns["areas"]["marketing"]
    doc = loaded("Responsibilities\n- Feed the zebra daily\n")
    assert [(s.text, s.label_) for s in doc.spans[SPAN_KEY]] == [
        ("Feed the zebra daily", "marketing")
    ]
