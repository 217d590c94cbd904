"""How learnable are the real-world remit areas from a phrase's words alone? (analysis only)

Cross-validates a word + character n-gram logistic regression on the gold responsibility phrases
of ../shared/realworld/postings.jsonl, grouped by posting (a posting's phrases are never split
between training and test), trains the same learner on the areas of corpus/ (and once more with
the rule's area as an extra feature) and scores it on the real phrases, and compares all of them
with jdtool's rule-based areas, on the real phrases and on the corpus areas.
Nothing here is shipped or saved: the real postings are evaluation data.

    python benchmarks/area_ceiling.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REAL = ROOT.parent / "shared" / "realworld" / "postings.jsonl"


def main() -> None:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline, make_union

    from jdtool.areas import area_inputs, build_area_model
    from jdtool.pipeline.responsibilities import ResponsibilityExtractor

    if not REAL.exists():
        sys.exit(f"skipped: {REAL} is absent")
    X: list[str] = []
    y: list[str] = []
    groups: list[str] = []
    rules: list[str] = []
    comp = ResponsibilityExtractor()
    for line in REAL.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        spans = rec.get("spans") or []
        phrases = [s.get("text") or rec["text"][s["start"] : s["end"]] for s in spans]
        rules += comp.rule_areas(phrases, rec["text"])
        for s, p in zip(spans, phrases):
            X.append(p.lower())
            y.append(s["area"])
            groups.append(rec["id"])
    learner = make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        ),
        LogisticRegression(C=5, max_iter=3000),
    )
    pred = cross_val_predict(learner, X, y, groups=groups, cv=GroupKFold(5))
    gold = np.asarray(y)
    print(f"{len(X)} gold phrases in {len(set(groups))} postings")
    print(
        f"majority area ({Counter(y).most_common(1)[0][0]}): {Counter(y).most_common(1)[0][1] / len(y):.3f}"
    )
    print(
        f"n-gram logistic regression, 5-fold grouped CV on the real phrases: {np.mean(pred == gold):.3f}"
    )
    print(
        f"jdtool's rule-based areas on the same phrases: {np.mean(np.asarray(rules) == gold):.3f}"
    )

    # learned from the corpus areas, scored on the real phrases
    cx: list[str] = []
    cy: list[str] = []
    crules: list[str] = []
    cgroups: list[str] = []
    for path in sorted((ROOT / "corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            spans = rec.get("spans") or []
            phrases = [rec["text"][s["start"] : s["end"]] for s in spans]
            crules += comp.rule_areas(phrases, rec["text"])
            cx += [p.lower() for p in phrases]
            cy += [s["area"] for s in spans]
            cgroups += [rec["id"]] * len(spans)
    print(
        f"jdtool's rule-based areas on the {len(cy)} corpus phrases: "
        f"{np.mean(np.asarray(crules) == np.asarray(cy)):.3f}"
    )
    learner.fit(cx, cy)
    print(
        "n-gram logistic regression trained on the corpus areas, on the real phrases: "
        f"{np.mean(learner.predict(X) == gold):.3f}"
    )
    # the same with the rule's area as a feature
    learner.fit([f"{p} rule_{r}" for p, r in zip(cx, crules)], cy)
    pred = learner.predict([f"{p} rule_{r}" for p, r in zip(X, rules)])
    print(f"... with the rule's area as a feature: {np.mean(pred == gold):.3f}")
    # the shipped design (jdtool.areas: hashed character 3-4- and word 1-2-grams + rule's area),
    # cross-validated on the corpus grouped by posting, then trained on it and scored on real
    cpred = np.empty(len(cy), dtype=object)
    cyy = np.asarray(cy)
    for tr, te in GroupKFold(5).split(cx, cyy, cgroups):
        m = build_area_model().fit(
            area_inputs([cx[i] for i in tr], [crules[i] for i in tr]), cyy[tr]
        )
        cpred[te] = m.predict(area_inputs([cx[i] for i in te], [crules[i] for i in te]))
    print(
        "jdtool's learned area model, 5-fold grouped CV on the corpus areas: "
        f"{np.mean(cpred == cyy):.3f}"
    )
    shipped = build_area_model().fit(area_inputs(cx, crules), cy)
    pred = shipped.predict(area_inputs(X, rules))
    print(
        f"jdtool's learned area model (jdtool.areas), trained on the corpus: {np.mean(pred == gold):.3f}"
    )


if __name__ == "__main__":
    main()
