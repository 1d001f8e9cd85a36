"""Knowing what a document is: symbol, type, body, State, date, session, language, title.

UN documents carry their identity in a masthead on the first page::

    United Nations                                   A/HRC/28/15
    General Assembly                   Distr.: General
                                       10 December 2014
                                       Original: English
    Human Rights Council
    Twenty-eighth session
    Agenda item 6
    Universal periodic review
    Report of the Working Group on the Universal Periodic Review*
    Slovenia

``identify_text`` reads that from plain first-page text (what the HURIDOCS gold
gives); ``identify`` builds a :class:`~rightsindex.records.Document` from the first
pages of a PDF (``records.Page``), also using the running headers the PDF layer
removed (they repeat the symbol) and the following pages (language, the UPR
working-group session).

Fields: ``symbol`` (``A/HRC/28/15``, ``E/C.12/GBR/CO/6``...), ``document_type`` (one of
``records.DOCUMENT_TYPES``), ``body`` (UPR, HRC, GA, CESCR, CRC, CEDAW, CCPR, CERD, CAT,
CRPD, CMW, CED, CHR, SC, ECOSOC), ``country``/``country_code`` (State concerned, ISO
3166-1 alpha-3), ``date`` (ISO, from the ``Distr.`` date line), ``year``, ``session``
(the session in the symbol: the Working Group's for ``A/HRC/WG.6/34/SVN/2``, the
Council's for ``A/HRC/28/15``), ``cycle`` (UPR cycle: Working Group sessions 1-12 are
cycle 1, 13-26 cycle 2, 27-40 cycle 3, 41 on cycle 4), ``language`` (ISO 639-1) and
``title``.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from rightsindex.ingest.treaty import body_from_symbol
from rightsindex.records import Document, Page

__all__ = ["identify", "identify_text", "Identity", "undouble", "upr_cycle", "detect_language"]


# -- symbols ------------------------------------------------------------------------------
_SYMBOL_HEADS = (
    "A", "E", "S", "CRC", "CEDAW", "CCPR", "CERD", "CAT", "CRPD", "CMW", "CED", "HRI", "ST", "TD", "UNEP",
)
_SYMBOL_RE = re.compile(
    r"(?<![\w/.])((?:" + "|".join(_SYMBOL_HEADS) + r")(?:/[A-Za-z0-9.\-()]+)+)"
)
#: Words before a symbol that mean it is a reference, not the document's own symbol.
_REFERENCE_BEFORE = re.compile(
    r"(symbol|document|issued|resolution|decision|see|cf\.|under|as|in|and|of|from|to)\s*$", re.I
)


def _clean_symbol(symbol: str) -> str:
    symbol = symbol.strip().rstrip(".,;:*)")
    symbol = re.sub(r"\*+$", "", symbol)
    # "(E)" / "(F)" job-number suffixes never belong to a symbol
    symbol = re.sub(r"\([A-Z]\)$", "", symbol)
    if symbol.count("(") != symbol.count(")"):
        symbol = symbol.split("(")[0]
    return symbol.rstrip("./-")


def _valid_symbol(symbol: str) -> bool:
    parts = symbol.split("/")
    if len(parts) < 2 or not any(ch.isdigit() for ch in symbol):
        return False
    if parts[0] in ("A", "E", "S") and len(parts) == 2 and not parts[1][:1].isdigit():
        return False
    return True


# -- dates -----------------------------------------------------------------------------------
_MONTHS = {
    # en
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    # fr
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    "decembre": 12,
    # es
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    # ru (genitive)
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}
_DATE_RE = re.compile(
    r"\b(\d{1,2})(?:er)?\s+(?:de\s+)?(" + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\s+(?:de\s+)?((?:19|20)\d\d)\b",
    re.I,
)
_DATE_US_RE = re.compile(
    r"\b(" + "|".join(list(_MONTHS)[:12]) + r")\s+(\d{1,2}),?\s+((?:19|20)\d\d)\b", re.I
)
_JOB_RE = re.compile(r"\bGE\.(\d\d)-\d{4,5}")


#: OCR reads the capital O of a month as a zero: "1 0ctober 2025".
_OCR_O = re.compile(r"\b0(?=ctob(?:er|re)\b)", re.I)


def _find_date(text: str) -> tuple[str, int] | None:
    text = _OCR_O.sub("O", text)
    m = _DATE_RE.search(text)
    if m:
        day, month, year = int(m.group(1)), _MONTHS[m.group(2).lower()], int(m.group(3))
    else:
        m = _DATE_US_RE.search(text)
        if not m:
            return None
        month, day, year = _MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", year


# -- sessions ------------------------------------------------------------------------------
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fourtieth": 40,
    "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80}
_ORDINAL_RE = re.compile(
    r"\b((?:(?:twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty)[\s-]?)?"
    r"(?:" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r"))\s+session\b",
    re.I,
)


def _ordinal_value(words: str) -> int | None:
    words = words.lower().replace("-", " ").split()
    total = 0
    for w in words:
        if w in _TENS:
            total += _TENS[w]
        elif w in _ORDINALS:
            total += _ORDINALS[w]
        else:
            return None
    return total or None


def upr_cycle(wg_session: int | None = None, hrc_session: int | None = None) -> int | None:
    """The UPR cycle of a Working Group session (1-12: 1, 13-26: 2, 27-40: 3, 41+: 4).

    Without the Working Group session, the Council session that adopted the
    outcome stands in (sessions 8-20: 1, 21-34: 2, 35-50: 3, 51 on: 4).
    """
    if wg_session:
        return 1 if wg_session <= 12 else 2 if wg_session <= 26 else 3 if wg_session <= 40 else 4
    if hrc_session and hrc_session >= 5:
        return 1 if hrc_session <= 20 else 2 if hrc_session <= 34 else 3 if hrc_session <= 50 else 4
    return None


# -- language ----------------------------------------------------------------------------
_STOPWORDS = {
    "en": set("the of and to in that is for on with by as are was be this it from which has have".split()),
    "fr": set("le la les des de du et en que qui pour dans une sur est par au aux ses son été".split()),
    "es": set("el la los las de del y en que por para con una se su sus es al como fue".split()),
}


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language among the six UN languages (script, then stopwords)."""
    counts = Counter()
    for ch in text:
        o = ord(ch)
        if 0x0400 <= o <= 0x04FF:
            counts["ru"] += 1
        elif 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFF:
            counts["ar"] += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
            counts["zh"] += 1
        elif ch.isalpha() and o < 0x0250:
            counts["latin"] += 1
    if not counts:
        return None
    script, n = counts.most_common(1)[0]
    if script != "latin":
        return script
    words = re.findall(r"[a-zà-öø-ÿ]+", text.lower())
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else None


