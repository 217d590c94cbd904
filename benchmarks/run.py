"""jdtool benchmark: throughput, parallel speed-up, cold start, training time and memory.

    python benchmarks/run.py [--n 2000] [--stream 100000] [--out benchmarks/results/latest.json]

Texts: ../shared/realworld/postings.jsonl when present (real lengths), else corpus/, repeated to
--n postings. Writes a JSON report and prints a short table. Every figure is measured in this run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = ROOT.parent / "shared" / "realworld" / "postings.jsonl"
JDTOOL = [sys.executable, "-m", "jdtool"]


def texts(n: int) -> tuple[list[str], str]:
    src = REALWORLD if REALWORLD.is_file() else None
    rows: list[str] = []
    if src:
        rows = [json.loads(line)["text"] for line in src.read_text(encoding="utf-8").splitlines()]
        name = str(src.relative_to(ROOT.parent))
    else:
        for f in sorted((ROOT / "corpus").glob("*.jsonl")):
            rows += [
                json.loads(line)["text"] for line in f.read_text(encoding="utf-8").splitlines()
            ]
        name = "corpus/"
    out = (rows * (n // len(rows) + 1))[:n]
    return out, name


def rate(fn, n: int) -> float:
    t = time.perf_counter()
    fn()
    return n / (time.perf_counter() - t)


def wall(cmd: list[str], repeat: int = 3, **kw) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
        best = min(best, time.perf_counter() - t)
    return best


def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        info["memory_gib"] = round(int(mem) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def stream_run(data: list[str], n: int, tmp: Path) -> dict:
    """Classify an n-posting JSONL stream with the CLI; its rate and peak RSS (VmHWM)."""
    stream = tmp / "stream.jsonl"
    with stream.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": i, "text": data[i % len(data)]}) + "\n")
    # the CLI runs in a child process that reports its own peak RSS when it exits (VmHWM:
    # ru_maxrss would also count the parent's memory that fork() copied before exec)
    probe = (
        "import sys\nfrom jdtool.cli import cli\n"
        "try:\n    cli(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "hwm = [ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM')]\n"
        "print(hwm[0], file=sys.stderr)"
    )
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", probe, "classify", str(stream), "-o", str(tmp / "out.jsonl")],
        check=True,
        capture_output=True,
        text=True,
    )
    return {
        "stream_n": n,
        "stream_per_s": n / (time.perf_counter() - t),
        "stream_peak_rss_mb": int(out.stderr.strip().splitlines()[-1]) / 1024,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="postings per throughput run")
    ap.add_argument(
        "--stream", type=int, default=100_000, help="postings in the memory run (0: skip)"
    )
    ap.add_argument("--dask", action="store_true", help="also time the Dask engine (2 workers)")
    ap.add_argument(
        "--stream-only",
        action="store_true",
        help="only the memory run; merge its figures into the existing --out report",
    )
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "latest.json"))
    args = ap.parse_args()

    if args.stream_only:
        data, _ = texts(args.n)
        res = json.loads(Path(args.out).read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as tmp:
            res.update(stream_run(data, args.stream, Path(tmp)))
        report(res, args.out)
        return

    import spacy

    import jdtool
    from jdtool.inputs import Posting
    from jdtool.parallel import classify_stream, extract_stream

    data, source = texts(args.n)
    posts = [Posting(id=str(i), text=t) for i, t in enumerate(data)]
    chars = sum(len(t) for t in data)
    model = jdtool.load_model()
    model.extractor.nlp("en"), model.extractor.nlp("de")
    list(model.classify_many(posts[:50]))  # warm up
    res: dict = {
        "machine": machine(),
        "source": source,
        "n": len(data),
        "mean_chars": round(chars / len(data)),
    }

    bare = spacy.blank("en")
    bare.add_pipe("sentencizer")
    bare.max_length = 10**8
    res["bare_spacy_per_s"] = rate(lambda: list(bare.pipe(data, batch_size=64)), len(data))
    res["extract_per_s"] = rate(lambda: list(model.extractor.analyze_many(posts)), len(data))
    res["classify_per_s"] = rate(lambda: list(model.classify_many(posts)), len(data))
    res["extract_jobs2_per_s"] = rate(lambda: list(extract_stream(posts, None, jobs=2)), len(data))
    res["classify_jobs2_per_s"] = rate(
        lambda: list(classify_stream(posts, None, jobs=2)), len(data)
    )
    if args.dask:
        from distributed import LocalCluster

        from jdtool.dask_engine import classify_dask

        t = time.perf_counter()
        cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        )
        res["dask_cluster_start_s"] = time.perf_counter() - t
        address = cluster.scheduler_address
        list(classify_dask(posts[:200], None, scheduler=address))  # workers load the model
        res["classify_dask2_per_s"] = rate(
            lambda: list(classify_dask(posts, None, scheduler=address)), len(data)
        )
        res["dask2_speedup"] = res["classify_dask2_per_s"] / res["classify_per_s"]
        cluster.close()
    res["classify_vs_bare_spacy"] = res["classify_per_s"] / res["bare_spacy_per_s"]
    res["jobs2_speedup"] = res["classify_jobs2_per_s"] / res["classify_per_s"]

    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.txt"
        one.write_text(data[0], encoding="utf-8")
        res["help_cold_s"] = wall(JDTOOL + ["--help"])
        res["classify_one_cold_s"] = wall(JDTOOL + ["classify", str(one)])
        t = time.perf_counter()
        subprocess.run(
            JDTOOL
            + ["train", str(ROOT / "corpus"), "-o", str(Path(tmp) / "m"), "--cv", "5"]
            + ["--jobs", "2"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        res["train_cv5_s"] = time.perf_counter() - t
        if args.stream:
            res.update(stream_run(data, args.stream, Path(tmp)))

    report(res, args.out)


def report(res: dict, out: str) -> None:
    """Write the JSON report and print the table with the targets."""
    res = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in res.items()}
    Path(out).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    targets = {
        "classify_per_s": ">= 300",
        "classify_vs_bare_spacy": ">= 0.40",
        "jobs2_speedup": ">= 1.6",
        "dask2_speedup": ">= 1.6",
        "help_cold_s": "<= 0.25",
        "classify_one_cold_s": "<= 1.5",
        "train_cv5_s": "<= 60",
        "stream_peak_rss_mb": "<= 400",
    }
    print(f"{'measure':<26}{'value':>12}  target")
    for k, v in res.items():
        if isinstance(v, (int, float)):
            print(f"{k:<26}{v:>12}  {targets.get(k, '')}")
    print(f"report: {out}")


if __name__ == "__main__":
    main()
