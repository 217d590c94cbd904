"""Generation: formats, escaping, strict variables, the sandbox, and remit round trips."""

from __future__ import annotations

import json

import pytest

from jdtool.errors import TemplateError
from jdtool.generate import generate


def test_markdown_english_sections_and_variables():
    out = generate(
        "cro",
        company="Acme",
        variables={
            "location": "Leeds",
            "salary_min": "150000",
            "salary_max": "180000",
            "currency": "GBP",
        },
    )
    assert out.startswith("# Chief Revenue Officer")
    assert "**Location:** Leeds" in out and "150,000 – 180,000 GBP" in out
    assert out.count("\n- ") >= 10


def test_missing_optional_inputs_leave_their_part_out():
    out = generate("cso", company="Acme")
    assert "None" not in out and "Location" not in out and "Salary" not in out


def test_german_title_gets_mwd_and_german_sections():
    out = generate("cso", company="Keller GmbH", lang="de", title="Vertriebsleitung")
    assert out.startswith("# Vertriebsleitung (m/w/d)")
    for heading in ("## Ihre Aufgaben", "## Ihr Profil", "## Wir bieten"):
        assert heading in out


def test_html_escapes_user_values():
    out = generate(
        "cro", company="<script>alert(1)</script>", fmt="html", variables={"location": "<b>x</b>"}
    )
    assert "<script>alert(1)" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "&lt;b&gt;x&lt;/b&gt;" in out


def test_jsonld_has_google_required_fields():
    doc = json.loads(
        generate(
            "cro",
            company='Acme "Q" <x>',
            fmt="jsonld",
            variables={
                "location": "Berlin",
                "salary_min": "1",
                "salary_max": "2",
                "valid_through": "2027-01-31",
            },
        )
    )
    assert doc["@type"] == "JobPosting"
    for key in ("title", "description", "datePosted", "hiringOrganization", "jobLocation"):
        assert doc[key]
    assert doc["hiringOrganization"]["name"] == 'Acme "Q" <x>'
    assert "&lt;x&gt;" in doc["description"]
    assert doc["baseSalary"]["value"]["minValue"] == 1.0 and doc["validThrough"] == "2027-01-31"


def test_remote_jsonld_uses_applicant_location():
    doc = json.loads(generate("cso", company="A", fmt="jsonld", variables={"remote": "yes"}))
    assert doc["jobLocationType"] == "TELECOMMUTE" and doc["applicantLocationRequirements"]


def test_seed_is_reproducible_and_varies_text():
    a = generate("cro", company="Acme", seed=1)
    assert a == generate("cro", company="Acme", seed=1)
    assert a != generate("cro", company="Acme", seed=2)


def test_area_selection():
    out = generate("cso", company="A", areas=["channel_partners"], seed=0)
    assert "channel_partners" not in out  # areas shape content, they are not printed
    with pytest.raises(TemplateError, match="unknown area"):
        generate("cso", areas=["nonsense"])


def test_user_template_overrides_and_strict_undefined(tmp_path):
    (tmp_path / "posting.md.j2").write_text("{{ title }} at {{ company }} in {{ city }}\n")
    with pytest.raises(TemplateError, match="'city' is undefined"):
        generate("cro", company="A", template_dir=tmp_path)
    out = generate("cro", company="A", template_dir=tmp_path, variables={"city": "Bonn"})
    assert out == "Chief Revenue Officer at A in Bonn\n"


def test_sandbox_refuses_python_internals(tmp_path):
    (tmp_path / "posting.md.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(TemplateError, match="sandbox|unsafe|undefined"):
        generate("cro", company="A", template_dir=tmp_path)


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("remit", ["cro", "cso"])
def test_generated_posting_classifies_as_its_remit(model, remit, lang):
    from jdtool.inputs import Posting

    for seed in (0, 1, 2):
        text = generate(remit, company="Firma", lang=lang, seed=seed)
        result = next(model.classify_many([Posting(id="g", text=text)]))
        assert result.label == remit, (seed, result.reason)


def _schema():
    from conftest import ROOT

    return json.loads((ROOT / "tests" / "data" / "jobposting.schema.json").read_text())


@pytest.mark.parametrize(
    "variables",
    [
        {},
        {
            "location": "Berlin",
            "salary_min": "90000",
            "salary_max": "110000",
            "currency": "EUR",
            "valid_through": "2027-03-01",
            "employment_type": "FULL_TIME",
        },
        {"remote": "yes", "country": "DE"},
    ],
)
def test_jsonld_validates_against_schema(variables):
    import jsonschema

    for lang in ("en", "de"):
        doc = json.loads(
            generate("cro", company='A "&" <B>', lang=lang, fmt="jsonld", variables=variables)
        )
        jsonschema.validate(doc, _schema())


def test_jsonld_without_location_or_remote_still_valid():
    import jsonschema

    doc = json.loads(generate("cso", company="A", fmt="jsonld"))
    jsonschema.validate(doc, _schema())
    assert doc["jobLocation"]["address"]["addressCountry"]


def test_vars_file_yaml_and_json(tmp_path):
    from jdtool.generate import load_vars

    y = tmp_path / "v.yaml"
    y.write_text("location: Hamburg\nteam_size: 12\n")
    j = tmp_path / "v.json"
    j.write_text('{"reports_to": "CEO"}')
    assert load_vars(y) == {"location": "Hamburg", "team_size": 12}
    out = generate("cro", company="A", variables={**load_vars(y), **load_vars(j)})
    assert "Hamburg" in out and "CEO" in out and "12" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a list\n")
    with pytest.raises(TemplateError, match="mapping"):
        load_vars(bad)


def test_sample_of_generated_postings_pass_check_and_round_trip(model):
    """A sample of the 50 seeds x 2 remits x 2 languages sweep (the full sweep is a benchmark)."""
    from jdtool.check import check_text
    from jdtool.inputs import Posting

    for seed in (3, 17, 42):
        for remit in ("cro", "cso"):
            for lang in ("en", "de"):
                text = generate(
                    remit,
                    company=f"Firma {seed}",
                    lang=lang,
                    seed=seed,
                    variables={"salary_min": "100000", "salary_max": "130000"},
                )
                a = model.extractor.analyze(Posting(id="g", text=text))
                findings = check_text(a.text, lang, phrases=len(a.phrases))
                assert not [f for f in findings if f.level == "error"], findings
                assert next(model.classify_many([Posting(id="g", text=text)])).label == remit