# -- doubled letters ----------------------------------------------------------------------
def _undouble_token(tok: str) -> str | None:
    """'UUNNIITTEEDD' -> 'UNITED', 'UNITEDUNITED' -> 'UNITED', 'TTThhheee' -> 'The'; else None."""
    for k in (3, 2):
        if len(tok) >= k and len(tok) % k == 0 and all(
            tok[i:i + k] == tok[i] * k for i in range(0, len(tok), k)
        ):
            return tok[::k]
    half = len(tok) // 2
    if len(tok) >= 4 and len(tok) % 2 == 0 and tok[:half] == tok[half:]:
        return tok[:half]
    return None


def undouble(line: str) -> str:
    """Undo masthead text that a PDF stores twice (bold by overprinting).

    Only a line whose every word is doubled (or tripled) is changed, so real
    words such as "Committee" or "AA" in running text stay as they are.
    """
    tokens = line.split()
    if not tokens:
        return line
    out = []
    long_seen = False
    for tok in tokens:
        fixed = _undouble_token(tok)
        if fixed is None:
            return line
        if len(tok) >= 4:
            long_seen = True
        out.append(fixed)
    return " ".join(out) if long_seen else line


# -- titles ------------------------------------------------------------------------------
_AGENDA_TITLES = [
    "Organizational and procedural matters",
    "Annual report of the United Nations High Commissioner for Human Rights and reports of the "
    "Office of the High Commissioner and the Secretary-General",
    "Promotion and protection of all human rights, civil, political, economic, social and cultural "
    "rights, including the right to development",
    "Human rights situations that require the Council's attention",
    "Human rights situations that require the attention of the Council",
    "Human rights bodies and mechanisms",
    "Universal periodic review",
    "Human rights situation in Palestine and other occupied Arab territories",
    "Follow-up to and implementation of the Vienna Declaration and Programme of Action",
    "Racism, racial discrimination, xenophobia and related forms of intolerance, follow-up to and "
    "implementation of the Durban Declaration and Programme of Action",
    "Racism, racial discrimination, xenophobia and related forms of intolerance: follow-up to and "
    "implementation of the Durban Declaration and Programme of Action",
    "Technical assistance and capacity-building",
    "Promotion and protection of all human rights, civil, political, economic, social and cultural rights",
    "Promotion of all human rights, civil, political, economic, social and cultural rights, including the "
    "right to development",
    "Civil and political rights, including the questions of disappearances and summary executions",
    "Follow-up to the Fourth World Conference on Women and to the twenty-third special session of the "
    "General Assembly, entitled \"Women 2000: gender equality, development and peace for the twenty-first "
    "century\": gender mainstreaming, situations and programmatic matters",
    "Follow-up to the Fourth World Conference on Women and to the twenty-third special session of the "
    "General Assembly, entitled \"Women 2000: gender equality, development and peace for the twenty-first "
    "century\": implementation of strategic objectives and action in critical areas of concern and further "
    "actions and initiatives",
    "Annual report of the United Nations High Commissioner for Human Rights and reports of the "
    "Office of the United Nations High Commissioner for Human Rights and the Secretary-General",
    "Report of the United Nations High Commissioner for Human Rights and follow-up to the World "
    "Conference on Human Rights",
    "Implementation of General Assembly resolution 60/251 of 15 March 2006 entitled "
    "\"Human Rights Council\"",
    # French and Spanish
    "Examen périodique universel",
    "Examen periódico universal",
    "Rapport annuel du Haut-Commissaire des Nations Unies aux droits de l'homme et rapports du "
    "Haut-Commissariat et du Secrétaire général",
    "Promotion et protection de tous les droits de l'homme, civils, politiques, économiques, sociaux et "
    "culturels, y compris le droit au développement",
    "Promoción y protección de todos los derechos humanos, civiles, políticos, económicos, sociales y "
    "culturales, incluido el derecho al desarrollo",
    "Informe anual del Alto Comisionado de las Naciones Unidas para los Derechos Humanos e informes de la "
    "Oficina del Alto Comisionado y del Secretario General",
]


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


#: Wordings of agenda item 2 that some pages print instead of the official one (2008 reports; a State's
#: own translation in its comments on a report).
_AGENDA_VARIANTS = [
    "Annual report of the United Nations High Commissioner for Human Rights and reports of the High "
    "Commissioner and the Secretary-General",
    "Annual report of the High Commissioner of the United Nations for Human Rights and reports to the Office "
    "of the High Commissioner and Secretary General",
]
_AGENDA_NORMS = [_norm(t) for t in _AGENDA_TITLES + _AGENDA_VARIANTS]
#: Headings of the Council's 2006-2007 agenda that old reports print in capitals under the item's
#: title, above their own title.
_AGENDA_SUBITEMS = {_norm(t) for t in (
    "Rights of the child", "Right to development", "Organization of the work of the session",
    "Human rights in Palestine and other occupied Arab territories", "Human rights bodies and mechanisms",
)}

