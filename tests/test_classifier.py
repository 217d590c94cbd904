"""The remit classifier: LABELS.md decision rules, the blended estimator and its evidence."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from jdtool.classifier import RemitClassifier, explain, rule_signals
from jdtool.features import RULE_LABELS, RemitFeatures, compose


def verdict(phrases: list[str], text: str = "", title: str = "") -> str:
    """The rules' verdict for a posting given as duty phrases (areas do not matter here)."""
    doc = compose([(p, "other") for p in phrases], text or " ".join(phrases), title)
    row = RemitFeatures().fit([doc]).transform([doc])[0]
    return RULE_LABELS[int(np.argmax(row[-3:]))]


LEADS = "Lead, hire and coach a team of eight account executives"


@pytest.mark.parametrize(
    ("phrases", "title", "label"),
    [
        # rule 3: leads sellers, only partners with marketing and customer success
        (
            [LEADS, "Partner with Marketing on campaigns", "Work closely with Customer Success"],
            "",
            "cso",
        ),
        # rule 2: owns marketing or a post-sale team, or is accountable for retention
        ([LEADS, "Marketing and Customer Success report to you"], "", "cro"),
        ([LEADS, "Own the marketing team and the demand generation budget"], "", "cro"),
        ([LEADS, "Ensure high customer retention and renewal rates"], "", "cro"),
        ([LEADS, "Close new logos"], "VP Sales & Marketing", "cro"),
        # someone else's ownership is not the role's: passive and relative clauses
        ([LEADS, "Marketing is run by our CMO"], "", "cso"),
        ([LEADS, "Hand over to Customer Success, which owns renewals"], "", "cso"),
        # "leads" as a noun owns nothing
        (
            [LEADS, "Partner with cross-functional leads in Marketing and Customer Success"],
            "",
            "cso",
        ),
        # rule 1: no leadership of people who sell
        (
            ["Prospect and close new business in your own territory", "Own a personal quota"],
            "",
            "other",
        ),
        (["Lead the engineering team", "Own the technical roadmap"], "", "other"),
        # support roles and marketing roles lead no sellers, even when they coach them
        (
            ["Lead a team of four enablement managers who coach our sales reps"],
            "Head of Sales Enablement",
            "other",
        ),
        (
            ["Lead the marketing team and partner with the sales team"],
            "Chief Marketing Officer",
            "other",
        ),
        # a start-up's first sales leader owns the sales function before the first hire
        (
            [
                "Own and execute the North America go-to-market strategy",
                "Close the first ten customers",
            ],
            "",
            "cso",
        ),
        # ... and so does one who builds its process and playbook while still closing deals,
        # even as an individual contributor; leading a deal's sales process does not
        (
            [
                "Industrialise the sales process while closing deals yourself",
                "Work as an individual contributor until the first hire",
            ],
            "",
            "cso",
        ),
        (["Lead the evolution of our business development function"], "", "cso"),
        (
            ["Lead the sales process for your own accounts", "Carry a personal quota"],
            "",
            "other",
        ),
        # the whole revenue number across functions is rule 2; all *new* revenue is not
        ([LEADS, "Own all revenue-generating activities across the company"], "", "cro"),
        ([LEADS, "Lead all net-new revenue-generating activities"], "", "cso"),
        # German
        (
            [
                "Sie führen das Vertriebsteam mit zwölf Außendienstmitarbeitenden",
                "Enge Abstimmung mit dem Marketing",
            ],
            "",
            "cso",
        ),
        (
            [
                "Du führst das Sales-Team",
                "Du leitest außerdem Customer Success und senkst die Kündigungsquote",
            ],
            "",
            "cro",
        ),
    ],
)
def test_labels_md_decision_rules(phrases, title, label):
    assert verdict(phrases, title=title) == label


