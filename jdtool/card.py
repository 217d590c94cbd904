"""The human-readable model card written beside every model."""

from __future__ import annotations

from typing import Any


def _table(per_class: dict[str, dict[str, Any]]) -> str:
    rows = ["| class | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for lab, s in per_class.items():
        rows.append(
            f"| {lab} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |"
        )
    return "\n".join(rows)


def model_card(meta: dict[str, Any]) -> str:
    """Markdown card: what the model does, its data, cross-validated figures and versions."""
    td = meta.get("training_data", {})
    cv = (meta.get("metrics") or {}).get("cv")
    v = meta.get("versions", {})
    lines = [
        f"# {meta.get('name', 'jdtool model')}",
        "",
        "Classifies executive sales job postings by remit: `cro` (owns the revenue organisation:",
        "sales plus marketing and/or customer success, renewals), `cso` (leads the sales function)",
        "or `other` (not a sales or revenue leader), with calibrated probabilities and evidence",
        "phrases. Includes jdtool's spaCy responsibility extractor for English and German.",
        "",
        "## Training data",
        f"- sources: {', '.join(td.get('sources', [])) or 'n/a'}",
        f"- postings: {td.get('n')}; classes: "
        + ", ".join(f"{k} {n}" for k, n in td.get("class_counts", {}).items()),
        "- languages: " + ", ".join(f"{k} {n}" for k, n in td.get("lang_counts", {}).items()),
        f"- sha256: `{td.get('sha256')}`",
        f"- seed: {meta.get('seed')}",
        "",
        "## How it decides",
        "LABELS.md's decision rules applied to the remit signals of the duty phrases (who the",
        "role leads, which revenue functions it owns or only partners with), averaged with a",
        "logistic regression over those signals and hashed TF-IDF of phrases and text;",
        f"weight of the rules: {(meta.get('params') or {}).get('rule_weight', 0.5)}.",
        "",
    ]
    am = meta.get("area_model")
    if am:
        lines += [
            "Remit areas: the extractor's rules, refined by a logistic regression learned from "
            f"{am['n_spans']} area-annotated training spans (the rules alone agree with those "
            f"annotations on {am['rule_agreement']:.1%}).",
            "",
        ]
    else:
        lines += ["Remit areas: the extractor's rules (no area-annotated spans to learn from).", ""]
    lines += [
        "## Cross-validated figures",
    ]
    if cv:
        lines += [
            f"{cv['folds']}-fold stratified cross-validation on the training corpus: accuracy "
            f"{cv['accuracy']:.3f}, macro-F1 {cv['macro_f1']:.3f}, expected calibration error "
            f"{cv['calibration']['ece']:.3f}.",
            "",
            _table(cv["per_class"]),
        ]
    else:
        lines.append("Not cross-validated (trained with --cv 0 or 1).")
    lines += [
        "",
        "## Intended use and limits",
        "- Input: one job posting (plain text, Markdown or HTML) in English or German. Other",
        "  languages are reported as `other` with `needs_review: true`.",
        "- Judges the remit (what the role owns), not the title, following jdtool's LABELS.md.",
        "- Figures above are on synthetic training postings; measure on your own data with",
        "  `jdtool evaluate`.",
        "",
        "## Versions",
        ", ".join(f"{k} {val}" for k, val in v.items()),
        "",
    ]
    return "\n".join(lines)