_MASTHEAD_LINE = re.compile(
    r"^((united\s*nations|united|nations|unies|nations\s+unies|naciones\s+unidas|организация\s+объединенных\s+наций)(\s+[AES])?|"
    r"general\s+assembly(\s+distr.*)?|генеральная\s+ассамблея.*|assembl[ée]e\s+g[ée]n[ée]rale|asamblea\s+general|генеральная\s+ассамблея|"
    r"economic\s+and\s+social\s+council|security\s+council|conseil\s+[ée]conomique.*|"
    r"distr\.?.*|general|g[ée]n[ée]rale?|restricted|limited|"
    r"((english|french|spanish|russian|arabic|chinese)[/ ,and]*)+(\s+only)?|original\s*:.*|orig\.?\s*:.*|espa[ñn]ol|fran[çc]ais|anglais|русский|"
    r"human\s+rights?\s+council|conseil\s+des\s+droits\s+de\s+l.homme|consejo\s+de\s+derechos\s+humanos|"
    r"совет\s+по\s+правам\s+человека|commission\s+on\s+human\s+rights|commission\s+on\s+the\s+status\s+of\s+women|"
    r"working\s+group\s+on\s+the\s+universal\s+periodic\s+review|"
    r"groupe\s+de\s+travail\s+sur\s+l.examen\s+p[ée]riodique\s+universel|"
    r"рабочая\s+группа\s+по\s+универсальному|периодическому\s+обзору|"
    r"advisory\s+committee|human\s+rights\s+council\s+advisory\s+committee|"
    r"expert\s+mechanism\s+on\s+the\s+rights\s+of\s+indigenous\s+peoples|"
    r"committee\s+on\s+.*|conference\s+of\s+states\s+parties.*|"
    r"(human\s+rights\s+council\s*)?(resumed\s+|organizational\s+)?[\w\-–]+(\s[\w\-–]+)?(\s+(special|regular))?\s+sessions?(\s*\(.*\))?|"
    r"[\w\-–]+(\s[\w\-–]+)?\s+(sesi[oó]n|session|сессия)|"
    r"[\w-]+\s+session\s+of\s+the\s+(human\s+rights\s+council|commission)|.*\bperiod\s+of\s+sessions\b|"
    r"agenda\s+items?.*|points?\s+\d+(\s+et\s+\d+)?\s+de\s+l.ordre\s+du\s+jour|temas?\s+\d+.*|\d+º\s+período\s+de\s+sesiones|\d{1,2}(\s+(de\s+)?\w+)?\s+a\s+\d{1,2}\s+de\s+\w+\s+de\s+\d{4}|пункт\s+\d+.*|"
    r"items?\s+\d+.*|provisional\s+agenda.*|"
    r"(geneva|genève|ginebra|new\s+york|женева)?,?\s*\d{1,2}(\s*[-–−]\s*\d{1,2})?\s+\w+(\s*[-–−]\s*\d{1,2}\s+\w+)?\s+\d{4}(\s+\w+)?|"
    r"\d{1,2}\s+\w+\s*[-–−]\s*\d{1,2}\s+\w+\s+\d{4}|\w+\s*[-–−]\s*\w+\s+\d{4}|\w+\s+\d{4}|\d{1,2}\s+[a-z]+\s*\d{4}|"
    r"(international\s+)?convention\s+(on|against|for)\s+.*|international\s+covenant\s+on\s+.*|"
    r"advance\s+(unedited|edited)\s+version|\(advance\s*\d*\)(\s+\d{1,2}\s+\w+\s+\d{4})?|unofficial\s+translation.*|general\s+distribution.*|only|(español|english|français|anglais|inglés)\s+(únicamente|seulement|only)|"
    r"[\w-]+-session|(twenty|thirty|forty|fifty)-\w+|"
    r"[a-z]{1,2}|\*+|\d+|[ivx]+)$",
    re.I,
)
_TITLE_STOP = re.compile(
    r"^((summary|résumé|resumen|резюме)\s*$|"
    r"(chair(person|man)?([-\s/]?rapporteur)?|vice[-\s]president(\s+and\s+rapporteur)?|rapporteur|président)\s*:|"
    r"ge\.\d|\*\s|\d+\s*/?\s*$|i\.\s|introduction|the\s+human\s+rights\s+council,|"
    r"the\s+general\s+assembly,|le\s+conseil|el\s+consejo|original\s*:|addendum|additif|adición|"
    r"добавление|contents|table\s+des|índice|please\s+recycle|\[?without\s+reference|\d+\.\s*$|"
    r"in\s+(its|his|her|their)\s+resolution|the\s+present\s+(report|document|note|addendum)|pursuant\s+to\b|"
    r"the\s.{0,160}\bha(s|ve)\s+the\s+honour|in\s+accordance\s+with\b|this\s+report\b|"
    r"the\s+secretary-general\s+has\s+received|held\s+at\s+the\b|with\s+reference\s+to\b|"
    r"this\s+(annual\s+)?report\b|\[\d{1,2}\s+\w+\s+\d{4}\]$|(geneva|genève|new\s+york),\s+\d|agenda\s*$)",
    re.I,
)
_SUBTITLE = re.compile(
    r"^(note\s+(by|of)\s+the\s+|report\s+of\s+the\s+|summary\s+report\s+of\s+|comments\s+by\s+the\s+state|"
    r"report\s+submitted\s+by\s+the\s+|(progress|interim|preliminary)\s+report\s+of\s+the\s+|"
    r"((interim|final|preliminary|thematic|joint)\s+)?study\s+(by|of)\s+the\s+(expert\s+mechanism|advisory\s+committee|special|independent|office)|"
    r"rapport\s+d[ue]\s+|informe\s+del?\s+|доклад\s+|записка\s+)",
    re.I,
)
#: A mandate holder's name closing a report's title line ("..., Ben Emmerson", "..., Mr. Olivier De Schutter").
_NAME_END = re.compile(
    r",\s+(?:(?:Mr|Ms|Mrs)\.\s+)?[A-Z][\w'’.-]+(?:\s+(?:de|da|van|von|del|dos|[A-Z][\w'’.-]+)){1,3}[*∗†]*$"
)
_NOTE_LINE = re.compile(r"^note\s+(by|of)\s+the\s", re.I)
#: A meeting's place and dates on a line of their own ("Geneva, 20-24 July 2015", "(New York, 1-3 May 2019)").
_PLACE_DATES_LINE = re.compile(
    r"^\(?(geneva|genève|new\s+york),?\s+\d{1,2}(\s+\w+)?(\s*(-|–|to|and)\s*\d{1,2})?\s+\w+\s+(19|20)\d\d\)?$", re.I
)
_FOOTNOTE_MARKS = re.compile(r"[\s*∗†‡]+$")


def _strip_marks(line: str) -> str:
    return _FOOTNOTE_MARKS.sub("", re.sub(r"(?<=\w)[*∗†‡]+(,\s*[*∗†‡]+)*", "", line)).strip()


@dataclass
class Identity:
    """What identify_text found (every field optional)."""

    symbol: str | None = None
    document_type: str = "other"
    body: str | None = None
    country: str | None = None
    country_code: str | None = None
    date: str | None = None
    year: int | None = None
    session: str | None = None
    cycle: int | None = None
    language: str | None = None
    title: str | None = None
    responds_to: str | None = None
    review_date: str | None = None
    notes: list[str] = field(default_factory=list)

    def document_fields(self) -> dict[str, Any]:
        return {
            k: getattr(self, k)
            for k in ("symbol", "document_type", "body", "country", "country_code", "date", "year",
                      "session", "cycle", "language", "title", "responds_to", "review_date")
        }


# -- countries (H1's module; used defensively) ---------------------------------------------------
def _countries() -> Any:
    try:
        from rightsindex.ingest import countries
    except ImportError:  # pragma: no cover - arrives with the PDF layer
        return None
    return countries


def _lookup_country(name: str) -> tuple[str, str] | None:
    mod = _countries()
    if mod is None or not name:
        return None
    name = _strip_marks(name).strip(" .,:;")
    if not name or len(name) > 80:
        return None
    try:
        return mod.lookup(name)
    except Exception:  # a lookup failure only means "unknown"
        return None


def _country_from_code(code: str) -> str | None:
    mod = _countries()
    if mod is None:
        return None
    try:
        return mod.from_code(code)
    except Exception:
        return None


# -- the core -----------------------------------------------------------------------------
def _lines(text: str) -> list[str]:
    return [undouble(line.strip()) for line in text.splitlines()]


def _join_split_symbol(lines: list[str]) -> list[str]:
    """'United Nations A' + '/HRC/28/15' -> the symbol on one line ('A/HRC/28/15')."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("/") and re.match(r"^/[A-Z]", line):
            letter = "A"
            for back in range(max(0, i - 3), i):
                m = re.search(r"(?:^|\s)([AES])$", lines[back])
                if m:
                    letter = m.group(1)
            out.append(letter + line)
        else:
            out.append(line)
    return out


def _masthead_symbol(lines: list[str]) -> str | None:
    """The document's own symbol: the first symbol of the masthead, not a reference."""
    limit = len(lines)
    for i, line in enumerate(lines):
        if re.match(r"^(summary|résumé|resumen|резюме|i\.\s|1\.\s)", line, re.I) and i > 3:
            limit = i
            break
    for i, line in enumerate(lines[:limit]):
        for m in _SYMBOL_RE.finditer(line):
            before = line[: m.start()]
            if _REFERENCE_BEFORE.search(before) or re.search(r"\(\s*$", before):
                continue
            if line.lstrip().startswith(("*", "∗")) or re.match(r"^\d+\s", line):
                continue  # a footnote
            symbol = _clean_symbol(m.group(1))
            if _valid_symbol(symbol):
                return symbol
    return None


