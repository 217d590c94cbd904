"""Posting generation: remit areas -> phrase bank -> one strict Jinja environment -> text.

Templates live in the bundled `templates/` folder (see templates/README.md for the variables
each receives). `--template-dir` puts a user's folder in front of it; user templates are
rendered in Jinja's SandboxedEnvironment.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import random
from pathlib import Path
from typing import Any

from .errors import TemplateError
from .pipeline.responsibilities import AREAS

REMIT_AREAS = {
    "cro": [
        "strategy_board",
        "sales_leadership",
        "marketing",
        "customer_success",
        "sales_ops",
        "quota_forecast",
        "cross_functional",
    ],
    "cso": [
        "sales_leadership",
        "deal_closing",
        "quota_forecast",
        "lead_generation",
        "channel_partners",
        "cross_functional",
    ],
}
# In a cso remit these areas are written as partnerships: owning them would make the role cro.
PARTNER_AREAS = ("marketing", "customer_success", "marketing_ops", "cross_functional")
FORMATS = {
    "md": "posting.md.j2",
    "html": "posting.html.j2",
    "txt": "posting.txt.j2",
    "jsonld": "description.html.j2",
}
# Variables a template receives besides the posting content; all default to None.
VARIABLES = (
    "location",
    "reports_to",
    "team_size",
    "salary_min",
    "salary_max",
    "currency",
    "remote",
    "contact",
    "about",
    "employment_type",
    "start_date",
    "date_posted",
    "valid_through",
    "country",
    "region",
    "postal_code",
    "street",
    "url",
    "industry",
)


def _templates_dir() -> Path:
    from .resources import resource_path

    return resource_path("templates")


def load_vars(path: str | Path) -> dict[str, Any]:
    """Template variables from a YAML or JSON file (a mapping of names to values)."""
    import yaml

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as e:
        raise TemplateError(f"{p}: cannot read the variables file ({e})") from e
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TemplateError(f"{p}: the variables file must hold a mapping of NAME: value")
    return {str(k): v for k, v in data.items()}


def phrase_bank(lang: str, template_dir: str | Path | None = None) -> dict[str, Any]:
    """The phrase bank for `lang` (a user's `phrases.<lang>.yaml` overrides the bundled one)."""
    import yaml

    name = f"phrases.{lang}.yaml"
    for base in ([Path(template_dir)] if template_dir else []) + [_templates_dir()]:
        p = base / name
        if p.is_file():
            try:
                data = yaml.safe_load(p.read_text(encoding="utf-8"))
            except yaml.YAMLError as e:
                raise TemplateError(f"{p}: invalid YAML ({e})") from e
            if not isinstance(data, dict) or "areas" not in data:
                raise TemplateError(f"{p}: not a phrase bank (needs an 'areas' mapping)")
            return data
    raise TemplateError(f"no phrase bank for language '{lang}'")


def environment(template_dir: str | Path | None = None) -> Any:
    """The one Jinja environment: strict undefined, HTML autoescape, package-relative loader.

    With a user `template_dir`, templates are looked up there first and everything renders in
    a SandboxedEnvironment.
    """
    from jinja2 import (
        ChoiceLoader,
        Environment,
        FileSystemLoader,
        StrictUndefined,
        select_autoescape,
    )
    from jinja2.sandbox import SandboxedEnvironment

    bundled = FileSystemLoader(str(_templates_dir()))
    kw: dict[str, Any] = {
        "undefined": StrictUndefined,
        "autoescape": select_autoescape(
            enabled_extensions=("html", "htm", "xml", "html.j2"),
            default_for_string=False,
            default=False,
        ),
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if template_dir is None:
        return Environment(loader=bundled, **kw)
    user = FileSystemLoader(str(Path(template_dir).resolve()))
    return SandboxedEnvironment(loader=ChoiceLoader([user, bundled]), **kw)


def _rng(seed: int, company: str, remit: str, lang: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}|{company}|{remit}|{lang}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def resolve_areas(remit: str, areas: list[str] | None) -> list[str]:
    """Areas for a remit: defaults, `X` values replace them, `+X` adds, `-X` drops."""
    chosen = list(REMIT_AREAS[remit])
    plain = [a for a in areas or [] if not a.startswith(("+", "-"))]
    if plain:
        chosen = []
    for a in areas or []:
        name = a.lstrip("+-")
        if name not in AREAS:
            raise TemplateError(f"unknown area '{name}'; choose from {', '.join(AREAS)}")
        if a.startswith("-"):
            chosen = [c for c in chosen if c != name]
        elif name not in chosen:
            chosen.append(name)
    if not chosen:
        raise TemplateError("no remit areas left; name at least one --area")
    return chosen


def build_context(
    remit: str,
    *,
    areas: list[str] | None = None,
    company: str | None = None,
    title: str | None = None,
    lang: str = "en",
    variables: dict[str, Any] | None = None,
    template_dir: str | Path | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Everything a template receives (documented in templates/README.md)."""
    if remit not in REMIT_AREAS:
        raise TemplateError(f"unknown remit '{remit}'; use cro or cso")
    bank = phrase_bank(lang, template_dir)
    company = (company or "").strip() or ("Unser Unternehmen" if lang == "de" else "Our company")
    rng = _rng(seed, company, remit, lang)
    chosen = resolve_areas(remit, areas)
    duties: list[dict[str, str]] = []
    for area in chosen:
        pool = None
        if remit == "cso" and area in PARTNER_AREAS:
            pool = bank.get("partner_areas", {}).get(area)
        pool = pool or bank["areas"].get(area) or []
        if not pool:
            continue
        k = 2 if area in ("sales_leadership", "strategy_board") or len(chosen) <= 4 else 1
        for text in rng.sample(pool, min(k, len(pool))):
            duties.append({"text": str(text), "area": area})
    if title is None or not title.strip():
        title = str(bank["titles"][remit])
    title = title.strip()
    if lang == "de" and not any(
        m in title for m in ("m/w/d", "w/m/d", "d/m/w", "m/f/d", "gn", "all genders")
    ):
        title += " (m/w/d)"
    values: dict[str, Any] = dict.fromkeys(VARIABLES)
    for name, value in (variables or {}).items():
        values[name] = value if value != "" else None
    if values["date_posted"] is None:
        values["date_posted"] = _dt.date.today().isoformat()
    about = values.pop("about") or rng.choice(bank["about_default"]).replace("{company}", company)
    intro = rng.choice(bank["intro"][remit]).replace("{company}", company)
    profile = rng.sample(bank["profile"][remit], min(5, len(bank["profile"][remit])))
    offer = rng.sample(bank["offer"], min(5, len(bank["offer"])))
    apply = (
        bank["apply"]["with_contact"].replace("{contact}", str(values["contact"]))
        if values["contact"]
        else bank["apply"]["generic"]
    )
    return {
        **values,
        "remit": remit,
        "lang": lang,
        "company": company,
        "title": title,
        "about": about,
        "intro": intro,
        "duties": duties,
        "areas": chosen,
        "profile": profile,
        "offer": offer,
        "apply": apply,
        "equal_opportunity": bank.get("equal_opportunity", ""),
        "headings": {k: str(v).replace("{company}", company) for k, v in bank["headings"].items()},
        "labels": bank["labels"],
        "salary": _salary(values, lang),
    }


def _salary(values: dict[str, Any], lang: str) -> str | None:
    lo, hi, cur = values.get("salary_min"), values.get("salary_max"), values.get("currency")
    if lo is None and hi is None:
        return None
    cur = cur or "EUR"

    def fmt(v: Any) -> str:
        try:
            n = int(
                float(
                    str(v).replace(",", "").replace(".", "")
                    if lang == "de" and str(v).count(".") > 1
                    else str(v).replace(",", "")
                )
            )
        except ValueError as e:
            raise TemplateError(f"salary value '{v}' is not a number") from e
        s = f"{n:,}"
        return s.replace(",", ".") if lang == "de" else s

    if lo is not None and hi is not None:
        return f"{fmt(lo)} – {fmt(hi)} {cur}"
    return f"{fmt(lo if lo is not None else hi)} {cur}"


def render(template: str, context: dict[str, Any], template_dir: str | Path | None = None) -> str:
    """Render one template with the strict (or sandboxed) environment."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    env = environment(template_dir)
    try:
        out: str = env.get_template(template).render(**context)
    except UndefinedError as e:
        raise TemplateError(
            f"template {template}: {e.message}; pass it with --var NAME=VALUE "
            "or remove it from the template"
        ) from e
    except SecurityError as e:
        raise TemplateError(f"template {template}: refused by the sandbox ({e})") from e
    except TemplateSyntaxError as e:
        raise TemplateError(f"template {e.name or template} line {e.lineno}: {e.message}") from e
    except TemplateNotFound as e:
        raise TemplateError(f"template {template} not found") from e
    return out


def json_ld(context: dict[str, Any], description_html: str) -> dict[str, Any]:
    """schema.org JobPosting with Google's required and, when given, recommended fields."""
    c = context
    doc: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": c["title"],
        "description": description_html,
        "datePosted": c["date_posted"],
        "hiringOrganization": {"@type": "Organization", "name": c["company"]},
        "inLanguage": c["lang"],
    }
    if c.get("url"):
        doc["hiringOrganization"]["sameAs"] = c["url"]
    remote = str(c.get("remote") or "").lower() in ("1", "true", "yes", "ja", "remote", "full")
    if c.get("location") or not remote:
        address: dict[str, Any] = {"@type": "PostalAddress"}
        if c.get("location"):
            address["addressLocality"] = c["location"]
        for key, field in (
            ("street", "streetAddress"),
            ("postal_code", "postalCode"),
            ("region", "addressRegion"),
        ):
            if c.get(key):
                address[field] = c[key]
        address["addressCountry"] = c.get("country") or ("DE" if c["lang"] == "de" else "US")
        doc["jobLocation"] = {"@type": "Place", "address": address}
    if remote:
        doc["jobLocationType"] = "TELECOMMUTE"
        doc["applicantLocationRequirements"] = {
            "@type": "Country",
            "name": c.get("country") or ("DE" if c["lang"] == "de" else "US"),
        }
    if c.get("salary_min") is not None or c.get("salary_max") is not None:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": "YEAR"}
        for key, field in (("salary_min", "minValue"), ("salary_max", "maxValue")):
            if c.get(key) is not None:
                try:
                    value[field] = float(str(c[key]).replace(",", ""))
                except ValueError as e:
                    raise TemplateError(f"{key} '{c[key]}' is not a number") from e
        doc["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": c.get("currency") or "EUR",
            "value": value,
        }
    doc["employmentType"] = c.get("employment_type") or "FULL_TIME"
    if c.get("valid_through"):
        doc["validThrough"] = c["valid_through"]
    return doc


def generate(
    remit: str,
    *,
    areas: list[str] | None = None,
    company: str | None = None,
    title: str | None = None,
    lang: str = "en",
    fmt: str = "md",
    variables: dict[str, Any] | None = None,
    template_dir: str | Path | None = None,
    seed: int = 0,
) -> str:
    """Write a posting for `remit` (`cro` or `cso`) in `fmt` (md, html, txt, jsonld)."""
    if fmt not in FORMATS:
        raise TemplateError(f"unknown format '{fmt}'; use {', '.join(FORMATS)}")
    if lang not in ("en", "de"):
        raise TemplateError(f"unknown language '{lang}'; use en or de")
    ctx = build_context(
        remit,
        areas=areas,
        company=company,
        title=title,
        lang=lang,
        variables=variables,
        template_dir=template_dir,
        seed=seed,
    )
    out = render(FORMATS[fmt], ctx, template_dir)
    if fmt == "jsonld":
        return json.dumps(json_ld(ctx, out.strip()), ensure_ascii=False, indent=2)
    return out
