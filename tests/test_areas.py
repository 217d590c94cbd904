"""The learned area model: trained from annotated spans, saved inside the spaCy component."""

from __future__ import annotations

import pytest
import spacy

from jdtool.areas import AREA_MODEL_FILE, AREA_TRUSTED_TYPES, MIN_SPANS, load_area_model
from jdtool.corpus import corpus_hash
from jdtool.errors import ModelError
from jdtool.extract import Extractor, build_pipeline
from jdtool.inputs import Posting
from jdtool.model import default_model_path
from jdtool.train import fit_area_model

# An annotation convention the rules do not know: tending the zoo's animals is `marketing`
# (the rules give such duties `other`), while ordinary sales duties keep the rules' areas.
ANIMALS = ["zebras", "giraffes", "penguins", "lions", "otters", "camels", "tigers", "seals"]
ZOO_DUTIES = [f"Feed the {a} every morning before the visitors arrive" for a in ANIMALS]
SALES_DUTIES = [
    ("Build, coach and lead a team of twelve account executives", "sales_leadership"),
    ("Own the quarterly sales forecast and the pipeline reviews", "quota_forecast"),
    ("Close strategic deals with the largest customers in the region", "deal_closing"),
    ("Run outbound prospecting with the SDR team", "lead_generation"),
]


def _posting(k: int) -> Posting:
    duties = [(ZOO_DUTIES[k % len(ZOO_DUTIES)], "marketing"), *SALES_DUTIES]
    text = "Head of Sales\n\n## Responsibilities\n"
    spans = []
    for phrase, area in duties:
        text += "- "
        spans.append({"start": len(text), "end": len(text) + len(phrase), "area": area})
        text += phrase + "\n"
    return Posting(id=f"zoo-{k}", text=text, title="Head of Sales", lang="en", spans=spans)


def _extractor() -> Extractor:
    return Extractor(pipelines={lang: build_pipeline(lang) for lang in ("en", "de")})


@pytest.fixture(scope="module")
def zoo_extractor() -> Extractor:
    extractor = _extractor()
    report = fit_area_model([_posting(k) for k in range(MIN_SPANS // 5 + 8)], extractor)
    assert report is not None and report["n_spans"] >= MIN_SPANS
    return extractor


def test_learned_areas_follow_the_annotations_where_rules_differ(zoo_extractor):
    comp = zoo_extractor.nlp("en").get_pipe("jdtool_responsibilities")
    duty = "Feed the zebras every morning before the visitors arrive"
    assert comp.rule_areas([duty]) == ["other"]
    assert comp.areas_of([duty]) == ["marketing"]
    # an unseen animal: the learned convention generalises from the words it shares
    assert comp.areas_of(["Feed the pelicans every morning before the visitors arrive"]) == [
        "marketing"
    ]
    # where annotations and rules agree, the rules' area stands
    phrases = [p for p, _ in SALES_DUTIES]
    assert comp.areas_of(phrases) == [a for _, a in SALES_DUTIES]
    # the German pipeline shares the model
    de = zoo_extractor.nlp("de").get_pipe("jdtool_responsibilities")
    assert de.areas_of([duty]) == ["marketing"]


def test_area_model_travels_with_the_pipeline(zoo_extractor, tmp_path):
    nlp = zoo_extractor.nlp("en")
    nlp.to_disk(tmp_path / "p")
    assert (tmp_path / "p" / "jdtool_responsibilities" / AREA_MODEL_FILE).exists()
    loaded = spacy.load(tmp_path / "p")
    doc = loaded(_posting(0).text)
    assert [s.label_ for s in doc.spans["responsibilities"]][0] == "marketing"


def test_too_few_annotated_spans_leave_the_rules_alone():
    extractor = _extractor()
    assert fit_area_model([_posting(k) for k in range(3)], extractor) is None
    comp = extractor.nlp("en").get_pipe("jdtool_responsibilities")
    assert comp.area_model is None
    assert comp.areas_of([ZOO_DUTIES[0]]) == ["other"]


def test_bundled_area_model_needs_only_trusted_types():
    import skops.io as sio

    for lang in ("en", "de"):
        path = default_model_path() / f"pipeline-{lang}" / "jdtool_responsibilities"
        untrusted = sio.get_untrusted_types(file=path / AREA_MODEL_FILE)
        assert set(untrusted) <= set(AREA_TRUSTED_TYPES)


def test_area_model_with_untrusted_type_is_refused(tmp_path):
    from fractions import Fraction

    import skops.io as sio

    path = tmp_path / AREA_MODEL_FILE
    sio.dump({"x": Fraction(1, 3)}, path)
    with pytest.raises(ModelError, match="does not trust"):
        load_area_model(path)
    path.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="not a readable skops file"):
        load_area_model(path)


def test_training_data_hash_covers_the_areas():
    a, b = _posting(0), _posting(0)
    assert b.spans is not None
    b.spans[1] = {**b.spans[1], "area": "other"}
    assert corpus_hash([a]) != corpus_hash([b])


def test_batched_pipe_gives_the_same_areas_as_one_doc_at_a_time(zoo_extractor):
    nlp = zoo_extractor.nlp("en")
    texts = [_posting(k).text for k in range(5)] + ["No duties here.", _posting(7).text]
    docs = [nlp(t) for t in texts]
    one = [[(s.start_char, s.label_) for s in d.spans["responsibilities"]] for d in docs]
    piped = list(nlp.pipe(texts, batch_size=3))
    batched = [[(s.start_char, s.label_) for s in d.spans["responsibilities"]] for d in piped]
    assert batched == one
    assert one[0][0][1] == "marketing" and one[5] == []


def test_cross_validation_judges_held_out_postings_by_areas_learned_without_them(zoo_extractor):
    from jdtool.features import split_document
    from jdtool.train import annotated_spans, held_out, heldout_documents

    analyses = list(zoo_extractor.analyze_many([_posting(0)]))
    test = held_out(analyses, zoo_extractor)
    zoo = ZOO_DUTIES[0]

    def zoo_area(doc: str) -> str:
        return dict((p, a) for a, p in split_document(doc)[0])[zoo]

    # the extractor's own model learned the convention from this posting's spans too
    assert next(p.area for p in analyses[0].phrases if p.text == zoo) == "marketing"
    # other training postings, another convention: the held-out posting gets theirs
    other = []
    for k in range(1, MIN_SPANS // 5 + 8):
        p = _posting(k)
        other.append(
            Posting(
                id=p.id,
                text=p.text,
                title=p.title,
                lang="en",
                spans=[
                    {**s, "area": "customer_success" if s["area"] == "marketing" else s["area"]}
                    for s in p.spans or []
                ],
            )
        )
    assert (
        zoo_area(heldout_documents(annotated_spans(other, zoo_extractor), test)[0])
        == "customer_success"
    )
    # too few training spans: the rules' area, not the extractor's learned one
    assert (
        zoo_area(heldout_documents(annotated_spans(other[:3], zoo_extractor), test)[0]) == "other"
    )