def _header_symbol(headers: Iterable[str]) -> str | None:
    counts: Counter[str] = Counter()
    for header in headers:
        for m in _SYMBOL_RE.finditer(undouble(header)):
            symbol = _clean_symbol(m.group(1))
            if _valid_symbol(symbol):
                counts[symbol] += 1
    return counts.most_common(1)[0][0] if counts else None


def _body_of(symbol: str | None, text_norm: str) -> str | None:
    if symbol:
        body = body_from_symbol(symbol)
        if body:
            return body
        if symbol.startswith("A/HRC/WG.6/"):
            return "UPR"
        if symbol.startswith("A/HRC/"):
            return "HRC"
        if symbol.startswith("E/CN.4/"):
            return "CHR"
        if symbol.startswith("E/"):
            return "ECOSOC"
        if symbol.startswith("S/"):
            return "SC"
        if symbol.startswith("A/"):
            return "GA"
    return None


def _document_type(symbol: str | None, text_norm: str, title_norm: str, has_masthead: bool) -> str:
    s = symbol or ""
    upr = "universal periodic review" in text_norm or "examen periodique universel" in text_norm
    if re.search(r"/CO/\d|/CO/\d+-\d+|/CO/\d+/Add|/CO$", s) or "concluding observations" in title_norm:
        return "concluding_observations"
    if re.search(r"/Q/\d|/LOI/|/QPR/", s) or title_norm.startswith("list of issues"):
        return "list_of_issues"
    if re.search(r"/Add\.\d+$", s) and upr and (
        "views on conclusions" in text_norm or "working group on the universal periodic review" in text_norm
    ):
        return "upr_addendum"
    m = re.match(r"A/HRC/WG\.6/\d+/[A-Z]{3}/(\d)", s)
    if m:
        return {
            "1": "upr_national_report", "2": "upr_compilation", "3": "upr_stakeholder_summary",
            "4": "upr_wg_report",
        }.get(m.group(1), "other")
    if re.match(r"A/HRC/WG\.6/\d+/L\.\d+", s):
        return "upr_wg_report"
    if "/RES/" in s or re.match(r"^(resolution adopted by|r[ée]solution adopt[ée]e)", title_norm):
        return "resolution"
    if "/DEC/" in s or title_norm.startswith(("decision adopted by", "d[ée]cision adopt")):
        return "decision"
    if re.search(r"^report of the working group on the universal periodic review", title_norm):
        return "upr_wg_report"
    if re.match(r"^(report (of|to) the (human rights council|general assembly) on (its|the) .*session"
                r"|report of the human rights council)", title_norm):
        return "session_report"
    if re.match(r"^(national report|rapport national|informe nacional)", title_norm):
        return "upr_national_report"
    if re.match(r"^(compilation|compilaci)", title_norm) and upr:
        return "upr_compilation"
    if re.match(r"^(summary of (the )?stakeholders|r[ée]sum[ée] des communications)", title_norm):
        return "upr_stakeholder_summary"
    if not symbol:
        head = text_norm[:3000]
        if re.search(r"\b(madam|sir|excellency|dear)\b", head[:1500]) and re.search(
            r"\b(high commissioner|haut commissaire|i have the honour)\b", head
        ):
            return "letter"
        if re.search(r"\b(ombudsman|ombudsperson|national human rights (institution|commission)|"
                     r"human rights commission of|defensor[ií]a del pueblo)\b", head):
            return "nhri_report"
        if re.search(r"\b(non governmental|ngos?|civil society|coalition|www|copyright)\b", text_norm):
            return "ngo_report"
    return "other"


def _is_symbol_line(line: str) -> bool:
    parts = [p for p in re.split(r"\s*[–—-]\s*(?=[A-Z]+/)|\s+", line.strip().rstrip("*∗ ")) if p]
    return bool(parts) and all(_SYMBOL_RE.fullmatch(p.rstrip("*∗")) for p in parts)


_SESSION_LINE = re.compile(
    r"^(?!on\s)([A-Z][a-z]+\s+part\s+of\s+the\s+[a-z][\w\-–]+|[A-Z][\w\-–]+(\s[\w\-–]+)?)\s+(special\s+)?session$"
)


_DATE_WORDS = set(_MONTHS) | {"and", "to", "geneva", "new", "york", "from", "au", "et", "y", "de", "del", "года"}


def _only_dates(line: str) -> bool:
    """'28 November and 1 December 2008', '10-28 September 2018': a line of dates only."""
    tokens = re.findall(r"[^\W\d_]+|\d+", line.lower())
    return bool(tokens) and any(t.isdigit() and len(t) == 4 for t in tokens) and all(
        t.isdigit() or t in _DATE_WORDS for t in tokens
    )


def _agenda_prefix(buf: str) -> bool:
    return any(fuzz.ratio(buf, a[: len(buf)]) >= 85 for a in _AGENDA_NORMS)


def _agenda_complete(buf: str) -> bool:
    return any(fuzz.ratio(buf, a) >= 88 and abs(len(buf) - len(a)) <= 0.08 * len(a) for a in _AGENDA_NORMS)


def _agenda_end(lines: list[str], j: int, limit: int) -> int:
    """Index of the last line of the longest known agenda title starting at ``lines[j]``, or -1."""
    buf, best = "", -1
    while j < limit and lines[j]:
        buf = (buf + " " + _norm(lines[j])).strip()
        if not _agenda_prefix(buf):
            break
        if _agenda_complete(buf):
            best = j
        j += 1
    return best


