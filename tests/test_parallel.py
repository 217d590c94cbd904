"""--jobs and the Dask engine write the same records, in the same order, as one process."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from jdtool.cli import cli


@pytest.fixture(scope="module")
def stream(tmp_path_factory):
    rows = [
        json.loads(line) for line in (ROOT / "corpus" / "w2-mix.jsonl").read_text().splitlines()
    ]
    out = tmp_path_factory.mktemp("stream") / "in.jsonl"
    out.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows * 4))
    return out


def test_jobs_2_matches_one_process(runner, stream):
    one = runner.invoke(cli, ["classify", str(stream)])
    two = runner.invoke(cli, ["classify", "--jobs", "2", str(stream)])
    assert one.exit_code == 0 and two.exit_code == 0
    assert one.output == two.output and len(one.output.splitlines()) == 160
    e1 = runner.invoke(cli, ["extract", str(stream)])
    e2 = runner.invoke(cli, ["extract", "--jobs", "2", str(stream)])
    assert e1.exit_code == 0 and e1.output == e2.output


def test_dask_local_cluster_with_two_workers_matches_local(runner, stream):
    pytest.importorskip("distributed")
    local = runner.invoke(cli, ["classify", str(stream)])
    dask = runner.invoke(cli, ["classify", "--engine", "dask", "--jobs", "2", str(stream)])
    assert dask.exit_code == 0, dask.output[-2000:]
    assert dask.stdout == local.output


def test_unreachable_scheduler_is_a_clear_error(runner, stream):
    pytest.importorskip("distributed")
    r = runner.invoke(
        cli, ["classify", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1", str(stream)]
    )
    assert r.exit_code == 1 and "Dask scheduler" in r.output and "Traceback" not in r.output
