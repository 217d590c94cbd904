"""Tiny, dependency-free language identification for job postings (English vs German, others named)."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# High-frequency function words. English and German decide; the others let jdtool say
# "this is French" instead of forcing a posting into English or German.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "and",
            "of",
            "to",
            "in",
            "for",
            "with",
            "you",
            "our",
            "we",
            "will",
            "is",
            "are",
            "on",
            "as",
            "be",
            "your",
            "this",
            "an",
            "or",
            "that",
            "by",
            "from",
            "at",
            "have",
            "has",
            "who",
            "all",
            "their",
            "it",
            "its",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "mit",
            "für",
            "von",
            "zu",
            "den",
            "im",
            "ist",
            "wir",
            "sie",
            "ein",
            "eine",
            "du",
            "dich",
            "dein",
            "deine",
            "ihr",
            "ihre",
            "auf",
            "des",
            "dem",
            "bei",
            "als",
            "oder",
            "sowie",
            "uns",
            "unser",
            "unsere",
            "werden",
            "sind",
            "auch",
            "einen",
            "einer",
            "nicht",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "des",
            "du",
            "pour",
            "avec",
            "vous",
            "nous",
            "est",
            "une",
            "dans",
            "sur",
            "au",
            "aux",
            "votre",
            "vos",
            "notre",
            "nos",
            "sont",
            "être",
            "qui",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "y",
            "de",
            "del",
            "para",
            "con",
            "usted",
            "nosotros",
            "es",
            "una",
            "en",
            "por",
            "al",
            "su",
            "sus",
            "nuestro",
            "nuestra",
            "que",
            "son",
            "ser",
            "como",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "van",
            "voor",
            "met",
            "je",
            "jij",
            "wij",
            "ons",
            "onze",
            "is",
            "zijn",
            "op",
            "in",
            "te",
            "bij",
            "als",
            "ook",
            "naar",
            "wordt",
            "worden",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "lo",
            "la",
            "le",
            "gli",
            "e",
            "di",
            "del",
            "della",
            "per",
            "con",
            "voi",
            "noi",
            "è",
            "una",
            "nel",
            "sul",
            "al",
            "ai",
            "vostro",
            "nostro",
            "sono",
            "essere",
            "che",
        ]
    ),
}

SUPPORTED = ("en", "de")


def detect_language(text: str, default: str = "en") -> str:
    """Return an ISO 639-1 code for `text`: `en`, `de`, another code, or `default` if unsure."""
    counts = dict.fromkeys(_STOPWORDS, 0)
    n = 0
    for m in _WORD.finditer(text[:20000]):
        w = m.group().lower()
        n += 1
        for lang, words in _STOPWORDS.items():
            if w in words:
                counts[lang] += 1
    best = max(counts, key=lambda k: counts[k])
    if counts[best] < 2 or n == 0:
        return default
    # English and German share loanwords in tech postings: prefer en/de unless another is clearly ahead
    if best not in SUPPORTED:
        top_supported = max(counts["en"], counts["de"])
        if counts[best] < 1.5 * top_supported:
            best = "en" if counts["en"] >= counts["de"] else "de"
    return best