def _masthead_end(lines: list[str]) -> int:
    """Index of the first line after the masthead block (symbol, Distr., date, body, session, agenda)."""
    i = 0
    last_masthead = -1
    agenda_done = False
    n = min(len(lines), 40)
    while i < n:
        line = lines[i]
        norm = _norm(line)
        bare = _SYMBOL_RE.sub("", line).strip("*∗ ") if line else ""
        if line and (_only_dates(line) or (
            # session dates wrapped onto two lines ("10-28 September and" / "10-14 December 2007")
            i + 1 < n and re.search(r"(\b(and|to|et|y)|[-–])$", line) is not None
            and _only_dates(line + " " + lines[i + 1])
        )):
            last_masthead = i
            i += 1
            continue
        # a footnote number glued to the last word ("Twenty-seventh special session12") is not part of it
        probe = re.sub(r"(?<=[a-z])\d{1,2}$", "", line.strip("*∗ "))
        if not line or _is_symbol_line(line) or _MASTHEAD_LINE.match(probe) or (
            bare != line.strip("*∗ ") and (not bare or _MASTHEAD_LINE.match(bare))
        ):
            if line:
                last_masthead = i
            if re.match(r"^(agenda\s+items?|items?\s+[\d, and()a-z]+\s+of\s+the\s+provisional\s+agenda|(points?|tema|пункт)\s)",
                        line, re.I):
                # agenda title lines follow (any of the ten items, possibly several)
                j = i + 1
                while j < n and not lines[j]:
                    j += 1
                items = max(1, len(re.findall(r"\d+", line)), len(re.findall(r"\([a-z]+\)", line)))
                while True:  # several items, one after the other ("Agenda items 2 and 3")
                    if items == 0:
                        # as many known agenda titles as the line has items: what follows is the title
                        # even when it reads like one ("Report of the United Nations High Commissioner
                        # for Human Rights and follow-up to the World Conference on Human Rights")
                        agenda_done = True
                        break
                    items -= 1
                    end = _agenda_end(lines, j, min(n, i + 12))
                    if end < 0:
                        break
                    last_masthead = end
                    j = end + 1
                    while j < n and not lines[j]:
                        j += 1
                if last_masthead == i:
                    # an agenda title we do not know: the block up to the next blank line
                    k = i + 1
                    while k < n and k <= i + 7 and lines[k]:
                        k += 1
                    if i + 1 < k < n and not lines[k] and any(lines[k + 1:k + 4]):
                        last_masthead = k - 1
                i = last_masthead + 1 if last_masthead >= i else i + 1
                continue
            i += 1
            continue
        if last_masthead >= 0 and not agenda_done and _agenda_prefix(norm):
            # an agenda title without its "Agenda item" line
            end = _agenda_end(lines, i, min(n, i + 8))
            if end >= i:
                last_masthead = end
                i = end + 1
                continue
        if i == 0 and re.fullmatch(r"\S{1,6}", line) and not _TITLE_STOP.match(line):
            i += 1  # a stray token above the masthead (a logo's text, "ope6")
            continue
        if norm and i <= 3 and last_masthead < 0:
            # text before any masthead line: not a UN masthead at all
            return 0
        if last_masthead >= 0 and line and not _TITLE_STOP.match(line) and not re.match(
            r"^(report|note|summary|draft|proposal|study|final|interim|update|annual)\b", line, re.I
        ) and re.search(r"working group|task force|committee|mechanism|forum|conference|commission", line, re.I):
            # the name of an organ ("Working Group on the Right to Development") before its session line
            ahead = [x for x in lines[i + 1:i + 4]]
            hit = next((k for k, x in enumerate(ahead) if x and _SESSION_LINE.match(x)), None)
            if hit is not None and all(x and len(x) < 90 for x in ahead[:hit]):
                last_masthead = i + 1 + hit
                i = last_masthead + 1
                continue
        break
    return last_masthead + 1


def _title_and_subject(lines: list[str], start: int) -> tuple[str | None, list[str], str | None, bool]:
    """The title block after the masthead, the following block(s), the addendum subtitle
    (``""`` for a bare "Addendum" line, ``None`` when there is none) and whether a
    "Corrigendum" line follows the title (the corrections come after it, not the title)."""
    addendum: str | None = None
    corrigendum = False
    parts: list[list[str]] = [[]]
    i = start
    n = len(lines)
    while i < n and not lines[i]:
        i += 1
    count = 0
    while i < n and count < 14:
        line = lines[i]
        stripped = _strip_marks(line)
        if not line or re.fullmatch(r"[\s*∗†‡]+", line):
            # a blank line, or footnote marks alone on a line: the end of a block
            if parts[-1]:
                parts.append([])
            i += 1
            continue
        if re.fullmatch(r"(addendum|additif|adición|добавление)\s*[*∗]*", line.strip(), re.I) and parts[0]:
            add: list[str] = []
            for nxt in lines[i + 1:i + 6]:
                if not nxt and not add:
                    continue
                if not nxt or _TITLE_STOP.match(nxt) or re.match(r"^[*∗†]", nxt) or re.match(r"^\d+\.", nxt):
                    break
                add.append(_strip_marks(nxt))
            addendum = _join_lines(add)
            break
        if re.fullmatch(r"(corrigendum|rectificatif|correcci[óo]n|исправление)\s*[*∗]*", line.strip(), re.I) \
                and parts[0]:
            corrigendum = True
            break
        block = parts[-1] or (parts[-2] if len(parts) > 1 else [])
        if block and re.search(r"\bsessions?,?$", block[-1], re.I) and _PLACE_DATES_LINE.match(stripped):
            # the place and dates of the session a report covers ("... on its eighth session," /
            # "Geneva, 20-24 July 2015") close its title
            place = stripped.strip("()")
            block.append(place if block[-1].endswith(",") else f"({place})")
            break
        if _TITLE_STOP.match(line) or re.match(r"^[*∗†]", line) or (
            # the cover of an Official Records volume: "General Assembly / Official Records / ... session"
            re.fullmatch(r"general\s+assembly", line, re.I) and i + 1 < n
            and re.match(r"official\s+records\b", lines[i + 1], re.I)
        ):
            break
        if re.match(r"^\d+\.\s+\S", line) and parts[0]:
            break
        if parts[0] and len(line) >= 60 and re.match(
            r"^(For|In|On|At|During|Since|As|By|Mr\.|Ms\.|Following|Pursuant|Further|With)\s", line
        ):
            break  # prose after the title
        if parts[0] and len(parts) == 1 and len(line) >= 60 and line.startswith("The ") and not re.search(
            r"\b(of|the|for|on|and|in|to|by|with|from|at)$|[-,:]$", parts[0][-1], re.I
        ) and i + 1 < n and lines[i + 1][:1].islower():
            break  # a sentence that starts after the title ("The Office of ... (UNHCR)" / "welcomes ...")
        if len(parts) == 1 and len(parts[0]) >= 2 and line[:1].isupper() and len(line.split()) >= 3 and re.match(
            r"^report (of|submitted by) the (special|independent)", parts[0][0], re.I
        ) and _NAME_END.search(parts[0][-1]):
            parts.append([])  # "..., Ben Emmerson" then the report's own thematic title
        if _SUBTITLE.match(line) and parts[-1]:
            if len(parts) > 1 and not (len(parts) == 2 and _NOTE_LINE.match(line) and _SUBTITLE.match(parts[1][0])
                                       and not _NOTE_LINE.match(parts[1][0])):
                break  # (a chain "Report of the Office ..." / "Note by the Secretariat" goes on to the note)
            parts.append([])
        elif len(parts) > 1 and parts[-1] and re.search(r"\b(19|20)\d\d$", parts[-1][-1]) and line[:1].isupper():
            break  # a subtitle of dates ("Communications sent, ... 2014; Replies received, ... 2014") ends there
        elif len(parts) > 1 and parts[-1] and _SUBTITLE.match(parts[-1][0]):
            # a subtitle ("Note by the Secretariat", "Report of the ...") is short
            prev = parts[-1][-1]
            if parts[-1][0].lower().startswith("note by") or len(parts[-1]) >= 4 or not (
                re.search(r"\b(of|the|for|on|and|in|to|de|du|des|la|le|del|y|high|human|united|nations|"
                          r"commissioner|special|working|group|enforced|involuntary|rights)$|[-,]$", prev, re.I)
                or line[:1].islower()
                # the wrapped end of a body's name ("... Council" + "Advisory Committee")
                or (len(_strip_marks(line).split()) <= 2 and all(re.fullmatch(r"[A-Z][a-z]{2,}", w) for w in _strip_marks(line).split())
                    and re.search(r"\b[A-Z]\w+$", prev) is not None)
                # a capitalised name wrapped mid-phrase ("... Working Group on the Effective" +
                # "Implementation of the Durban Declaration ...")
                or (re.search(r"\b(the|of|on|for|and)\s+[A-Z][a-z]+$", prev) is not None
                    and re.match(r"^[A-Z][a-z]+\s+(of|on|for|and|the)\b", line) is not None)
                # a subtitle in capitals goes on in capitals
                or (_all_caps(prev) and _all_caps(line))
                # an open parenthesis ("... on its sixth session (Geneva, 14–22" / "January 2010)")
                or " ".join(parts[-1]).count("(") > " ".join(parts[-1]).count(")")
            ):
                break
        if stripped:
            parts[-1].append(stripped)
        if line.rstrip().endswith(("*", "∗", "†")) and len(parts[-1]) and parts[-1] is parts[0]:
            parts.append([])
        i += 1
        count += 1
    parts = [p for p in parts if p]
    if not parts:
        return None, [], addendum, corrigendum
    if len(parts[0]) > 1 and re.fullmatch(r"(information\s+)?note\s+by\s+the\s+secretar(iat|y-general)", parts[0][0], re.I):
        # a label above the title ("INFORMATION NOTE BY THE SECRETARIAT" / "Update on ..."): its attribution
        parts[0:1] = [parts[0][1:], [parts[0][0]]]
    caps = 0
    while caps < len(parts[0]) and _all_caps(parts[0][caps]):
        caps += 1
    after_agenda = any(
        re.match(r"^(agenda\s+items?|items?\s+\d)", x, re.I) for x in lines[max(0, start - 6):start]
    )
    # capitalised agenda sub-item titles ("RIGHTS OF THE CHILD") above the real, mixed-case title
    if after_agenda and 0 < caps < len(parts[0]) and re.match(r"^[A-Z][a-z]", parts[0][caps]):
        parts[0] = parts[0][caps:]
    elif after_agenda and caps == len(parts[0]) and len(parts) > 1 and re.match(r"^[A-Z][a-z]", parts[1][0]) \
            and _norm(" ".join(parts[0])) in _AGENDA_SUBITEMS:
        parts = parts[1:]
    while len(parts) > 1 and re.search(r"\b(periodic|universal|the|of|on|and|for|in|to)$", parts[0][-1], re.I):
        parts[0:2] = [parts[0] + parts[1]]  # a title broken by a footnote mark
    title = _join_lines(parts[0])
    rest = [_join_lines(p) for p in parts[1:]]
    return title, rest, addendum, corrigendum


