"""Generation sweep: 50 seeds x 2 remits x 2 languages, each posting linted and classified back.

python benchmarks/generation_sweep.py [--seeds 50] [--out benchmarks/results/generation.json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=50)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "generation.json"))
    args = ap.parse_args()

    import jdtool
    from jdtool.check import check_text
    from jdtool.generate import generate
    from jdtool.inputs import Posting

    model = jdtool.load_model()
    counts: Counter[str] = Counter()
    failures = []
    for seed in range(args.seeds):
        for remit in ("cro", "cso"):
            for lang in ("en", "de"):
                text = generate(
                    remit,
                    company=f"Company {seed}",
                    lang=lang,
                    seed=seed,
                    variables={
                        "salary_min": "120000",
                        "salary_max": "150000",
                        "location": "Berlin" if lang == "de" else "London",
                    },
                )
                a = model.extractor.analyze(Posting(id="g", text=text))
                errors = [
                    f
                    for f in check_text(a.text, lang, phrases=len(a.phrases))
                    if f.level == "error"
                ]
                label = next(model.classify_many([Posting(id="g", text=text)])).label
                counts["total"] += 1
                counts["check_clean"] += not errors
                counts["round_trip"] += label == remit
                counts[f"round_trip_{remit}_{lang}"] += label == remit
                if errors or label != remit:
                    failures.append(
                        {
                            "seed": seed,
                            "remit": remit,
                            "lang": lang,
                            "label": label,
                            "errors": [f.code for f in errors],
                        }
                    )
    report = {**counts, "failures": failures}
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(
        f"{counts['total']} postings: {counts['check_clean']} pass `jdtool check` without "
        f"errors, {counts['round_trip']} classified back to their remit"
    )


if __name__ == "__main__":
    main()
