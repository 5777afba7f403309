"""The rules: what in a comment may show who wrote it, each with its reason and a suggestion.

One table, RULES, read top to bottom. Where two rules find overlapping phrases, the one that
starts first wins, then the longer, then the one higher in the table. docs/giveaways.md says
what each kind of rule looks for, why, and what it misses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from . import names
from .words import (
    AGENCIES,
    FIRST_NAMES,
    FUNCTION_WORDS,
    GENERIC_CAPITALS,
    JOB_TITLES,
    NOT_NAMES,
    PLACE_NOUNS,
)


class Kind(StrEnum):
    NAME = "name"
    ROLE = "role"
    TIME = "time"
    PLACE = "place"
    EVENT = "event"
    CONTACT = "contact"
    LIFE = "life"


Accept = Callable[[re.Match[str], names.Context], tuple[int, int] | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """A pattern, and what to tell the writer when it matches."""

    name: str
    kind: Kind
    pattern: re.Pattern[str]
    reason: str
    suggestion: str
    # For patterns that find more than they mean: which part of a match counts, if any.
    accept: Accept | None = None


def alternatives(phrases: Iterable[str], plural: bool = False) -> str:
    """A group matching any of the phrases, longest first, any run of spaces between words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered)
    return f"(?:{body})" + ("s?" if plural else "")


def _rule(name: str, kind: Kind, pattern: str, reason: str, suggestion: str, **options) -> Rule:
    flags = 0 if options.pop("case_sensitive", False) else re.IGNORECASE
    return Rule(name, kind, re.compile(pattern, flags), reason, suggestion, **options)


def _capital_words_before(words: int) -> str:
    return rf"(?:{names.CAPITALISED}[ \t]+){{1,{words}}}"


PLACE_NOUN_WORDS = frozenset(PLACE_NOUNS)
TOKEN = re.compile(r"\S+")


def accept_particular(match: re.Match[str], context: names.Context) -> tuple[int, int] | None:
    """A capitalised place name, unless its words are all generic ("Care Home")."""
    start = _after_function_words(match)
    words = names.WORD.findall(match.string, start, match.end())
    particular = [w for w in words if w not in PLACE_NOUN_WORDS | GENERIC_CAPITALS]
    if any(w.lower() not in context.worker for w in particular):
        return start, match.end()
    return None


def accept_event(match: re.Match[str], context: names.Context) -> tuple[int, int] | None:
    """A capitalised event name, without a sentence's first word ("At the Care Awards")."""
    start = _after_function_words(match)
    return (start, match.end()) if start < match.end() else None


def _after_function_words(match: re.Match[str]) -> int:
    """Where a run of capitalised words starts once "At", "The" and the like are left off."""
    for word in TOKEN.finditer(match.string, match.start(), match.end()):
        if word.group() not in FUNCTION_WORDS:
            return word.start()
    return match.end()


def accept_town(match: re.Match[str], context: names.Context) -> tuple[int, int] | None:
    """A place after "at" or "in": the capitalised words, unless they name someone."""
    words = list(names.WORD.finditer(match.string, match.start(1), match.end()))
    for word in words:
        text, lower = word.group(), word.group().lower()
        if text in FIRST_NAMES or text in NOT_NAMES or lower in context.known | context.worker:
            return None  # a person (the name rule's), the worker, or a word that names nothing
    return words[0].start(), words[-1].end()


TITLE = alternatives(JOB_TITLES, plural=True)
SOMEONES = r"(?:your|her|his|their|a|an|the|one\s+of\s+(?:your|her|his|their|the))"
MODIFIER = r"(?:(?:new|only|other|fellow|acting|relief|night|bank|temporary)\s+)?"
I_AM = r"(?:I\s*(?:'m|’m|\s+am|\s+was|'ve\s+been|’ve\s+been|\s+have\s+been))"
WEEKDAY = r"(?:mon|tues?|wednes|weds|thurs?|fri|satur|sun)day"
MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
)
WHEN = "Could you describe what happened without when?"
WHERE = "Could you describe what happened without where?"
WHO_YOU_ARE = "Could you describe what you saw without saying who you are to them?"
NO_NAME = "Could you describe what happened without naming anyone?"
TAKE_OUT = "Please take it out before you send: it leads straight to a person."
YOUR_OWN = "Could you describe what they did without details of your own life?"
WHICH_EVENT = "Could you describe what they did without saying which event it was?"

