"""Acronym and title traps (issue #5): roles whose titles say CSO, CMO, CRO or "revenue" but
whose remit is not sales or revenue leadership are `other`; a CRO title over a sales-only remit
is `cso`. Judged by the shipped model, as a user would run it."""

from __future__ import annotations

import pytest

from jdtool.inputs import Posting

TRAPS = {
    "chief strategy officer": (
        "Chief Strategy Officer (CSO)",
        """Chief Strategy Officer (CSO)

Northgate Logistics is a 4,000-person freight and warehousing group.

Your responsibilities
- Lead the corporate strategy team of six and the annual strategic planning cycle
- Own the M&A pipeline: screen targets, run due diligence and post-merger integration
- Prepare the five-year plan and present it to the executive committee and the board
- Run portfolio reviews of our business units with the CFO

Your profile
- 12+ years in strategy consulting or corporate development
""",
    ),
    "chief medical officer": (
        "Chief Medical Officer (CMO)",
        """Chief Medical Officer (CMO)

St. Aldric Health runs three acute-care hospitals and 40 outpatient clinics.

Responsibilities
- Lead the medical staff of 600 physicians and the clinical quality programme
- Own patient safety, clinical governance and credentialing
- Chair the medical executive committee and report clinical outcomes to the board
- Partner with the Chief Nursing Officer on care pathways

Requirements
- MD with board certification and ten years of clinical leadership
""",
    ),
    "conversion rate optimisation": (
        "CRO Manager (Conversion Rate Optimisation)",
        """CRO Manager (Conversion Rate Optimisation)

Fernhill is an online retailer of outdoor gear.

What you will do
- Own our conversion rate optimisation roadmap across web and app
- Design and run A/B tests on product pages, basket and checkout
- Analyse funnels and session recordings to find where shoppers drop off
- Work with design and engineering to ship winning variants

What you bring
- Four years in CRO or e-commerce analytics
""",
    ),
    "clinical research organisation": (
        "Director, Clinical Operations (CRO)",
        """Director, Clinical Operations

Meridian Trials is a mid-sized clinical research organisation (CRO) running phase II-III
studies for biotech sponsors.

Key responsibilities
- Lead a team of 20 clinical research associates and study managers
- Own the delivery of clinical trials on time, on budget and to GCP standards
- Oversee site selection, patient recruitment and monitoring visits
- Be the senior contact for sponsors on study progress

Qualifications
- Ten years in clinical operations
""",
    ),
    "revenue cycle": (
        "Vice President, Revenue Cycle",
        """Vice President, Revenue Cycle

Lakeshore Physicians Group has 300 providers in 45 practices.

Responsibilities
- Lead patient access, coding, billing, claims and collections teams (80 staff)
- Reduce denials and days in accounts receivable
- Own charge capture and payer contract compliance
- Report revenue cycle KPIs to the CFO

Requirements
- Ten years of healthcare revenue cycle leadership
""",
    ),
    "hotel revenue management": (
        "Director of Revenue Management",
        """Director of Revenue Management

The Harbour Grand is a 420-room hotel with conference and banqueting space.

Your role
- Own pricing and inventory for rooms and meeting space to maximise RevPAR
- Set room rates daily from demand forecasts, occupancy and competitor pricing
- Manage distribution channels and online travel agency allocations
- Lead a team of two revenue analysts

Your profile
- Five years in hotel revenue management
""",
    ),
    "hotel revenue management, German": (
        "Revenue Manager (m/w/d) Hotel",
        """Revenue Manager (m/w/d)

Das Seehotel Amberg ist ein Vier-Sterne-Haus mit 180 Zimmern.

Ihre Aufgaben
- Sie verantworten die Preis- und Zimmerkontingentsteuerung für alle Vertriebskanäle
- Sie analysieren Auslastung, Durchschnittsrate und RevPAR und erstellen Prognosen
- Sie pflegen die Raten in den Buchungsportalen

Ihr Profil
- Erfahrung im Revenue Management der Hotellerie
""",
    ),
}

CRO_TITLE_SALES_REMIT = """Chief Revenue Officer

Halden Freight Software sells route-planning software to haulage firms.

What you will do
- Build, coach and lead our team of 14 account executives and 5 SDRs
- Own the new-business number, the sales forecast and quota attainment
- Close our largest enterprise deals alongside the team
- Partner with Marketing on pipeline targets and hand new customers to Customer Success,
  which reports to our COO

What you bring
- Ten years of B2B software sales leadership
"""


@pytest.mark.parametrize("trap", sorted(TRAPS))
def test_acronym_and_title_traps_are_other(model, trap):
    title, text = TRAPS[trap]
    result = next(model.classify_many([Posting(id=trap, text=text, title=title)]))
    assert result.label == "other", (trap, result.label, result.reason)


def test_a_cro_title_over_a_sales_only_remit_is_cso(model):
    result = next(model.classify_many([Posting(id="cro-title", text=CRO_TITLE_SALES_REMIT)]))
    assert result.label == "cso", result.reason
    assert "leads people who sell" in result.reason
