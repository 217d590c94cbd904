"""Tiny, dependency-free language identification for postings: English and German, others named."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_UMLAUT = re.compile("[äöüßÄÖÜ]")

# High-frequency function words (plus a few job-ad words). English and German decide; the others
# let jdtool say "this is French" instead of forcing a posting into English or German.
_WORDS = {
    "en": "the and of to in for with you our we will is are on as be your this an or that by from "
    "at have has who all their it its responsibilities requirements",
    "de": "der die das und mit für von zu den im ist wir sie ein eine du dich dein deine ihr ihre "
    "auf des dem bei als oder sowie uns unser unsere werden sind auch einen einer nicht "
    "aufgaben profil bieten suchen sucht",
    "fr": "le la les et des du pour avec vous nous est une dans sur au aux votre vos notre nos "
    "sont être qui",
    "es": "el la los las y de del para con usted nosotros es una en por al su sus nuestro "
    "nuestra que son ser como",
    "nl": "de het een en van voor met je jij wij ons onze is zijn op in te bij als ook naar "
    "wordt worden",
    "it": "il lo la le gli e di del della per con voi noi è una nel sul al ai vostro nostro "
    "sono essere che",
}
_STOPWORDS = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}

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
    # umlauts and ß are strong German evidence in short texts
    counts["de"] += min(3, len(_UMLAUT.findall(text[:20000])) // 2)
    best = max(counts, key=lambda k: counts[k])
    if counts[best] < 2 or n == 0:
        return default
    # English and German share loanwords in tech postings: prefer them unless another is far ahead
    if best not in SUPPORTED:
        top_supported = max(counts["en"], counts["de"])
        if counts[best] < 1.5 * top_supported:
            best = "en" if counts["en"] >= counts["de"] else "de"
    return best