def _all_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _join_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if not out:
            out = line
        elif out.endswith("-") and not out.endswith(" -") and line[:1].islower():
            last = re.split(r"\W+", out[:-1])[-1].lower()
            out = out + line if last in _TENS or last in ("non", "self", "follow", "co", "high", "two", "mid") \
                else out[:-1] + line
        else:
            out += " " + line
    return re.sub(r"\s+", " ", out).strip()


_UPR_WG_TITLE = re.compile(
    r"^(report of the working (group )?on the universal periodic review|"
    r"rapport du groupe de travail sur l examen p ?e?riodique universel|"  # _norm drops accented letters
    r"informe del grupo de trabajo sobre el examen peri ?o?dico universal)$"
)
_COUNTRY_IN_TITLE = [
    re.compile(r"(?:compilation|summary of stakeholders[’']? submissions|summary of stakeholders[’']? information|"
               r"summary prepared by .*?)\s+(?:on|in)\s+(?:the\s+)?(.+)$", re.I),
    re.compile(r"outcome of the universal periodic review:\s*(.+)$", re.I),
    re.compile(r"(?:concluding observations|list of issues)(?: in relation to| on| concerning)? .*?"
               r"(?:report|reports) of (.+)$", re.I),
    re.compile(r"(?:concluding observations)(?: on| concerning)\s+(.+)$", re.I),
    re.compile(r"situation of human rights in (.+?)(?: - |$)", re.I),
    re.compile(r"human rights situation in (.+?)(?: - |$)", re.I),
]


_BARE_NOTE = re.compile(r"^note\s+(by|of)\s+the\s+[\w\s.-]{3,80}$", re.I)
_TRANSMITTAL = re.compile(
    r"\bha(?:s|ve)\s+the\s+honour\s+to\s+(?:transmit|submit)\b[^.]{0,160}?\bthe\s+(reports?\s+(?:of|on)\s+[^.]+?)"
    r"(?=,?\s+(?:which\s+took\s+place|held\s+(?:in|at|from)|prepared|submitted|appointed|pursuant|organized|"
    r"in\s+accordance)\b|\.(?:\s|$))",
    re.I | re.S,
)


_NOTE_TRANSMITTING = re.compile(
    r"^note\s+(?:by|of)\s+the\s+.{3,100}?\s+transmitting\b.{0,80}?\bthe\s+(reports?\s+(?:of|on)\s+.{20,})$", re.I
)


def _block_above(lines: list[str], start: int, *, after_blank: bool = False) -> list[str]:
    """The lines just above ``lines[start]`` up to a blank, agenda-item or session line (at most 6);
    empty when a blank line is above them (unless ``after_blank``) or nothing is."""
    back: list[str] = []
    k = start - 1
    while k >= 0 and lines[k] and not re.match(r"^(agenda\s+items?|items?\s+\d)", lines[k], re.I) \
            and not _SESSION_LINE.match(lines[k]) and len(back) < 6:
        back.insert(0, _strip_marks(lines[k]))
        k -= 1
    return back if back and k >= 0 and (lines[k] or after_blank) else []


def _transmitted_report(text: str) -> str | None:
    """The title of the report a note transmits ("... has the honour to transmit to the members of the
    Human Rights Council the report of the seventeenth meeting of ..., which took place in Geneva ...")."""
    m = _TRANSMITTAL.search(text)
    if not m:
        return None
    title = re.sub(r"\s+", " ", m.group(1)).strip(" ,;")
    if len(title) < 25 or len(title) > 400:
        return None
    return title[0].upper() + title[1:]


def _upr_wg_session(text: str) -> int | None:
    m = re.search(
        r"working group on the universal periodic review[^.]{0,120}?held its\s+(\S+(?:[\s-]\S+)?)\s+session",
        text, re.I | re.S,
    ) or re.search(r"held its\s+((?:\w+[\s-])?\w+)\s+session[^.]{0,80}?universal periodic review", text, re.I | re.S)
    if m:
        return _ordinal_value(m.group(1))
    return None


