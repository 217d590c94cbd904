"""The `jdtool` command line: option parsing and output formatting around the library."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

import click

from .errors import JdtoolError

FORMATS = ["table", "json", "jsonl", "csv"]


class JdtoolGroup(click.Group):
    """Maps every JdtoolError to a one-line message and exit code 1 (no traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except JdtoolError as e:
            raise click.ClickException(str(e)) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # e.g. `jdtool classify big.jsonl | head`
            sys.stderr.close()
            ctx.exit(0)


@click.group(cls=JdtoolGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jdtool")
def cli() -> None:
    """Extract duties from, classify (CSO vs CRO remit) and write executive sales job postings."""


# -- shared options -------------------------------------------------------------------------------


def input_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """INPUTS..., --lang, --max-bytes, --skip-invalid."""

    @click.argument("inputs", nargs=-1, metavar="[INPUTS]...")
    @click.option(
        "--lang",
        type=click.Choice(["auto", "en", "de"]),
        default="auto",
        show_default=True,
        help="Posting language; auto-detected by default.",
    )
    @click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        default=5_000_000,
        show_default=True,
        help="Size limit for one posting (a JSONL/CSV stream may be larger).",
    )
    @click.option(
        "--skip-invalid",
        is_flag=True,
        help="Report broken records and unreadable files on stderr and go on.",
    )
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return f(*args, **kwargs)

    return wrapper


def model_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """--model PATH."""
    return click.option(
        "--model",
        "model_path",
        type=click.Path(),
        default=None,
        help="Model folder (default: the bundled model).",
    )(f)


def output_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--format and -o/--output for record-producing commands."""

    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format (default: table on a terminal, jsonl otherwise).",
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False),
        default=None,
        help="Write to FILE (atomically) instead of stdout.",
    )
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return f(*args, **kwargs)

    return wrapper


def jobs_option(
    f: Callable[..., Any] | None = None,
    *,
    help_text: str = "Worker processes (same output as one; with --engine dask: LocalCluster "
    "workers).",
) -> Any:
    """--jobs N (as `@jobs_option` or `@jobs_option(help_text=...)`)."""
    option = click.option(
        "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help=help_text
    )
    return option(f) if f is not None else option


def _resolve_inputs(inputs: tuple[str, ...]) -> list[str]:
    if inputs:
        return list(inputs)
    if not sys.stdin.isatty():
        return ["-"]
    raise click.UsageError("give posting files, folders, or '-' to read stdin")


def _read_options(max_bytes: int, skip_invalid: bool) -> Any:
    from .inputs import ReadOptions

    def warn(msg: str) -> None:
        click.echo(f"warning: {msg}", err=True)

    return ReadOptions(max_bytes=max_bytes, skip_invalid=skip_invalid, on_skip=warn)


def _default_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    return "table" if output is None and sys.stdout.isatty() else "jsonl"


@contextmanager
def _sink(output: str | None) -> Iterator[IO[str]]:
    if output is None:
        yield sys.stdout
    else:
        from .output import atomic_writer

        with atomic_writer(output) as fh:
            yield fh


def _load(model_path: str | None) -> Any:
    from . import load_model

    return load_model(model_path)


def _progress(label: str) -> Any:
    from .progress import progress_bar

    return progress_bar(label)


# -- classify ------------------------------------------------------------------------------------


@cli.command()
@input_options
@model_option
@output_options
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Below this confidence, answer 'other' with needs_review: true.",
)
@jobs_option
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Run here, or partition the input over a Dask cluster.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Dask scheduler address (default: start a LocalCluster).",
)
def classify(
    inputs,
    lang,
    max_bytes,
    skip_invalid,
    model_path,
    fmt,
    output,
    min_confidence,
    jobs,
    engine,
    scheduler,
):
    """Label postings cro / cso / other by remit, with confidence and evidence.

    INPUTS are files or folders (.txt .md .html .htm .jsonl .csv) or '-' for stdin.
    """
    from .inputs import iter_postings
    from .output import CLASSIFY_CSV_FIELDS, classify_csv_row, classify_table_lines, write_records
    from .parallel import classify_stream

    paths = _resolve_inputs(inputs)
    fmt = _default_format(fmt, output)
    postings = iter_postings(paths, _read_options(max_bytes, skip_invalid))
    with _progress("classify") as tick:
        if engine == "dask":
            from .dask_engine import classify_dask

            records = classify_dask(
                postings,
                model_path,
                lang=lang,
                min_confidence=min_confidence,
                scheduler=scheduler,
                workers=jobs if jobs > 1 else 2,
                on_record=tick,
            )
        else:
            records = classify_stream(
                postings,
                model_path,
                lang=lang,
                min_confidence=min_confidence,
                jobs=jobs,
                on_record=tick,
            )
        with _sink(output) as fh:
            write_records(
                records,
                fh,
                fmt,
                csv_row=classify_csv_row,
                csv_fields=CLASSIFY_CSV_FIELDS,
                table_lines=classify_table_lines,
            )


# -- extract --------------------------------------------------------------------------------------


@cli.command()
@input_options
@model_option
@output_options
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write a displaCy rendering of the phrases, coloured by area, to FILE.",
)
@jobs_option
def extract(inputs, lang, max_bytes, skip_invalid, model_path, fmt, output, html_path, jobs):
    """List the responsibility phrases of postings with offsets and remit areas.

    Offsets index the input text exactly as given; for HTML input they cover the phrase in the
    raw HTML, and `text` is the phrase as plain text.
    """
    from .inputs import iter_postings
    from .output import extract_table_lines, write_extract_csv, write_records
    from .parallel import extract_stream

    paths = _resolve_inputs(inputs)
    fmt = _default_format(fmt, output)
    postings = iter_postings(paths, _read_options(max_bytes, skip_invalid))
    kept: list[Any] = []
    with _progress("extract") as tick:
        analyses = extract_stream(postings, model_path, lang=lang, jobs=jobs, on_record=tick)

        def records() -> Iterator[dict[str, Any]]:
            for a in analyses:
                if html_path:
                    kept.append(a)
                yield a.record()

        with _sink(output) as fh:
            if fmt == "csv":
                write_extract_csv(records(), fh)
            else:
                write_records(records(), fh, fmt, table_lines=extract_table_lines)
    if html_path:
        from .output import atomic_writer
        from .render import render_html

        model = _load(model_path)
        with atomic_writer(html_path) as fh:
            fh.write(render_html(kept, model.extractor.nlp))


# -- generate -------------------------------------------------------------------------------------


def _parse_vars(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        key, sep, val = v.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"'{v}' is not KEY=VALUE", param_hint="--var")
        out[key.strip()] = val
    return out


@cli.command()
@click.option(
    "--remit", type=click.Choice(["cro", "cso"]), required=True, help="The remit to write for."
)
@click.option(
    "--area",
    "areas",
    multiple=True,
    metavar="AREA",
    help="Remit area to include (repeatable; default: the remit's standard areas). "
    "Prefix with '-' to drop one.",
)
@click.option("--company", default=None, help="Company name.")
@click.option("--title", default=None, help="Job title (default: from the remit and language).")
@click.option("--lang", type=click.Choice(["en", "de"]), default="en", show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "txt", "jsonld"]),
    default="md",
    show_default=True,
)
@click.option(
    "--var",
    "var_items",
    multiple=True,
    metavar="KEY=VALUE",
    help="Template variable (repeatable): location, reports_to, team_size, salary_min, "
    "salary_max, currency, remote, contact, about, employment_type, ...",
)
@click.option(
    "--vars",
    "vars_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="YAML or JSON file of template variables.",
)
@click.option(
    "--template-dir",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Folder of templates overriding the bundled ones (rendered in a sandbox).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Picks the phrase variants reproducibly."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to FILE (atomically) instead of stdout.",
)
def generate(
    remit, areas, company, title, lang, fmt, var_items, vars_file, template_dir, seed, output
):
    """Write a job posting for a CRO- or CSO-type remit (Markdown, HTML, text or JSON-LD)."""
    from .generate import generate as gen
    from .generate import load_vars

    variables = load_vars(vars_file) if vars_file else {}
    variables.update(_parse_vars(var_items))
    text = gen(
        remit,
        areas=list(areas),
        company=company,
        title=title,
        lang=lang,
        fmt=fmt,
        variables=variables,
        template_dir=template_dir,
        seed=seed,
    )
    with _sink(output) as fh:
        fh.write(text if text.endswith("\n") else text + "\n")


@cli.command("check")
@input_options
@model_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def check_cmd(inputs, lang, max_bytes, skip_invalid, model_path, fmt):
    """Lint postings: gender-coded words, AGG red flags, pay range, length, duties.

    Exits with code 1 when any posting has an error-level finding.
    """
    from .check import check_postings, check_report_text
    from .inputs import iter_postings

    postings = iter_postings(_resolve_inputs(inputs), _read_options(max_bytes, skip_invalid))
    records = check_postings(postings, _load(model_path), lang=lang)
    click.echo(
        json.dumps(records, indent=2, ensure_ascii=False)
        if fmt == "json"
        else check_report_text(records)
    )
    errors = sum(r["errors"] for r in records)
    if errors:
        raise click.ClickException(f"{errors} error-level finding(s)")


# -- train / evaluate / info ---------------------------------------------------------------------


@cli.command()
@click.argument("corpus", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False),
    required=True,
    help="Model folder to write (replaced atomically if it exists).",
)
@click.option(
    "--cv",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Cross-validation folds to report (0: none).",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--rule-weight",
    type=click.FloatRange(0.0, 1.0),
    default=0.5,
    show_default=True,
    help="Weight of LABELS.md's decision rules against the learned model "
    "(1: rules alone, 0: learned model alone).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@jobs_option(help_text="Worker processes for the cross-validation folds (same figures as one).")
def train(corpus, out_dir, cv, seed, rule_weight, fmt, jobs):
    """Train a model folder from labelled JSONL/CSV corpora and print cross-validated figures."""
    from .corpus import load_corpus
    from .output import classify_report_text
    from .train import train as do_train

    postings = load_corpus(list(corpus))
    with _progress("train") as tick:
        result = do_train(
            postings,
            cv=cv,
            seed=seed,
            sources=list(corpus),
            progress=tick,
            params={"rule_weight": rule_weight},
            jobs=jobs,
        )
    result.model.save(out_dir)
    areas = result.model.meta.get("area_model")
    if fmt == "json":
        click.echo(json.dumps({"model": out_dir, "cv": result.cv, "area_model": areas}, indent=2))
    else:
        click.echo(f"model written to {out_dir} ({len(postings)} postings)")
        if areas:
            click.echo(
                f"remit areas: learned from {areas['n_spans']} annotated spans "
                f"(the rules alone agree with them on {areas['rule_agreement']:.1%})"
            )
        else:
            click.echo("remit areas: rules only (fewer than 200 area-annotated spans)")
        if result.cv:
            click.echo(classify_report_text(result.cv, f"{cv}-fold cross-validation"))


@cli.command()
@click.argument("corpus", nargs=-1, required=True)
@model_option
@click.option(
    "--task", type=click.Choice(["classify", "extract"]), default="classify", show_default=True
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--lang", type=click.Choice(["auto", "en", "de"]), default="auto", show_default=True)
@click.option(
    "--blank-titles",
    is_flag=True,
    help="Remove each posting's title from its text first (does the model read titles?).",
)
@click.option(
    "--baselines",
    is_flag=True,
    help="Also report a title-keyword rule and a TF-IDF + logistic regression baseline.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write an HTML report with a confusion matrix and reliability diagram.",
)
def evaluate(corpus, model_path, task, fmt, lang, blank_titles, baselines, report_path):
    """Measure a model on labelled postings (classification or extraction)."""
    from .corpus import load_corpus
    from .evaluate import evaluate_classify, evaluate_extract
    from .output import classify_report_text, extract_report_text

    postings = load_corpus(list(corpus), require_labels=(task == "classify"))
    model = _load(model_path)
    if task == "extract":
        rep = evaluate_extract(model, postings, lang=lang)
        text = extract_report_text(rep)
    else:
        rep = evaluate_classify(model, postings, lang=lang, blank_titles=blank_titles)
        if baselines:
            from .baselines import baseline_reports

            rep["baselines"] = baseline_reports(postings, model)
        text = classify_report_text(rep)
        if report_path:
            from .report import write_html_report

            write_html_report(rep, report_path)
    click.echo(json.dumps(rep, indent=2) if fmt == "json" else text)


@cli.command()
@model_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def info(model_path, fmt):
    """Show the model card (or meta.json with --format json)."""
    from pathlib import Path

    from .model import CARD_FILE, default_model_path, read_meta

    folder = Path(model_path) if model_path else default_model_path()
    model = _load(model_path)
    if fmt == "json":
        click.echo(json.dumps(model.meta, indent=2, ensure_ascii=False))
    else:
        card = folder / CARD_FILE
        click.echo(
            card.read_text(encoding="utf-8")
            if card.is_file()
            else json.dumps(read_meta(folder), indent=2)
        )


# -- corpus ---------------------------------------------------------------------------------------


@cli.group()
def corpus() -> None:
    """Work with labelled corpora."""


@corpus.command("check")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--against",
    multiple=True,
    type=click.Path(exists=True),
    help="Another corpus that must not share postings with this one (repeatable).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def corpus_check(paths, against, fmt):
    """Validate a corpus (schema, labels, offsets, language, duplicates) and print statistics."""
    from .corpus import check_corpus, check_report_text

    rep = check_corpus(list(paths), against=list(against))
    if fmt == "json":
        click.echo(
            json.dumps(
                {"ok": rep.ok, "errors": rep.errors, "warnings": rep.warnings, "stats": rep.stats},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        click.echo(check_report_text(rep))
    if not rep.ok:
        raise click.ClickException(f"{len(rep.errors)} error(s) in the corpus; see above")


@corpus.command("align")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    required=True,
    help="JSONL file to write (atomically).",
)
def corpus_align(path, output):
    """Fill in span offsets for annotations that quote the phrase text only.

    Each span needs `text` (and `area`); jdtool finds it in the posting, in order, and writes
    `start`/`end`. Lets annotators quote duties instead of counting characters.
    """
    from .corpus import align_file

    n = align_file(path, output)
    click.echo(f"{n} postings aligned into {output}", err=True)


@corpus.command("split")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--fraction",
    type=click.FloatRange(0.01, 0.99),
    default=0.5,
    show_default=True,
    help="Share of each class that goes to the first file.",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False),
    help="Two JSONL files: first part, second part.",
)
def corpus_split(paths, fraction, seed, outputs):
    """Split labelled postings into two stratified parts (e.g. train and test halves)."""
    from .corpus import posting_record, split_corpus
    from .output import atomic_writer

    if len(outputs) != 2:
        raise click.UsageError("give exactly two -o files")
    parts = split_corpus(list(paths), fraction, seed)
    for out, part in zip(outputs, parts):
        with atomic_writer(out) as fh:
            for p in part:
                fh.write(json.dumps(posting_record(p), ensure_ascii=False) + "\n")
    click.echo(
        f"{len(parts[0])} postings to {outputs[0]}, {len(parts[1])} to {outputs[1]}", err=True
    )


def main() -> None:  # pragma: no cover - console entry point convenience
    cli()


if __name__ == "__main__":  # pragma: no cover - `python -m jdtool.cli`
    cli()
