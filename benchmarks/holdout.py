"""How well the classifier's design transfers to writing it was not trained on.

Trains on the corpus without one group of files (by default the fourth writing wave, `w4-*`),
evaluates on that group, for the rules alone, the learned model alone and the shipped 50/50
blend (`--rule-weight` 1, 0, 0.5). Writes benchmarks/results/holdout.json.

    python benchmarks/holdout.py [--hold w4-] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jdtool.corpus import load_corpus  # noqa: E402
from jdtool.evaluate import evaluate_classify  # noqa: E402
from jdtool.train import train  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hold", default="w4-", help="file-name prefix of the held-out corpus files")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "holdout.json"))
    args = ap.parse_args()
    files = sorted((ROOT / "corpus").glob("*.jsonl"))
    held = [str(f) for f in files if f.name.startswith(args.hold)]
    rest = [str(f) for f in files if not f.name.startswith(args.hold)]
    if not held or not rest:
        sys.exit(f"error: no corpus files start with '{args.hold}', or all do; pick another --hold")
    train_set, test_set = load_corpus(rest), load_corpus(held)
    report: dict[str, object] = {
        "held_out": [Path(f).name for f in held],
        "n_train": len(train_set),
        "n_test": len(test_set),
        "results": {},
    }
    for name, weight in (("rules", 1.0), ("learned", 0.0), ("blend", 0.5)):
        model = train(train_set, cv=0, seed=0, params={"rule_weight": weight}).model
        rep = evaluate_classify(model, test_set)
        report["results"][name] = {  # type: ignore[index]
            "rule_weight": weight,
            "accuracy": rep["accuracy"],
            "macro_f1": rep["macro_f1"],
            "f1": {k: v["f1"] for k, v in rep["per_class"].items()},
            "ece": rep["calibration"]["ece"],
        }
        print(
            f"{name:8s} rule_weight={weight}: macro-F1 {rep['macro_f1']:.3f}, "
            f"accuracy {rep['accuracy']:.3f}, ECE {rep['calibration']['ece']:.3f}"
        )
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