#: "The review of the United States of America was held at the 9th meeting, on 5 November 2010."
_REVIEW_HELD = re.compile(
    r"\breview\s+of\s+[^.]{2,120}?\s+was\s+held\s+at\s+the\s+\w+\s+meeting,?\s+on\s+"
    r"(\d{1,2}\s+[A-Za-z]+\s+(?:19|20)\d\d)",
    re.I,
)


def _review_date(text: str) -> tuple[str, int] | None:
    """The day a working-group report's review was held, from its introduction."""
    m = _REVIEW_HELD.search(re.sub(r"\s+", " ", text))
    return _find_date(m.group(1)) if m else None


def identify_text(
    text: str,
    *,
    headers: Sequence[str] = (),
    more_text: str = "",
    filename: str | None = None,
) -> Identity:
    """Identify a document from its first page's text.

    ``headers`` are running headers/footers of the first pages (they repeat the
    symbol), ``more_text`` the text of the following pages (used for the
    language and the UPR Working Group session), ``filename`` a last resort for
    the symbol (``A-HRC-28-15`` in a file name).
    """
    ident = Identity()
    lines = _join_split_symbol(_lines(text))
    text_joined = "\n".join(lines)
    text_norm = _norm(text_joined)

    # symbol
    symbol = _masthead_symbol(lines[:60]) or _header_symbol(headers)
    if symbol is None and filename:
        m = re.search(r"(A-HRC-[A-Za-z0-9.\-]+?|E-C\.12-[A-Z0-9.\-]+?|(?:CRC|CEDAW|CCPR|CERD|CAT|CRPD|CMW|CED)-C-[A-Z0-9.\-]+?)"
                      r"(?=_|\.pdf$)", os.path.basename(filename))
        if m:
            cand = m.group(1).replace("-", "/").replace("/Add.", "/Add.")
            if _valid_symbol(cand):
                symbol = cand
                ident.notes.append("symbol from file name")
    ident.symbol = symbol

    # masthead, title and what follows it
    has_masthead = bool(re.search(
        r"\bdistr\b|\bgeneral assembly\b|\bunited nations\b|\bнаций\b|\bnations unies\b|\bhuman rights council\b",
        " ".join(_norm(x) for x in lines[:14]),
    )) or any(_SYMBOL_RE.fullmatch(x.rstrip("*∗ ")) for x in lines[:3] if x)
    start = _masthead_end(lines) if has_masthead else 0
    title, rest, addendum, corrigendum = (
        _title_and_subject(lines, start) if has_masthead else (None, [], None, False)
    )
    if not has_masthead:
        block: list[str] = []
        for line in lines[:12]:
            s = _strip_marks(line)
            if not s:
                if block:
                    break
                continue
            if not re.search(r"[A-Za-z\u0400-\u04FF]{3}", s):
                continue
            block.append(s)
            if len(block) >= 3:
                break
        title = _join_lines(block) if block else None
    # resolutions and decisions: the numbered title "48/161. The situation in ..."
    m = re.search(r"^\d+/\d+\.\s+(.+)$", "\n".join(lines[start:start + 20]), re.M)
    if m and (title is None or re.match(r"^(resolution|decision|r[ée]solution|d[ée]cision)\s+adopt", title, re.I)):
        idx = lines.index(m.group(0)) if m.group(0) in lines else None
        block = [m.group(1)]
        if idx is not None:
            for line in lines[idx + 1: idx + 8]:
                if not line or re.match(r"^(the|le|la|el)\s+\w+(\s+\w+){0,4},$", line, re.I) or _TITLE_STOP.match(line):
                    break
                block.append(line)
        title = _join_lines(block)
        rest = []
    transmitted = _transmitted_report("\n".join(lines[start:start + 30])) \
        if title and start > 0 and _BARE_NOTE.match(title) else None
    if title and (m := _NOTE_TRANSMITTING.match(title)):
        transmitted = m.group(1)[0].upper() + m.group(1)[1:]
    if transmitted:
        # a note is named after the report it transmits: the report named in the note's own title
        # ("Note by ... transmitting ... the report on ...") or, for a bare "Note by ...", in its first
        # sentence (above the note, if anything, is the agenda item's title)
        title, rest = transmitted, []
    elif title and start > 0 and re.match(r"^note (by|of) the\b", title, re.I):
        # the real title was taken for an agenda item: it is the block just above the note
        back = _block_above(lines, start)
        if back:
            rest = [title] + rest
            title = _join_lines(back)
    elif title and start > 0 and len(title.split()) <= 6 and _lookup_country(title):
        # a State's name alone under a heading ("UNIVERSAL PERIODIC REVIEW" / "Peru"): the heading,
        # taken for the agenda item's title, is the head of the title
        back = _block_above(lines, start, after_blank=True)
        if back:
            title = f"{_join_lines(back)} - {title}"
    title_norm = _norm(title or "")

    # date, year
    masthead_text = "\n".join(lines[: max(start, 12)])
    found = _find_date(masthead_text) or (_find_date(text_joined[:1500]) if not has_masthead else None)
    if found:
        ident.date, ident.year = found
    elif not has_masthead and (m := re.search(r"(?:©|\(c\)|copyright)[^\n]{0,60}?\b((?:19|20)\d\d)\b",
                                               text_joined + "\n" + more_text, re.I)):
        ident.year = int(m.group(1))
    else:
        job = _JOB_RE.search(text_joined)
        if job:
            ident.year = 2000 + int(job.group(1)) if int(job.group(1)) < 80 else 1900 + int(job.group(1))

    ident.document_type = _document_type(
        symbol, text_norm if symbol else _norm(text_joined + "\n" + more_text), title_norm, has_masthead
    )
    ident.body = _body_of(symbol, text_norm)
    if ident.document_type in ("upr_wg_report", "upr_addendum", "upr_national_report", "upr_compilation",
                               "upr_stakeholder_summary"):
        ident.body = "UPR"
    if ident.body is None and ident.document_type == "nhri_report":
        ident.body = "NHRI"
    if ident.body is None and ident.document_type == "ngo_report":
        ident.body = "NGO"

    # session and cycle
    hrc_session = wg_session = None
    if symbol:
        m = re.match(r"A/HRC/WG\.6/(\d+)/", symbol)
        if m:
            wg_session = int(m.group(1))
            ident.session = m.group(1)
        else:
            m = re.match(r"A/HRC/(?:(?:RES|DEC|PRST|S)[-/])?(S-)?(\d+)/", symbol)
            if m:
                ident.session = (m.group(1) or "") + m.group(2)
                if not m.group(1):
                    hrc_session = int(m.group(2))
            else:
                m = re.match(r"A/(?:RES/)?(\d+)/", symbol)
                if m:
                    ident.session = m.group(1)
    if ident.session is None:
        m = _ORDINAL_RE.search(masthead_text)
        if m:
            value = _ordinal_value(m.group(1))
            if value:
                ident.session = str(value)
    if ident.body == "UPR" or ident.document_type in ("decision",) and "universal periodic review" in text_norm:
        wg = wg_session or _upr_wg_session(text_joined + "\n" + more_text)
        ident.cycle = upr_cycle(wg, hrc_session)
    if ident.document_type == "upr_wg_report" and (held := _review_date(text_joined + "\n" + more_text)):
        # its year is the review's, as UPR Info counts it: the report on the United States' review of
        # 5 November 2010 is dated 4 January 2011
        ident.review_date, ident.year = held
    if ident.document_type == "letter" and ident.cycle is None:
        # "I have been following the third cycle of the Universal Periodic Review"
        m = re.search(r"\b(first|second|third|fourth|fifth|sixth) cycle\b", text_norm)
        if m:
            ident.cycle = ("first", "second", "third", "fourth", "fifth", "sixth").index(m.group(1)) + 1
        ident.body = ident.body or "OHCHR"

    # title with its subject line (UPR reports: the State under review)
    subject = None
    if title:
        m = re.match(r"^(report of the working group on the universal periodic review)\s+(.+)$", title, re.I)
        if m and len(m.group(2).split()) <= 8:
            title, rest = m.group(1), [m.group(2)] + rest
            title_norm = _norm(title)
        if _UPR_WG_TITLE.match(title_norm) and rest:
            subject = rest[0]
            ident.title = f"{title} - {subject}"
        elif title_norm.startswith(("national report", "rapport national", "informe nacional")) and rest and (
            _lookup_country(rest[0]) or (len(rest[0].split()) <= 6 and rest[0][:1].isupper())
        ):
            subject = rest[0]
            ident.title = f"{title} - {subject}"
        else:
            ident.title = title
            if rest and (_SUBTITLE.match(rest[0]) or (
                12 <= len(rest[0]) < 200 and not rest[0].endswith(".") and rest[0][:1].isupper()
                and (not _SUBTITLE.search(title) or re.match(r"^report (of|submitted by) the ", title, re.I))
                and not re.match(r"^(I\.?|A\.|1\.?)\s", rest[0])
            )):
                ident.title = f"{title} - {rest[0]}"
                if len(rest) > 1 and _SUBTITLE.match(rest[0]) and _NOTE_LINE.match(rest[1]):
                    ident.title += f" - {rest[1]}"  # "... - Report of the Office ... - Note by the Secretariat"
    if ident.title and (m := re.match(r"^statement by the president\b.*?\bPRST[\s/]*\d+/\d+\.?\s+(\S.*)$",
                                      ident.title, re.I)):
        ident.title = m.group(1)  # a presidential statement's own title follows its PRST number
    if ident.title and addendum is not None:
        ident.title = f"{ident.title} - Addendum" + (f" - {addendum}" if addendum else "")
    if has_masthead and not corrigendum:
        # a "Corrigendum" line below the title block's end ("Chair-Rapporteur: ..." then "Corrigendum")
        corrigendum = any(re.fullmatch(r"(corrigendum|rectificatif|correcci[óo]n|исправление)\s*[*∗]*", x, re.I)
                          for x in lines[start:start + 14])
    if ident.title and corrigendum:
        ident.title = f"{ident.title} - Corrigendum"
    if ident.title:
        ident.title = ident.title.strip(" -:,;")[:500] or None

    # the State concerned
    code = None
    if symbol:
        for seg in symbol.split("/")[1:]:
            if re.fullmatch(r"[A-Z]{3}", seg) and seg not in ("HRC", "RES", "DEC", "CRP", "NGO", "LOI", "QPR", "PRST"):
                name = _country_from_code(seg)
                if name:
                    ident.country, code = name, seg
                    break
    if code is None:
        candidates: list[str] = []
        if subject:
            candidates.append(subject)
        if ident.document_type in ("upr_wg_report", "upr_addendum", "upr_national_report") and rest:
            candidates.extend(rest[:2])
        for pattern in _COUNTRY_IN_TITLE:
            m = pattern.search(ident.title or "")
            if m:
                candidates.append(m.group(1))
        if not symbol:
            # letters ("the review of Slovenia by the UPR Working Group") and designed one-pagers
            m = re.search(r"\breview of ([A-Z][\w'’ -]{2,40}?)(?= by\b| at\b| in\b|[,.;])", text_joined)
            if m:
                candidates.append(m.group(1))
            # "the Universal Periodic Review (UPR) of\nthe Republic of Slovenia and welcome ...": cut at
            # each "and", longest first ("Trinidad and Tobago")
            m = re.search(r"\b[Rr]eview(?:\s*\(UPR\))?\s+of\s+(?:the\s+)?([A-Z][\w'’ -]{2,60})", text_joined)
            if m:
                parts = m.group(1).split(" and ")
                candidates.extend(" and ".join(parts[:k]) for k in range(len(parts), 0, -1))
            candidates.extend(x for x in [x for x in lines if x][:4] if len(x.split()) <= 4)
        for cand in candidates:
            found_c = _lookup_country(cand)
            if found_c:
                ident.country, code = found_c
                break
    ident.country_code = code

    if ident.document_type == "upr_addendum" and symbol:
        ident.responds_to = re.sub(r"/Add\.\d+$", "", symbol)

    # language: body text, not the masthead (a Russian page keeps "Distr.: General")
    sample = "\n".join(lines[start:]) + "\n" + more_text[:6000]
    ident.language = detect_language(sample) or detect_language(text_joined)
    return ident


