"""The retraining path, measured: train on half of the real postings, evaluate on the other half.

For each split seed, both halves take a turn as training data, alone and together with
`corpus/`; the shipped model is evaluated on the same test half for comparison. Needs
../shared/realworld/postings.jsonl (evaluation data; never used for the shipped model).
Writes benchmarks/results/retrain_halves.json.

    python benchmarks/retrain_halves.py [--seeds 0 1] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jdtool.corpus import load_corpus, split_corpus  # noqa: E402
from jdtool.evaluate import evaluate_classify  # noqa: E402
from jdtool.model import load_model  # noqa: E402
from jdtool.train import train  # noqa: E402

REAL = ROOT.parent / "shared" / "realworld" / "postings.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "retrain_halves.json"))
    args = ap.parse_args()
    if not REAL.exists():
        sys.exit(f"skipped: {REAL} is absent (the real postings are evaluation data)")
    corpus = load_corpus([str(ROOT / "corpus")])
    shipped = load_model()
    runs = []
    for seed in args.seeds:
        a, b = split_corpus([str(REAL)], fraction=0.5, seed=seed)
        for name, train_half, test_half in (("a->b", a, b), ("b->a", b, a)):
            row: dict[str, object] = {"seed": seed, "direction": name, "n_test": len(test_half)}
            for setup, data in (("real", train_half), ("real+corpus", [*train_half, *corpus])):
                model = train(data, cv=0, seed=0).model
                rep = evaluate_classify(model, test_half)
                row[setup] = {"macro_f1": rep["macro_f1"], "ece": rep["calibration"]["ece"]}
            rep = evaluate_classify(shipped, test_half)
            row["shipped"] = {"macro_f1": rep["macro_f1"], "ece": rep["calibration"]["ece"]}
            runs.append(row)
            print(
                f"seed {seed} {name}: real half {row['real']['macro_f1']:.3f}, "  # type: ignore[index]
                f"real half + corpus {row['real+corpus']['macro_f1']:.3f}, "  # type: ignore[index]
                f"shipped {row['shipped']['macro_f1']:.3f}"  # type: ignore[index]
            )
    summary = {
        setup: round(statistics.mean(r[setup]["macro_f1"] for r in runs), 4)  # type: ignore[index]
        for setup in ("real", "real+corpus", "shipped")
    }
    print("mean macro-F1:", summary)
    Path(args.out).write_text(
        json.dumps({"runs": runs, "mean_macro_f1": summary}, indent=2) + "\n", encoding="utf-8"
    )
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
