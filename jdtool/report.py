"""HTML evaluation report with a confusion-matrix plot and a reliability diagram (matplotlib)."""

from __future__ import annotations

import base64
import html
import io
from typing import Any

from .errors import JdtoolError


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode()


def figures(rep: dict[str, Any]) -> dict[str, str]:
    """Base64 PNGs: `confusion` and `reliability`."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise JdtoolError("the HTML report needs matplotlib: pip install 'jdtool[report]'") from e
    labels = rep["confusion"]["labels"]
    m = rep["confusion"]["matrix"]
    fig, ax = plt.subplots(figsize=(4.2, 3.6))
    ax.imshow(m, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    top = max(max(row) for row in m) or 1
    for i, row in enumerate(m):
        for j, v in enumerate(row):
            ax.text(
                j, i, str(v), ha="center", va="center", color="white" if v > top / 2 else "black"
            )
    ax.set_title("Confusion matrix")
    confusion = _png(fig)
    plt.close(fig)
    cal = rep["calibration"]
    fig, ax = plt.subplots(figsize=(4.2, 3.6))
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    xs = [b["confidence"] for b in cal["bins"]]
    ys = [b["accuracy"] for b in cal["bins"]]
    sizes = [20 + 200 * b["count"] / max(1, rep["n"]) for b in cal["bins"]]
    ax.plot(xs, ys, "-", color="#1f77b4")
    ax.scatter(xs, ys, s=sizes, color="#1f77b4", label="model (size = postings)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence of the top class")
    ax.set_ylabel("accuracy")
    ax.set_title(f"Reliability diagram (ECE {cal['ece']:.3f})")
    ax.legend(loc="upper left", fontsize=8)
    reliability = _png(fig)
    plt.close(fig)
    return {"confusion": confusion, "reliability": reliability}


def write_html_report(rep: dict[str, Any], path: str) -> None:
    """Write a self-contained HTML page (images inline) for a classify report."""
    from .output import atomic_writer, classify_report_text

    figs = figures(rep)
    body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>jdtool evaluation</title>
<style>body{{font-family:sans-serif;max-width:960px;margin:2em auto}}img{{margin:1em}}</style>
</head><body>
<h1>jdtool evaluation</h1>
<p>{rep["n"]} postings: accuracy {rep["accuracy"]:.3f}, macro-F1 {rep["macro_f1"]:.3f},
expected calibration error {rep["calibration"]["ece"]:.3f}.</p>
<img alt="confusion matrix" src="data:image/png;base64,{figs["confusion"]}">
<img alt="reliability diagram" src="data:image/png;base64,{figs["reliability"]}">
<pre>{html.escape(classify_report_text(rep))}</pre>
</body></html>
"""
    with atomic_writer(path) as fh:
        fh.write(body)