# -- from pages ---------------------------------------------------------------------------
def _page_text(page: Page) -> str:
    """Page lines with a blank line where a vertical gap separates blocks."""
    out: list[str] = []
    prev = None
    for line in page.lines:
        if prev is not None:
            gap = line.top - prev.bottom
            if gap > max(prev.size, line.size, 6.0) * 0.9:
                out.append("")
        out.append(line.text)
        prev = line
    return "\n".join(out)


def _sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def identify(
    pages_head: Sequence[Page],
    path: str | os.PathLike[str],
    *,
    sha256: str | None = None,
    pages: int | None = None,
) -> Document:
    """Identify a PDF from its first pages (2-3 are enough) and return its Document.

    ``sha256`` and ``pages`` are computed when not given (hash of the file; number
    of pages seen). Never raises for an unrecognised document: it is ``other``.
    """
    if not pages_head:
        text, headers, more = "", [], ""
    else:
        first = pages_head[0]
        text = _page_text(first)
        headers = [h for p in pages_head for h in p.headers]
        more = "\n".join(p.text for p in pages_head[1:])
        symbol_headers = [h for h in first.headers if _SYMBOL_RE.search(h)]
        if symbol_headers:
            # the masthead symbol line may have been taken for a running header
            text = symbol_headers[0] + "\n" + text
    ident = identify_text(text, headers=headers, more_text=more, filename=str(path))
    return Document(
        sha256=sha256 or _sha256(path),
        source_path=str(path),
        pages=pages if pages is not None else len(pages_head),
        **ident.document_fields(),
    )
