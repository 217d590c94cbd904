"""Features for the remit classifier, as scikit-learn transformers.

The classifier does not see raw postings but *remit documents*: the posting's duty phrases with
their remit areas (from the spaCy extractor), followed by the plain text. `compose()` builds one;
`RemitFeatures` turns them into counts of (function, relation) signals, area shares and
individual-contributor cues; the phrase text also feeds a TF-IDF bag of words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .pipeline.responsibilities import AREAS

PATTERNS_FILE = Path(__file__).with_name("remit_patterns.yaml")
TEXT_MARK = "\x1eTEXT\t"
TITLE_MARK = "\x1eTITLE\t"
_SENT = re.compile(r"(?<=[.!?;])\s+|\n+")
_PASSIVE = re.compile(r"\s+by\b")
_RELATIVE = re.compile(r"\b(who|which|that|whose)\s+$")
# "lead(s)" as a noun ("cross-functional leads in Marketing", "sales leads") owns nothing
_LEAD_NOUN = re.compile(
    r"\b(cross-functional|functional|team|project|practice|account|department|peer|other|"
    r"sales|marketing|product|engineering|regional|qualified|inbound|outbound)\s+$"
)
# the candidate as the object ("coaching that helps you grow in sales", "wir entwickeln dich
# im Vertrieb"): the role is led, it does not lead
_CANDIDATE = re.compile(r"\b(you|yourself|dich|dir)\b")
_GENERAL_MANAGER = re.compile(r"\b(general manager|managing director|geschäftsführer\w*|gm)\b")
_TEAM_OF = re.compile(r"\s*(of|von|aus|mit|including|with)\b[^,;.]{0,50}")


def compose(phrases: Iterable[tuple[str, str]], text: str, title: str = "") -> str:
    """A remit document: one `area<TAB>phrase` line per duty phrase, then the title and text."""
    lines = [f"{area}\t{' '.join(phrase.split())}" for phrase, area in phrases]
    return (
        "\n".join(lines)
        + f"\n{TITLE_MARK}{' '.join(title.split())}\n{TEXT_MARK}"
        + " ".join(text.split())
    )


def split_document(doc: str) -> tuple[list[tuple[str, str]], str, str]:
    """Inverse of `compose`: ([(area, phrase)], title, text)."""
    head, _, text = doc.partition(TEXT_MARK)
    head, _, title = head.partition(TITLE_MARK)
    phrases = []
    for line in head.splitlines():
        area, sep, phrase = line.partition("\t")
        if sep:
            phrases.append((area, phrase))
    return phrases, title.strip(), text


def phrase_text(doc: str) -> str:
    """The phrases of a remit document as one string (for the bag of words)."""
    phrases, _, _ = split_document(doc)
    return "\n".join(p for _, p in phrases).lower()


def full_text(doc: str) -> str:
    """The plain text of a remit document."""
    return split_document(doc)[2].lower()


def _load_patterns() -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with PATTERNS_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.load(fh, Loader=loader)  # noqa: S506 - safe loader
    return data


class _Rules:
    """Compiled remit patterns, shared by every RemitFeatures instance."""

    def __init__(self, data: dict[str, Any]) -> None:
        # lower-case patterns matched against lower-cased text (much faster than IGNORECASE)
        f = re.UNICODE
        self.functions = {k: re.compile(v, f) for k, v in data["functions"].items()}
        self.own = re.compile(data["relations"]["own"], f)
        self.partner = re.compile(data["relations"]["partner"], f)
        self.own_after = re.compile(data["relations"]["own_after"], f)
        self.partner_after = re.compile(data["relations"]["partner_after"], f)
        self.ic = re.compile(data["individual_contributor"], f)
        self.team = re.compile(data["team_leadership"], f)
        self.sales_people = re.compile(data["sales_people"], f)
        self.sales_owner = re.compile(data["sales_function_owner"], f)
        self.other_team = re.compile(data["other_team"], f)
        self.manage_verb = re.compile(data["manage_verb"], f)
        self.support_role = re.compile(data["support_role"], f)
        self.ic_role = re.compile(data["ic_role"], f)
        self.marketing_role = re.compile(data["marketing_role"], f)
        self.retention = re.compile(data["retention_owner"], f | re.MULTILINE)
        self.combined_role = re.compile(data["combined_role"], f)
        self.prefilters = {k: re.compile(v, f) for k, v in (data.get("prefilters") or {}).items()}
        self.non_sales = re.compile(data["non_sales_exec"], f)


_RULES: _Rules | None = None


def rules() -> _Rules:
    """The compiled remit patterns (loaded once per process)."""
    global _RULES
    if _RULES is None:
        _RULES = _Rules(_load_patterns())
    return _RULES


FUNCTIONS = ("sales", "marketing", "customer_success", "revops", "revenue_all")
RULE_LABELS = ("cro", "cso", "other")


def scan(low: str, starts: Sequence[int]) -> tuple[list[dict[str, str]], dict[str, set[int]]]:
    """Remit signals of a lower-cased text cut into units (sentences or phrases) at `starts`.

    Returns, per unit, each revenue function named mapped to `own` or `partner`, and for each
    cue (team leadership, individual contributor, non-sales executive) the set of units it
    occurs in. Every regex runs once over the whole text; matches are assigned to units.

    An explicit statement right after a function wins ("Marketing reports to you" is `own`,
    "Marketing is led by your peer" is `partner`); otherwise the nearest ownership or
    partnership cue in front of it, within its unit and 100 characters, decides ("partner with
    Marketing" is `partner`, "lead Sales and Marketing" is `own`).
    """
    r = rules()
    n = len(low)
    # "run by", "led by" and "who runs", "which owns" name someone else's ownership
    owns = [
        m.end()
        for m in r.own.finditer(low)
        if not _PASSIVE.match(low, m.end())
        and not _RELATIVE.search(low, max(0, m.start() - 8), m.start())
        and not (
            m.group().startswith("lead")
            and _LEAD_NOUN.search(low, max(0, m.start() - 20), m.start())
        )
    ]
    partners = [m.end() for m in r.partner.finditer(low)]
    units: list[dict[str, str]] = [{} for _ in starts]
    for name, rx in r.functions.items():
        for m in rx.finditer(low):
            pos, end = m.start(), m.end()
            u = bisect_right(starts, pos) - 1
            u_start = starts[u]
            u_end = starts[u + 1] if u + 1 < len(starts) else n
            limit = min(end + 120, u_end)
            if r.own_after.match(low, end, limit):
                rel = "own"
            elif r.partner_after.match(low, end, limit):
                rel = "partner"
            else:
                lo = max(u_start, pos - 100)
                o = _last_in(owns, lo, pos)
                p = _last_in(partners, lo, pos)
                if o < 0 and p < 0:
                    continue
                rel = "partner" if p >= o else "own"
            if units[u].get(name) != "own":
                units[u][name] = rel
    cues: dict[str, set[int]] = {}
    for cue, rx in (
        ("individual_contributor", r.ic),
        ("non_sales_exec", r.non_sales),
        ("sales_function_owner", r.sales_owner),
        ("retention_owner", r.retention),
        ("combined_role", r.combined_role),
    ):
        pre = r.prefilters.get(cue)
        if pre is not None and not pre.search(low):
            cues[cue] = set()
            continue
        cues[cue] = {
            bisect_right(starts, m.start()) - 1
            for m in rx.finditer(low)
            if cue != "retention_owner"
            or not _RELATIVE.search(low, max(0, m.start() - 8), m.start())
        }
    # team leadership whose object names people who sell ("lead the sales team", "a team of
    # twelve account executives") leads sellers; "lead marketing, partner with sales" does not
    # Only managing verbs count: training or coaching sellers is what enablement does too.
    # "team_management": managing a team that is not named as a non-sales team.
    team: set[int] = set()
    steam: set[int] = set()
    manage: set[int] = set()
    for m in r.team.finditer(low):
        if _CANDIDATE.search(m.group()):
            continue
        u = bisect_right(starts, m.start()) - 1
        team.add(u)
        if not r.manage_verb.search(m.group()):
            continue
        u_end = starts[u + 1] if u + 1 < len(starts) else n
        other_team = r.other_team.search(m.group())
        if not other_team:
            manage.add(u)
        # the people led: named in the match, or right after it ("a team of eight AEs")
        of = _TEAM_OF.match(low, m.end(), u_end)
        named = r.sales_people.search(m.group()) or (
            of is not None and r.sales_people.search(of.group())
        )
        if named or (not other_team and r.sales_people.search(low, starts[u], u_end)):
            steam.add(u)
    cues["team_leadership"] = team
    cues["sales_team_leadership"] = steam
    cues["team_management"] = manage
    return units, cues


def _last_in(positions: list[int], lo: int, hi: int) -> int:
    """The largest position in [lo, hi] of a sorted list, or -1."""
    i = bisect_right(positions, hi) - 1
    return positions[i] if i >= 0 and positions[i] >= lo else -1


def signals(sentence: str) -> dict[str, str]:
    """For one sentence or phrase: each revenue function named, mapped to `own` or `partner`."""
    return scan(sentence.lower(), [0])[0][0]


def _units(parts: Sequence[str]) -> tuple[str, list[int]]:
    """Join parts with newlines (a unit boundary); return the text and the unit starts."""
    starts, pos = [], 0
    for part in parts:
        starts.append(pos)
        pos += len(part) + 1
    return "\n".join(parts), starts


class RemitFeatures(TransformerMixin, BaseEstimator):
    """Dense remit features from remit documents (see `compose`).

    Per document: share of phrases in each remit area; log phrase count; for each revenue
    function, how many duty phrases (and text sentences) own it or only partner with it;
    team-leadership, individual-contributor and non-sales-executive cues. `text_weight` scales
    the signals found in the text outside the duty phrases.
    """

    def __init__(self, text_weight: float = 0.5) -> None:
        self.text_weight = text_weight

    def fit(self, X: Sequence[str], y: Any = None) -> RemitFeatures:
        """Learn nothing but the feature names; validates the input."""
        docs = self._validate(X)
        self.n_features_in_ = 1
        self.feature_names_ = self._names()
        self.rule_columns_ = [self.feature_names_.index(f"rule:{lab}") for lab in RULE_LABELS]
        del docs
        return self

    def transform(self, X: Sequence[str]) -> np.ndarray:
        """Turn remit documents into a dense float matrix."""
        check_is_fitted(self, "feature_names_")
        docs = self._validate(X)
        return (
            np.vstack([self._row(d) for d in docs])
            if docs
            else np.zeros((0, len(self.feature_names_)))
        )

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "feature_names_")
        return np.asarray(self.feature_names_, dtype=object)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags

    @staticmethod
    def _validate(X: Any) -> list[str]:
        if isinstance(X, str):
            raise ValueError("RemitFeatures expects an iterable of documents, not one string")
        docs = list(np.asarray(X, dtype=object).ravel()) if not isinstance(X, list) else X
        if not all(isinstance(d, str) for d in docs):
            raise ValueError("RemitFeatures expects strings (remit documents)")
        return docs

    @staticmethod
    def _names() -> list[str]:
        names = [f"area_share:{a}" for a in AREAS] + ["n_phrases_log"]
        for src in ("phrase", "text"):
            for fn in FUNCTIONS:
                names += [f"{src}:own:{fn}", f"{src}:partner:{fn}"]
            names += [
                f"{src}:team_leadership",
                f"{src}:sales_team_leadership",
                f"{src}:team_management",
                f"{src}:individual_contributor",
                f"{src}:non_sales_exec",
                f"{src}:sales_function_owner",
                f"{src}:retention_owner",
                f"{src}:combined_role",
            ]
        names += ["support_role", "ic_role", "marketing_role", "role_combined"]
        names += ["owned_non_sales_functions", "owns_sales_and_more", "sales_posting"]
        names += [f"rule:{label}" for label in RULE_LABELS]
        return names

    def _row(self, doc: str) -> np.ndarray:
        feats = remit_signals(doc, self.text_weight)
        # squash counts: presence matters more than repetition
        return np.array(
            [
                np.log1p(feats.get(name, 0.0))
                if ":" in name and not name.startswith(("area_share", "rule:"))
                else feats.get(name, 0.0)
                for name in self.feature_names_
            ],
            dtype=float,
        )


def remit_signals(doc: str, text_weight: float = 0.5) -> dict[str, float]:
    """The remit signals of one remit document, by feature name (unsquashed counts).

    Also carries `rule:<label>` = 1 for the verdict of `decide`, and the role flags. Cached:
    classifying a batch reads each document's signals for the probabilities and again for the
    reason; callers must not modify the returned mapping.
    """
    return _cached_signals(doc, text_weight)


@contextmanager
def signal_cache(size: int) -> Iterator[None]:
    """Within the block, cache the signals of up to `size` documents: training reads every
    document once per cross-validation fold, more than the usual cache holds."""
    global _cached_signals
    previous = _cached_signals
    if (previous.cache_parameters()["maxsize"] or 0) >= size:  # an enclosing block's is enough
        yield
        return
    _cached_signals = lru_cache(maxsize=max(size, 1024))(_signals)
    try:
        yield
    finally:
        _cached_signals = previous


def _signals(doc: str, text_weight: float) -> dict[str, float]:
    phrases, title, text = split_document(doc)
    feats: dict[str, float] = {}
    n = len(phrases)
    for area, _ in phrases:
        key = f"area_share:{area}"
        feats[key] = feats.get(key, 0.0) + 1.0 / n
    feats["n_phrases_log"] = float(np.log1p(n))
    feats["n_phrases"] = float(n)
    owned: set[str] = set()
    low_text = text.lower()
    text_starts = [0] + [m.end() for m in _SENT.finditer(low_text)]
    phrase_text_, phrase_starts = _units([p.lower() for _, p in phrases])
    for src, low, starts, w in (
        ("phrase", phrase_text_, phrase_starts, 1.0),
        ("text", low_text, text_starts, text_weight),
    ):
        if not low.strip():
            continue
        units, cues = scan(low, starts)
        for found in units:
            for fn, rel in found.items():
                key = f"{src}:{rel}:{fn}"
                feats[key] = feats.get(key, 0.0) + w
                if rel == "own":
                    owned.add(fn)
        for cue, where in cues.items():
            if where:
                feats[f"{src}:{cue}"] = feats.get(f"{src}:{cue}", 0.0) + w * len(where)
    extra = len(owned & {"marketing", "customer_success", "revenue_all"})
    feats["owned_non_sales_functions"] = float(extra)
    feats["owns_sales_and_more"] = float("sales" in owned and extra > 0)
    # the role's name: the title, else the first words of the text
    r = rules()
    role = (title or text[:60]).lower()
    # a general manager owns a business, whatever else the title names
    feats["support_role"] = float(
        bool(r.support_role.search(role)) and not _GENERAL_MANAGER.search(role)
    )
    feats["ic_role"] = float(bool(r.ic_role.search(role)))
    feats["marketing_role"] = float(
        bool(r.marketing_role.search(role)) and not r.functions["sales"].search(role)
    )
    # the role's own name: elsewhere in the text "VP Sales & Marketing" may be the boss
    feats["role_combined"] = float(bool(r.combined_role.search(role)))
    # a sales posting: most duty phrases carry a revenue area (the extractor marks the
    # duties of a non-sales posting `other`)
    feats["sales_posting"] = float(n > 0 and feats.get("area_share:other", 0.0) < 0.5)
    feats[f"rule:{decide(feats)}"] = 1.0
    return feats


_cached_signals = lru_cache(maxsize=1024)(_signals)


def decide(feats: dict[str, float]) -> str:
    """LABELS.md section 1's decision rules applied to the remit signals of one posting.

    1. No leadership of people who sell (or an individual contributor's cues without it):
       `other`. 2. Owns marketing, customer success / retention or the whole revenue number in
       its duties: `cro`. 3. Otherwise `cso`. The classifier takes this as one feature among
       others and learns how far to trust it.
    """

    def has(key: str) -> bool:
        if key.startswith("phrase:") and not feats.get("n_phrases"):
            key = "text:" + key[7:]  # no duty phrases found: judge the text
        return feats.get(key, 0.0) > 0

    owns_more = [
        fn for fn in ("marketing", "customer_success", "revenue_all") if has(f"phrase:own:{fn}")
    ]
    if has("phrase:retention_owner"):
        owns_more.append("retention")
    if has("phrase:combined_role") or feats.get("role_combined"):
        owns_more.append("role")
    # leading sales together with another revenue function is leading the sales function
    leads_phrases = (
        has("phrase:sales_team_leadership")
        or has("phrase:sales_function_owner")
        or (has("phrase:own:sales") and bool(owns_more))
    )
    # outside the duties (requirements: "10 years leading sales teams") only in a sales posting
    leads = leads_phrases or (
        has("text:sales_team_leadership") and (has("sales_posting") or not feats.get("n_phrases"))
    )
    ic = has("phrase:individual_contributor") or has("text:individual_contributor")
    # a role named as support, seller or marketing leads sellers only if its duties say so
    if (feats.get("support_role") or feats.get("ic_role")) and not has(
        "phrase:sales_function_owner"
    ):
        return "other"
    if feats.get("marketing_role") and not (
        has("phrase:sales_function_owner") or has("phrase:sales_team_leadership")
    ):
        return "other"
    # an individual contributor's cues, unless the role owns the sales function as a whole
    # (LABELS.md rule 1: a start-up's top commercial owner leads it before the first hire)
    ic_only = has("phrase:individual_contributor") or (ic and not leads_phrases)
    if not leads or (ic_only and not has("phrase:sales_function_owner")):
        return "other"
    if owns_more:
        return "cro"
    return "cso"
