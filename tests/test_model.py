"""Model folders: skops with trusted types only, tamper and version checks, determinism."""

from __future__ import annotations

import json
import pickle
import shutil

import pytest

from jdtool.errors import ModelError
from jdtool.inputs import Posting
from jdtool.model import MODEL_FILE, TRUSTED_TYPES, load_model


def test_saved_model_needs_only_trusted_types(small_model):
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=small_model / MODEL_FILE)
    assert set(untrusted) <= set(TRUSTED_TYPES)


def test_bundled_model_loads_and_meta_is_complete(model):
    meta = model.meta
    assert meta["labels"] == ["cro", "cso", "other"]
    assert {"sha256", "n", "class_counts", "lang_counts"} <= set(meta["training_data"])
    assert {"jdtool", "scikit-learn", "spacy", "skops"} <= set(meta["versions"])
    assert meta["metrics"]["cv"]["macro_f1"] > 0.5
    assert model.path is not None and (model.path / "README.md").is_file()


def test_pipeline_in_model_folder_loads_with_spacy(small_model):
    import spacy

    nlp = spacy.load(small_model / "pipeline-de")
    doc = nlp("Ihre Aufgaben\n- Führung des Vertriebsteams\n")
    assert [s.text for s in doc.spans["responsibilities"]] == ["Führung des Vertriebsteams"]


def test_same_corpus_and_seed_give_same_predictions(small_corpus, tmp_path):
    from jdtool.corpus import load_corpus
    from jdtool.train import train

    corpus = load_corpus([str(small_corpus)])
    a = train(corpus, cv=0, seed=3).model
    b = train(corpus, cv=0, seed=3).model
    posts = [Posting(id=p.id, text=p.text) for p in corpus[:10]]
    ra = [(r.label, r.scores) for r in a.classify_many(posts)]
    rb = [(r.label, r.scores) for r in b.classify_many(posts)]
    assert ra == rb
    assert a.meta["training_data"]["sha256"] == b.meta["training_data"]["sha256"]


def test_cross_validation_figures_do_not_depend_on_worker_processes(small_corpus):
    from jdtool.corpus import load_corpus
    from jdtool.train import train

    corpus = load_corpus([str(small_corpus)])
    one = train(corpus, cv=3, seed=0, jobs=1)
    two = train(corpus, cv=3, seed=0, jobs=2)
    assert one.model.meta["area_model"]  # the folds re-fit the learned area model
    assert one.cv == two.cv and one.cv is not None and one.cv["n"] == len(corpus)


def _copy(src, dst):
    shutil.copytree(src, dst)
    return dst


def test_tampered_model_file_is_refused(small_model, tmp_path):
    folder = _copy(small_model, tmp_path / "m")
    with (folder / MODEL_FILE).open("ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelError, match="checksum"):
        load_model(folder)


def test_model_with_untrusted_type_is_refused(small_model, tmp_path):
    import skops.io as sio

    from jdtool.model import sha256_file

    folder = _copy(small_model, tmp_path / "m")
    evil = {
        "payload": __import__("collections").OrderedDict(a=1),
        "x": __import__("fractions").Fraction(1, 3),
    }
    sio.dump(evil, folder / MODEL_FILE)
    meta = json.loads((folder / "meta.json").read_text())
    meta["files"][MODEL_FILE] = sha256_file(folder / MODEL_FILE)
    (folder / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="does not trust"):
        load_model(folder)


def test_pickle_file_and_non_folder_are_refused(tmp_path):
    p = tmp_path / "model.pkl"
    p.write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(ModelError, match="pickle"):
        load_model(p)
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "model.joblib").write_bytes(b"x")
    with pytest.raises(ModelError, match="not a jdtool model folder"):
        load_model(folder)


def test_other_library_version_is_refused_with_versions(small_model, tmp_path):
    folder = _copy(small_model, tmp_path / "m")
    meta = json.loads((folder / "meta.json").read_text())
    meta["versions"]["scikit-learn"] = "0.24.2"
    (folder / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=r"scikit-learn 0\.24\.2"):
        load_model(folder)


def test_retraining_replaces_folder_atomically(small_corpus, small_model, tmp_path):
    from jdtool.corpus import load_corpus
    from jdtool.train import train

    folder = _copy(small_model, tmp_path / "m")
    train(load_corpus([str(small_corpus)]), cv=0, seed=5).model.save(folder)
    assert json.loads((folder / "meta.json").read_text())["seed"] == 5
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".m.")]
    load_model(folder)


def test_remit_features_follow_the_estimator_contract():
    from sklearn.base import clone

    from jdtool.features import RemitFeatures, compose

    est = RemitFeatures(text_weight=0.25)
    assert clone(est).get_params() == {"text_weight": 0.25}
    docs = [
        compose([("Lead the marketing team", "marketing")], "We sell."),
        compose([("Partner with marketing", "cross_functional")], ""),
    ]
    X = est.fit(docs).transform(docs)
    assert X.shape == (2, len(est.get_feature_names_out()))
    names = list(est.get_feature_names_out())
    assert X[0, names.index("phrase:own:marketing")] > 0
    assert X[1, names.index("phrase:partner:marketing")] > 0
    assert X[1, names.index("phrase:own:marketing")] == 0
    with pytest.raises(ValueError):
        est.transform("one string")


def test_review_table_says_what_min_confidence_would_leave():
    from jdtool.metrics import calibration

    conf = [0.95, 0.9, 0.85, 0.65, 0.55, 0.4]
    ok = [True, True, False, True, False, False]
    rows = {r["min_confidence"]: r for r in calibration(conf, ok)["review"]}
    assert rows[0.5] == {"min_confidence": 0.5, "answered": round(5 / 6, 4), "accuracy": 0.6}
    assert rows[0.8] == {"min_confidence": 0.8, "answered": 0.5, "accuracy": round(2 / 3, 4)}
    assert rows[0.9]["answered"] == round(2 / 6, 4) and rows[0.9]["accuracy"] == 1.0
