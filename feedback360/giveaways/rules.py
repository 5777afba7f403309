"""The rules: what in a comment may show who wrote it, each with its reason and a suggestion.

One table, RULES, read top to bottom. Where two rules find overlapping phrases, the one that
starts first wins, then the longer, then the one higher in the table. docs/giveaways.md says
what each kind of rule looks for, why, and what it misses.

Each pattern starts with a word or a class of characters, never with `\\b` or a look-behind:
Python's engine can then skip straight to where a match could start, which makes a rule about
twenty times cheaper. The check makes up for the missing `\\b` itself (a match may not start
inside a word). Most rules read the text with A-Z in lower case (`lowered`), and run only if
one of their `cues` is among the text's words: most comments wake only a few rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from . import accepts, names
from .words import (
    AGENCIES,
    DAYS,
    EVENT_NOUNS,
    FLOORS,
    JOB_TITLES,
    MONTH_WORDS,
    MONTHS,
    PLACE_NOUNS,
    PLACE_WORDS,
    SHIFTS,
    alternatives,
    word_set,
    words_of,
)

DIGIT = "0-9"  # a cue: the text holds a digit
AT = "@"  # a cue: the text holds an @


class Kind(StrEnum):
    NAME = "name"
    ROLE = "role"
    TIME = "time"
    PLACE = "place"
    EVENT = "event"
    CONTACT = "contact"
    LIFE = "life"


Accept = Callable[[re.Match[str], str, names.Context], tuple[int, int] | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """A pattern, when to run it, and what to tell the writer when it matches."""

    name: str
    kind: Kind
    pattern: re.Pattern[str]
    reason: str
    suggestion: str
    cues: frozenset[str] | None = None  # words one of which the text needs; None: always run
    lowered: bool = True  # matched against the text with A-Z in lower case
    lead: frozenset[str] = frozenset()  # words just before a match that belong to it
    needs_lead: bool = False
    accept: Accept | None = None


def _rule(name: str, kind: Kind, pattern: str, reason: str, suggestion: str, **options) -> Rule:
    for option in ("cues", "lead"):
        if isinstance(options.get(option), str):
            options[option] = word_set(options[option])
    return Rule(name, kind, re.compile(pattern), reason, suggestion, **options)


CAP = names.CAPITALISED
TITLE = alternatives([t.lower() for t in JOB_TITLES], plural=True)
TITLE_CUES = words_of(JOB_TITLES, plural=True)
SOMEONES = r"(?:your|her|his|their|a|an|the|one\s+of\s+(?:your|her|his|their|the))"
MODIFIER = r"(?:(?:new|only|other|fellow|acting|relief|night|bank|temporary)\s+)?"
I_AM = r"i\s*(?:'m|’m|\s+am|\s+was|'ve\s+been|’ve\s+been|\s+have\s+been)"
HOURS = (r"(?:1[0-2]|0?[1-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
         r"|twelve)")  # fmt: skip
MONTH = alternatives(MONTH_WORDS)
WHEN = "Could you describe what happened without when?"
WHERE = "Could you describe what happened without where?"
WHO_YOU_ARE = "Could you describe what you saw without saying who you are to them?"
NO_NAME = "Could you describe what happened without naming anyone?"
TAKE_OUT = "Please take it out before you send: it leads straight to a person."
YOUR_OWN = "Could you describe what they did without details of your own life?"
NO_SHIFT = "Could you describe what happened without the shift?"
WHICH_EVENT = "Could you describe what they did without saying which event it was?"
A_PLACE = "This names a place, and only some people work there."
AN_EVENT = "This names a particular event, and only some people were there."
YOUR_LIFE = "This mentions something from your own life that others may know about."

RULES: tuple[Rule, ...] = (
    # Contact details ---------------------------------------------------------------------------
    _rule("email", Kind.CONTACT, r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b",
          "This is an email address.", TAKE_OUT, cues=AT),
    _rule("phone", Kind.CONTACT,
          r"(?:\+44\s?(?:\(0\)\s?)?|0)\d{2,4}(?:[\s-]?\d){6,8}\b|ext(?:ension|\.)?\s*\d{3,5}\b",
          "This is a phone number.", TAKE_OUT, cues=DIGIT),
    _rule("handle", Kind.CONTACT, r"@[a-z0-9_]{2,15}\b",
          "This looks like a social media name.", TAKE_OUT, cues=AT),
    # Roles and relationships -------------------------------------------------------------------
    _rule("as-role", Kind.ROLE, rf"(?:as|being|{I_AM})\s+{SOMEONES}\s+{MODIFIER}{TITLE}\b",
          "This says what your role is.", WHO_YOU_ARE, cues=TITLE_CUES),
    _rule("my-role", Kind.ROLE, rf"my\s+(?:role|job|post)\s+as\s+(?:(?:an?|the)\s+)?{TITLE}\b",
          "This says what your role is.", WHO_YOU_ARE, cues="role job post"),
    _rule("only-one", Kind.ROLE,
          rf"(?:as|being|{I_AM})\s+the\s+only\s+(?:[\w-]+\s+){{0,2}}?"
          r"(?:one|person|man|woman|male|female|member|worker|staff|student|volunteer"
          r"|\w+\s+speaker|\w+er)\b",
          "This says you are the only one of something, which may point straight to you.",
          "Could you leave out what makes you stand out?", cues="only"),
    _rule("my-manager", Kind.ROLE,
          r"(?:my|our)\s+(?:line\s+)?(?:manager|supervisor|boss|senior|team\s+leader|team\s+lead"
          r"|deputy|practice\s+(?:teacher|educator)|mentor|assessor|supervisee|manager's)s?\b",
          "This says how you work with them.", WHO_YOU_ARE,
          cues="manager managers manager's supervisor supervisors boss senior seniors leader lead "
               "deputy teacher educator mentor assessor supervisee supervisees"),
    _rule("i-manage", Kind.ROLE,
          r"i\s+(?:line[\s-]+)?(?:manage|managed|supervise|supervised|mentor|mentored|assess"
          r"|assessed|report\s+to|reported\s+to)\b"
          r"|(?:you|she|he|they)\s+(?:line[\s-]+)?(?:manages?|managed|supervises?|supervised"
          r"|mentors?|mentored)\s+me\b"
          r"|(?:managing|supervising|line[\s-]+managing)\s+(?:you|her|him|them|me)\b"
          r"|(?:managed|supervised)\s+by\s+(?:you|her|him|them)\b",
          "This says who manages whom.", WHO_YOU_ARE,
          cues="manage manages managed managing supervise supervises supervised supervising "
               "mentor mentors mentored assess assessed report reported"),
    _rule("my-team", Kind.ROLE,
          r"my\s+(?:own\s+)?(?:team|staff|unit|ward|department|workers|shift|supervisees"
          r"|organisation|organization|agency|service|employer)\b",
          "This says where you work or whom you work with.", WHO_YOU_ARE, cues="my"),
    _rule("supervision", Kind.ROLE,
          r"(?:my|our|your)\s+(?:supervision|supervisions|supervision\s+sessions?"
          r"|one[\s-]to[\s-]ones?|1:1s?|1-1s?|appraisals?|pdrs?)\b",
          "This says how you work with them.", WHO_YOU_ARE,
          cues="supervision supervisions one 1 appraisal appraisals pdr pdrs"),
    _rule("agency", Kind.ROLE,
          rf"(?:{I_AM}|as\s+someone|i\s+work|we\s+work|working|coming)\s+"
          rf"(?:for|from|in|at|with)\s+{alternatives(a.lower() for a in AGENCIES)}\b",
          "This says which organisation you work for.", WHO_YOU_ARE, cues=words_of(AGENCIES)),
    # Days, dates and times ---------------------------------------------------------------------
    _rule("day", Kind.TIME, rf"{alternatives(DAYS)}s?\b", "This names a day.", WHEN,
          cues=words_of(DAYS, plural=True), lead="last this next on every that one each"),
    _rule("date", Kind.TIME,
          rf"[0-9][0-9]?(?:(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}\b(?:,?\s+[0-9]{{4}}\b)?"
          r"|/[0-9][0-9]?(?:/[0-9]{2,4})?\b|[.-][0-9][0-9]?[.-](?:[0-9]{4}|[0-9]{2})\b)",
          "This names a date.", WHEN, cues=DIGIT, accept=accepts.accept_date),
    # Cued by a month's name (the pattern itself needs a digit): "March 3", "May 2024".
    _rule("month-date", Kind.TIME, r"[0-9]{1,4}(?:st|nd|rd|th)?\b", "This names a date.", WHEN,
          cues=words_of(MONTH_WORDS), lead=words_of(MONTH_WORDS), needs_lead=True),
    _rule("ordinal", Kind.TIME, r"[0-9][0-9]?(?:st|nd|rd|th)\b", "This names a date.", WHEN,
          cues=DIGIT, accept=accepts.accept_ordinal),
    _rule("month", Kind.TIME, alternatives(m.capitalize() for m in MONTHS) + r"\b",
          "This names a month.", WHEN, cues=words_of(MONTHS), lowered=False,
          lead=accepts.MONTH_LEADS | {"end", "start", "beginning"}, accept=accepts.accept_month),
    _rule("year", Kind.TIME, r"(?:19[5-9]\d|20[0-4]\d)\b", "This names a year.", WHEN,
          cues=DIGIT, needs_lead=True,
          lead="in since from during until till by back before after the"),
    _rule("recent", Kind.TIME,
          r"(?:yesterday|tonight)\b|(?:week|weekend|month|night|morning|afternoon|evening|spring"
          r"|summer|autumn|winter|day)\b", "This says when it happened.", WHEN,
          cues="yesterday tonight week weekend month night morning afternoon evening spring "
               "summer autumn winter day", accept=accepts.accept_recent),
    _rule("ago", Kind.TIME,
          r"(?:\d+|an?|one|two|three|four|five|six|a\s+few|a\s+couple\s+of|several)\s+"
          r"(?:days?|weeks?|months?|years?)\s+ago\b",
          "This says when it happened.", WHEN, cues="ago"),
    _rule("clock", Kind.TIME,
          r"[0-9][0-9]?(?:[:.][0-5][0-9](?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
          r"|\s*(?:am|pm|a\.m\.|p\.m\.)(?![a-z])|\s+o['’]clock\b)",
          "This names a time of day.", WHEN, cues=DIGIT, accept=accepts.accept_clock),
    _rule("clock-words", Kind.TIME,
          rf"(?:midnight|midday|noon|(?:half\s+past|quarter\s+(?:past|to))\s+{HOURS}"
          rf"|{HOURS}\s+o['’]clock)\b",
          "This names a time of day.", WHEN, cues="midnight midday noon half quarter clock"),
    _rule("shift", Kind.TIME, r"shifts?\b",
          "This names a shift, and only some people work it.", NO_SHIFT, cues="shift shifts",
          lead="the a an that on every long waking", accept=accepts.after_one_of(SHIFTS)),
    _rule("shift-words", Kind.TIME,
          r"(?:on\s+(?:nights|earlies|lates|backshift)|backshift|nightshift|sleepovers?"
          r"|sleep-ins?|waking\s+nights?)\b",
          "This names a shift, and only some people work it.", NO_SHIFT,
          cues="nights earlies lates backshift nightshift sleepover sleepovers sleep waking",
          lead="the a an that every"),
    _rule("holiday", Kind.TIME,
          r"(?:christmas|xmas|easter|hogmanay|new\s+year(?:['’]s)?(?:\s+day)?|burns\s+night|eid"
          r"|diwali|hanukkah|ramadan|halloween|bonfire\s+night|st\s+andrew['’]s\s+day"
          r"|boxing\s+day|the\s+(?:summer|easter|october|christmas|bank)\s+holidays?)\b",
          "This names a holiday or a time of year.", WHEN,
          cues="christmas xmas easter hogmanay new burns eid diwali hanukkah ramadan halloween "
               "bonfire andrew boxing holiday holidays",
          lead="over at during before after on around since until", accept=accepts.accept_new_year),
    # Places and events -------------------------------------------------------------------------
    _rule("numbered-place", Kind.PLACE, r"[0-9]{1,3}[A-Za-z]?\b|[B-HJ-Z]\b", A_PLACE, WHERE,
          cues=PLACE_WORDS, lowered=False, lead="the", accept=accepts.after_one_of(PLACE_WORDS)),
    _rule("floor", Kind.PLACE, r"floor\b", A_PLACE, WHERE, cues="floor", lead="the",
          accept=accepts.after_one_of(FLOORS)),
    _rule("named-place", Kind.PLACE, rf"{alternatives(PLACE_NOUNS)}\b", A_PLACE, WHERE,
          cues=words_of(PLACE_NOUNS), lowered=False, accept=accepts.accept_place),
    _rule("team-place", Kind.PLACE,
          r"(?:office|team|site|base|hub|unit|service|branch|depot|locality|patch|house|ward"
          r"|home)\b", A_PLACE, WHERE,
          cues="office team site base hub unit service branch depot locality patch house ward "
               "home", lead="the", needs_lead=True, accept=accepts.accept_place),
    _rule("town", Kind.PLACE,
          rf"(?:at|in|near|from|outside|round|around|At|In|Near|From|Outside|Round|Around)"
          rf"[ \t]+({CAP}(?:[ \t]+{CAP}){{0,2}})", A_PLACE, WHERE, lowered=False,
          accept=accepts.accept_town),
    _rule("named-event", Kind.EVENT, rf"{alternatives(EVENT_NOUNS)}\b", AN_EVENT, WHICH_EVENT,
          cues=words_of(EVENT_NOUNS), lowered=False, accept=accepts.accept_event),
    _rule("the-event", Kind.EVENT,
          r"(?:conference|awards?|festival|fair|party|ball|ceilidh|gala|event|forum|launch"
          r"|away\s+day|open\s+day|fun\s+day|celebration|night\s+out|dinner|walk|marathon)\b",
          AN_EVENT, WHICH_EVENT,
          cues="conference award awards festival fair party ball ceilidh gala event forum "
               "launch day celebration out dinner walk marathon",
          lead="the", needs_lead=True, accept=accepts.accept_event),
    _rule("particular-event", Kind.EVENT,
          r"the\s+(?:(?:christmas|xmas|summer|staff|team|leaving|retirement|charity"
          r"|fundraising|awards?)\s+(?:party|night\s+out|night|do|dinner|lunch|outing|trip"
          r"|ceilidh|ball|event|ceremony|evening|fundraiser|raffle|bake\s+sale|quiz)"
          r"|away\s+day|team\s+day|open\s+day|fun\s+day|sports\s+day|conference|ceilidh"
          r"|incident|fire|flood|complaint|investigation|tribunal|hearing|disciplinary"
          r"|evacuation|power\s+cut|accident)\b", AN_EVENT, WHICH_EVENT, cues="the"),
    # The writer's own life ---------------------------------------------------------------------
    _rule("family", Kind.LIFE,
          r"my\s+(?:mum|mam|mother|dad|father|husband|wife|partner|fianc[ée]e?|boyfriend"
          r"|girlfriend|son|daughter|kids|children|child|baby|bairns?|weans?|gran|granny|grandad"
          r"|grandpa|grandma|grandmother|grandfather|nan|nana|sister|brother|family|auntie|aunt"
          r"|uncle|cousin|wedding|pregnancy|diagnosis|operation|surgery|illness|cancer"
          r"|bereavement|divorce|health|mental\s+health|disability|condition|dyslexia|autism"
          r"|adhd|menopause|anxiety|depression|caring\s+responsibilities|first\s+language"
          r"|accent|religion|faith)\b", YOUR_LIFE, YOUR_OWN, cues="my"),
    _rule("leave", Kind.LIFE,
          r"(?:my|i\s+was\s+on|i\s+went\s+on|(?:came|come|coming)\s+back\s+from)\s+"
          r"(?:(?:maternity|paternity|adoption|sick|compassionate|bereavement|parental"
          r"|long[\s-]term\s+sick)\s+leave|phased\s+return|return\s+to\s+work|secondment)\b"
          r"|when\s+i\s+(?:was|were|had\s+been|got|became|went)\s+(?:off(?:\s+sick)?|ill|sick"
          r"|unwell|pregnant|in\s+hospital|bereaved|struggling|going\s+through|diagnosed"
          r"|on\s+leave)\b", YOUR_LIFE, YOUR_OWN,
          cues="leave return secondment off ill sick unwell pregnant hospital bereaved "
               "struggling going diagnosed"),
    _rule("started", Kind.LIFE,
          r"(?:when|since|after|before)\s+i\s+(?:first\s+)?(?:started|joined|arrived|began"
          r"|qualified|transferred|came\s+(?:here|to\s+the\s+team|into\s+the\s+team))\b"
          r"|my\s+(?:first\s+(?:day|week|month|shift|year)|induction|probation"
          r"|probationary\s+period|interview|shadow\s+shifts?)\b"
          r"|(?:as|being|i\s+was)\s+a\s+new\s+(?:starter|start|member\s+of\s+staff"
          r"|member|worker|recruit)\b",
          "This says when you joined, which few others share.",
          "Could you leave out when you started?",
          cues="started joined arrived began qualified transferred came first induction "
               "probation probationary interview shadow new"),
    # Names ---------------------------------------------------------------------------------------
    _rule("name", Kind.NAME, names.NAME_RUN.pattern, "This looks like a person's name.",
          NO_NAME, lowered=False, accept=names.accept_name),
    # Its pattern is made for each check from the names given that the text holds (check.py).
    _rule("given-name", Kind.NAME, r"[a-z]+", "This looks like a person's name.", NO_NAME,
          accept=names.accept_known_lower_case),
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