RULES: tuple[Rule, ...] = (
    # Contact details ---------------------------------------------------------------------------
    _rule("email", Kind.CONTACT, r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b",
          "This is an email address.", TAKE_OUT),
    _rule("phone", Kind.CONTACT,
          r"(?:\+44\s?(?:\(0\)\s?)?|(?<![\w+])0)\d{2,4}(?:[\s-]?\d){6,8}\b"
          r"|\bext(?:ension|\.)?\s*\d{3,5}\b",
          "This is a phone number.", TAKE_OUT),
    _rule("handle", Kind.CONTACT, r"(?<![\w.@])@[A-Za-z0-9_]{2,15}\b",
          "This looks like a social media name.", TAKE_OUT),
    # Roles and relationships -------------------------------------------------------------------
    _rule("as-role", Kind.ROLE, rf"\b(?:as|being|{I_AM})\s+{SOMEONES}\s+{MODIFIER}{TITLE}\b",
          "This says what your role is.", WHO_YOU_ARE),
    _rule("my-role", Kind.ROLE, rf"\bmy\s+(?:role|job|post)\s+as\s+(?:(?:an?|the)\s+)?{TITLE}\b",
          "This says what your role is.", WHO_YOU_ARE),
    _rule("only-one", Kind.ROLE,
          rf"\b(?:as|being|{I_AM})\s+the\s+only\s+(?:[\w-]+\s+){{0,2}}?"
          r"(?:one|person|man|woman|male|female|member|worker|staff|student|volunteer"
          r"|\w+\s+speaker|\w+er)\b",
          "This says you are the only one of something, which may point straight to you.",
          "Could you leave out what makes you stand out?"),
    _rule("my-manager", Kind.ROLE,
          r"\b(?:my|our)\s+(?:line\s+)?(?:manager|supervisor|boss|senior|team\s+leader|team\s+lead"
          r"|deputy|practice\s+(?:teacher|educator)|mentor|assessor|supervisee|manager's)s?\b",
          "This says how you work with them.", WHO_YOU_ARE),
    _rule("i-manage", Kind.ROLE,
          r"\bI\s+(?:line[\s-]+)?(?:manage|managed|supervise|supervised|mentor|mentored|assess"
          r"|assessed|report\s+to|reported\s+to|work\s+under|worked\s+under)\b"
          r"|\b(?:you|she|he|they)\s+(?:line[\s-]+)?(?:manages?|managed|supervises?|supervised"
          r"|mentors?|mentored)\s+me\b"
          r"|\b(?:managing|supervising|line[\s-]+managing)\s+(?:you|her|him|them|me)\b"
          r"|\b(?:managed|supervised)\s+by\s+(?:you|her|him|them)\b",
          "This says who manages whom.", WHO_YOU_ARE),
    _rule("my-team", Kind.ROLE,
          r"\bmy\s+(?:own\s+)?(?:team|staff|unit|ward|department|workers|shift|supervisees"
          r"|organisation|organization|agency|service|employer)\b",
          "This says where you work or whom you work with.", WHO_YOU_ARE),
    _rule("supervision", Kind.ROLE,
          r"\b(?:my|our|your)\s+(?:supervision|supervisions|supervision\s+sessions?"
          r"|one[\s-]to[\s-]ones?|1:1s?|1-1s?|appraisals?|PDRs?)\b",
          "This says how you work with them.", WHO_YOU_ARE),
    _rule("agency", Kind.ROLE,
          rf"\b(?:{I_AM}|as\s+someone|I\s+work|we\s+work|working|coming)\s+"
          rf"(?:for|from|in|at|with)\s+{alternatives(AGENCIES)}\b",
          "This says which organisation you work for.", WHO_YOU_ARE),
    # Days, dates and times ---------------------------------------------------------------------
    _rule("day", Kind.TIME,
          rf"\b(?:(?:last|this|next|on|every|that|one|each)\s+)?{WEEKDAY}s?\b",
          "This names a day.", WHEN),
    _rule("date", Kind.TIME,
          rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)"
          r"\b(?:,?\s+\d{4}\b)?"
          rf"|\b{MONTH}\.?\s+\d{{4}}\b"
          r"|(?<![\d/])(?!24/7\b)(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])(?:/\d{2,4})?\b"
          r"|\b(?:0?[1-9]|[12]\d|3[01])[.-](?:0?[1-9]|1[0-2])[.-](?:\d{4}|\d{2})\b"
          r"|\b(?:on|by|from|since|until|till|before|after)\s+the\s+\d{1,2}(?:st|nd|rd|th)\b",
          "This names a date.", WHEN),
    _rule("month", Kind.TIME,
          r"\b(?i:in|on|since|until|till|during|by|from|last|next|this|early|mid|late|before"
          r"|after|end\s+of|start\s+of|beginning\s+of)[\s-]+"
          r"(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December)\b|\b(?:January|February|July|September|October|November|December)\b",
          "This names a month.", WHEN, case_sensitive=True),
    _rule("year", Kind.TIME,
          r"\b(?:in|since|from|during|until|till|by|back\s+in|before|after|the)\s+"
          r"(?:19[5-9]\d|20[0-4]\d)\b",
          "This names a year.", WHEN),
    _rule("recent", Kind.TIME,
          r"\b(?:yesterday|last\s+night|tonight|the\s+other\s+day|this\s+(?:morning|afternoon"
          r"|evening|week|weekend)|(?<!the\s)(?:last|past)\s+(?:week|weekend|month|night)"
          r"|(?:last|this|next)\s+(?:spring|summer|autumn|winter)"
          r"|(?:\d+|an?|one|two|three|four|five|six|a\s+few|a\s+couple\s+of|several)\s+"
          r"(?:days?|weeks?|months?|years?)\s+ago)\b",
          "This says when it happened.", WHEN),
    _rule("clock", Kind.TIME,
          r"(?<![£$€\d.,])\b(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
          r"|\b(?:1[0-2]|0?[1-9])\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)"
          r"|\b(?:midnight|midday|noon|half\s+past\s+\w+|quarter\s+(?:past|to)\s+\w+"
          r"|\w+\s+o['’]clock)\b",
          "This names a time of day.", WHEN),
    _rule("shift", Kind.TIME,
          r"\b(?:(?:the|a|an|that|on|every)\s+)?(?:night|early|late|back|day|weekend|twilight"
          r"|long[\s-]day|evening|morning|waking[\s-]night|sleep[\s-]?over|sleep[\s-]in)\s*"
          r"shifts?\b|\bon\s+(?:nights|earlies|lates|backshift)\b"
          r"|\b(?:backshift|nightshift|sleepovers?|sleep-ins?|waking\s+nights?)\b",
          "This names a shift, and only some people work it.",
          "Could you describe what happened without the shift?"),
    _rule("holiday", Kind.TIME,
          r"\b(?:(?:over|at|during|before|after|on|around|since|until)\s+)?(?:Christmas|Xmas"
          r"|Easter|Hogmanay|New\s+Year(?:['’]s)?(?:\s+Day)?|Burns\s+Night|Eid|Diwali|Hanukkah"
          r"|Ramadan|Halloween|Bonfire\s+Night|St\s+Andrew['’]s\s+Day|Boxing\s+Day"
          r"|the\s+(?:summer|Easter|October|Christmas|bank)\s+holidays?)\b",
          "This names a holiday or a time of year.", WHEN),
    # Places and events -------------------------------------------------------------------------
    _rule("numbered-place", Kind.PLACE,
          r"\b(?i:ward|room|unit|flat|bay|wing|block|bed|house|cottage|bungalow|suite"
          r"|corridor|lounge)\s+(?:\d{1,3}[A-Za-z]?|[A-Z])\b"
          r"|\b(?i:the\s+)?(?i:ground|first|second|third|top|upper|lower|1st|2nd|3rd)\s+"
          r"(?i:floor)\b",
          "This names a place, and only some people work there.", WHERE, case_sensitive=True),
    _rule("named-place", Kind.PLACE,
          rf"{_capital_words_before(3)}{alternatives(PLACE_NOUNS)}\b"
          rf"|\bthe\s+{_capital_words_before(2)}(?:office|team|site|base|hub|unit|service"
          r"|branch|depot|locality|patch|house|ward|home)\b",
          "This names a place, and only some people work there.", WHERE,
          case_sensitive=True, accept=accept_particular),
    _rule("town", Kind.PLACE,
          rf"\b(?i:at|in|near|from|outside|round|around)[ \t]+"
          rf"({names.CAPITALISED}(?:[ \t]+{names.CAPITALISED}){{0,2}})",
          "This names a place, and only some people work there.", WHERE,
          case_sensitive=True, accept=accept_town),
    _rule("named-event", Kind.EVENT,
          rf"{_capital_words_before(4)}(?:Awards?|Accolades|Conference|Summit|Festival|Fair"
          r"|Party|Ball|Ceilidh|Gala|Ceremony|Day|Week|Night|Event|Forum|Launch|Marathon|Walk"
          r"|Showcase|Roadshow|Celebration|Dinner|Games)\b"
          rf"|\bthe\s+(?:[A-Z][\w'’-]*[ \t]+){{1,3}}(?:conference|awards?|festival|fair|party"
          r"|ball|ceilidh|gala|event|forum|launch|away\s+day|open\s+day|fun\s+day|celebration"
          r"|night\s+out|dinner|walk|marathon)\b",
          "This names a particular event, and only some people were there.", WHICH_EVENT,
          case_sensitive=True, accept=accept_event),
    _rule("particular-event", Kind.EVENT,
          r"\bthe\s+(?:(?:christmas|xmas|summer|staff|team|leaving|retirement|charity"
          r"|fundraising|awards?)\s+(?:party|night\s+out|night|do|dinner|lunch|outing|trip"
          r"|ceilidh|ball|event|ceremony|evening|fundraiser|raffle|bake\s+sale|quiz)"
          r"|away\s+day|team\s+day|open\s+day|fun\s+day|sports\s+day|conference|ceilidh"
          r"|incident|fire|flood|complaint|investigation|tribunal|hearing|disciplinary"
          r"|evacuation|power\s+cut|accident)\b",
          "This names a particular event, and only some people were there.", WHICH_EVENT),
    # The writer's own life ---------------------------------------------------------------------
    _rule("family", Kind.LIFE,
          r"\bmy\s+(?:mum|mam|mother|dad|father|husband|wife|partner|fianc[ée]e?|boyfriend"
          r"|girlfriend|son|daughter|kids|children|child|baby|bairns?|weans?|gran|granny|grandad"
          r"|grandpa|grandma|grandmother|grandfather|nan|nana|sister|brother|family|auntie|aunt"
          r"|uncle|cousin|wedding|pregnancy|diagnosis|operation|surgery|illness|cancer"
          r"|bereavement|divorce|health|mental\s+health|disability|condition|dyslexia|autism"
          r"|adhd|menopause|anxiety|depression|caring\s+responsibilities|first\s+language"
          r"|accent|religion|faith)\b",
          "This mentions something from your own life that others may know about.", YOUR_OWN),
    _rule("leave", Kind.LIFE,
          r"\b(?:my|I\s+was\s+on|I\s+went\s+on|(?:came|come|coming)\s+back\s+from)\s+"
          r"(?:(?:maternity|paternity|adoption|sick|compassionate|bereavement|parental"
          r"|long[\s-]term\s+sick)\s+leave|phased\s+return|return\s+to\s+work|secondment)\b"
          r"|\bwhen\s+I\s+(?:was|were|had\s+been|got|became|went)\s+(?:off(?:\s+sick)?|ill|sick"
          r"|unwell|pregnant|in\s+hospital|bereaved|struggling|going\s+through|diagnosed"
          r"|on\s+leave)\b",
          "This mentions something from your own life that others may know about.", YOUR_OWN),
    _rule("started", Kind.LIFE,
          r"\b(?:when|since|after|before)\s+I\s+(?:first\s+)?(?:started|joined|arrived|began"
          r"|qualified|transferred|came\s+(?:here|to\s+the\s+team|into\s+the\s+team))\b"
          r"|\bmy\s+(?:first\s+(?:day|week|month|shift|year)|induction|probation"
          r"|probationary\s+period|interview|shadow\s+shifts?)\b"
          r"|\b(?:as|being|I\s+was)\s+a\s+new\s+(?:starter|start|member\s+of\s+staff"
          r"|member|worker|recruit)\b",
          "This says when you joined, which few others share.",
          "Could you leave out when you started?"),
    # Names ---------------------------------------------------------------------------------------
    _rule("name", Kind.NAME, names.NAME_RUN.pattern, "This looks like a person's name.", NO_NAME,
          case_sensitive=True, accept=names.accept_name),
    _rule("given-name", Kind.NAME, rf"(?<![\w'’-]){names.ANY_WORD.pattern}",
          "This looks like a person's name.", NO_NAME,
          case_sensitive=True, accept=names.accept_known_lower_case),
)  # fmt: skip

# What the worker's own reflection is checked for: it should name no one else, and no detail
# should point to a colleague or to someone the worker supports. Roles and dates are the
# worker's own to mention ("support from my manager", "by the end of March").
REFLECTION_WORDING: dict[Kind, tuple[str, str]] = {
    Kind.NAME: (
        "This looks like a person's name. Badge evidence and shared reports should name no "
        "one else.",
        "Could you write it without the name, for example “a colleague” or “someone I support”?",
    ),
    Kind.CONTACT: (
        "These are someone's contact details.",
        "Please take them out before you download or share.",
    ),
    Kind.PLACE: (
        "This names a place, which together with the rest may point to someone.",
        "Could you describe it without saying where?",
    ),
    Kind.EVENT: (
        "This names a particular event, which may point to the people who were there.",
        "Could you describe what you learned without saying which event it was?",
    ),
}