def test_coaching_the_candidate_is_not_leading_sellers():
    duties = ["Advise customers by phone and close loan contracts", "Hit your monthly targets"]
    benefits = [
        "A mentor gives you coaching and helps you grow into sales.",
        "Wir bieten Coaching und helfen dir dabei, dich im Vertrieb weiterzuentwickeln.",
    ]
    for benefit in benefits:
        assert verdict(duties, text=" ".join(duties) + " " + benefit) == "other"
    # "you" after the people led is still the role leading them
    assert verdict([*duties, "Lead and coach the eight sales reps you will hire"]) == "cso"


def test_a_combined_role_counts_only_as_the_postings_own_role():
    phrases = [LEADS, "Close new logos"]
    boss = " ".join(phrases) + ". You report to the VP of Sales & Marketing."
    assert verdict(phrases, text=boss) == "cso"
    assert verdict(phrases, title="VP of Sales & Marketing") == "cro"


DOCS = [
    compose([(LEADS, "sales_leadership"), ("Marketing reports to you", "marketing")], "", ""),
    compose([(LEADS, "sales_leadership"), ("Partner with Marketing", "cross_functional")], "", ""),
    compose([("Sell to named accounts as an individual contributor", "deal_closing")], "", ""),
] * 4
LABELS = ["cro", "cso", "other"] * 4


def test_classifier_follows_the_estimator_contract():
    est = RemitClassifier(rule_weight=0.3, C=1.0)
    assert clone(est).get_params()["rule_weight"] == 0.3
    est.fit(DOCS, LABELS)
    P = est.predict_proba(DOCS)
    assert P.shape == (len(DOCS), 3)
    assert np.allclose(P.sum(axis=1), 1.0)
    assert list(est.predict(DOCS[:3])) == ["cro", "cso", "other"]
    assert est.verdicts(DOCS[:3]) == ["cro", "cso", "other"]
    assert est.predict_proba([]).shape == (0, 3)
    with pytest.raises(ValueError, match="rule_weight"):
        RemitClassifier(rule_weight=1.5).fit(DOCS, LABELS)


def test_rule_weight_blends_the_two_experts():
    rules_only = RemitClassifier(rule_weight=1.0).fit(DOCS, LABELS)
    learned_only = RemitClassifier(rule_weight=0.0).fit(DOCS, LABELS)
    half = RemitClassifier(rule_weight=0.5).fit(DOCS, LABELS)
    expected = 0.5 * rules_only.predict_proba(DOCS) + 0.5 * learned_only.predict_proba(DOCS)
    assert np.allclose(half.predict_proba(DOCS), expected)


def test_evidence_names_the_rule_signals_first():
    est = RemitClassifier().fit(DOCS, LABELS)
    phrases = [
        [
            ("Close deals", "deal_closing"),
            (LEADS, "sales_leadership"),
            ("Customer Success reports to you", "customer_success"),
        ]
    ]
    ev = explain(est, phrases, ["cro"], top=5)[0]
    signals = [e for e in ev if "signal" in e]
    assert {e["signal"] for e in signals} == {
        "leads people who sell",
        "owns customer success / retention",
    }
    assert ev[: len(signals)] == signals  # rule evidence comes first
    assert rule_signals(["Own a personal quota as an individual contributor"], "other") == {
        0: "individual contributor"
    }


@pytest.mark.parametrize(
    ("label", "phrases", "title", "expected"),
    [
        ("cro", [LEADS, "Marketing and Customer Success report to you"], "", "owns sales and"),
        (
            "cso",
            [LEADS, "Partner with Marketing on campaigns"],
            "",
            "leads people who sell; only partners with marketing",
        ),
        (
            "other",
            ["Coach our reps on discovery calls"],
            "Head of Sales Enablement",
            "supports sellers",
        ),
        ("other", ["Own a personal quota in your territory"], "", "individual contributor"),
        ("other", ["Lead the brand team"], "Chief Marketing Officer", "marketing role"),
    ],
)
def test_reason_names_the_rule_that_applies(label, phrases, title, expected):
    from jdtool.classifier import reason

    doc = compose([(p, "other") for p in phrases], " ".join(phrases), title)
    assert expected in reason(label, doc)
