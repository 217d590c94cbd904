"""A training run killed at any point leaves the previous model intact and loadable."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from jdtool.model import load_model


@pytest.mark.parametrize("delay", [0.3, 2.0, 4.5])
def test_killed_training_keeps_previous_model(small_corpus, small_model, tmp_path, delay):
    import shutil

    target = tmp_path / "model"
    shutil.copytree(small_model, target)
    before = json.loads((target / "meta.json").read_text())
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jdtool.cli",
            "train",
            str(small_corpus),
            "-o",
            str(target),
            "--cv",
            "3",
            "--seed",
            "9",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = json.loads((target / "meta.json").read_text())
    # either untouched, or (if training finished before the kill) fully replaced
    assert after["seed"] in (before["seed"], 9)
    load_model(target)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "model"]
    # a killed run may leave its hidden temporary folder; it never replaces a model half-way
    assert all(name.startswith(".model.") for name in leftovers)
