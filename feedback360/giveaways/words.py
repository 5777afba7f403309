"""Word lists the rules read: first names, job titles, and capitalised words that name no one.

Lists, not patterns: rules.py turns them into patterns (with `alternatives`) and cues (with
`words_of`), and the name rules look words up here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternatives(phrases: Iterable[str], plural: bool = False) -> str:
    """A group matching any of the phrases, longest first, any run of spaces between words."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered)
    return f"(?:{body})" + ("s?" if plural else "")


def words_of(*phrases: Iterable[str], plural: bool = False) -> frozenset[str]:
    """The lower-case words in the phrases (and their plurals): a rule's cues."""
    found = {w for group in phrases for p in group for w in re.findall(r"[a-z0-9]+", p.lower())}
    return frozenset(found | {f"{w}s" for w in found} if plural else found)


def word_set(text: str) -> frozenset[str]:
    """The words of a list written out as text, one or more to a line."""
    return frozenset(text.split())


# Common first names in Scotland's workforce and the people it supports. A capitalised word
# here counts as a name even at the start of a sentence, where capitals say nothing.
FIRST_NAMES = word_set(
    """
    Aaron Abdul Abigail Adam Adrian Agnes Ahmed Aileen Ailsa Aimee Aisha Alan Alasdair Alastair
    Alex Alexander Alexandra Ali Alice Alison Alistair Allan Amanda Amy Andrew Andy Angela Angus
    Ann Anna Anne Annie Anthony Archie Arran Ashley Aurora Barbara Barry Beth Bethany Bill Blair
    Brenda Brian Bruce Caitlin Calum Callum Cameron Carla Carol Caroline Carrie Catherine Catriona
    Charlie Charlotte Chloe Chris Christina Christine Christopher Claire Clare Colin Connor Craig
    Dan Daniel Danielle Darren David Dawn Debbie Deborah Denise Derek Diane Donald Donna Dougie
    Douglas Duncan Eilidh Eileen Elaine Eleanor Elizabeth Ella Ellie Emily Emma Eric Erin Euan
    Ewan Fatima Finlay Fiona Florence Frances Fraser Gail Gareth Gary Gavin Gemma George Gillian
    Gordon Graeme Graham Grant Hamish Hannah Harry Hayley Hazel Heather Helen Hugh Iain Ian Imran
    Innes Iona Irene Isla Isobel Jack Jackie Jacqueline Jade James Jamie Jane Janet Janice Jason
    Jean Jen Jenna Jennifer Jenny Jessica Jill Jim Jo Joan Joanne John Jonathan Joseph Josh Joyce
    Judith Julie Karen Kate Katie Katrina Kayleigh Keith Kelly Kenneth Kenny Kerry Kevin Kieran
    Kim Kirsteen Kirsten Kirsty Kyle Laura Lauren Leah Lee Lesley Leslie Lewis Linda Lindsay
    Lisa Liz Lorna Lorraine Louise Lucy Lynn Lynne Magda Maggie Mairi Malcolm Marc Margaret Maria
    Marie Marion Marjorie Martin Mary Matthew Megan Mhairi Michael Michelle Mike Mohammed Moira
    Morag Muhammad Murdo Murray Nadia Natalie Neil Nicola Niamh Nicole Norma Oliver Olivia Pamela
    Patricia Paul Pauline Peter Phil Philip Rachel Rebecca Rhona Richard Rob Robbie Robert Roddy
    Ronald Rory Ross Ruth Ryan Sadia Sally Sam Samantha Sandra Sarah Scott Sean Shauna Sharon
    Sheena Sheila Shona Siobhan Sophie Stephen Steven Stewart Stuart Susan Suzanne Tariq Tom
    Thomas Tony Tracey Tracy Valerie Vicky Victoria Wendy William Yvonne Zara Zoe
    """
)

# Names that are also ordinary words ("Will you...", "Grace under pressure", "Mark my words"):
# counted as names in the middle of a sentence only, where their capital gives them away.
AMBIGUOUS_NAMES = word_set(
    """
    Amber April August Autumn Bill Bob Carol Chase Dawn Don Drew Eve Faith Frank Glen Grace
    Guy Hope Iris Ivy Jack Jay Joy June Mark May Pat Ray Rich Robin Rose Sandy Skye Sue Summer
    Will
    """
)

# Words that can start a sentence or a title: never a name, and never part of a place's name.
FUNCTION_WORDS = word_set(
    """
    A About After Again All Also Always An And Any Are As At Be Because Been Before Being Best
    Both But By Can Could Did Do Does Doing Done Each Even Ever Every For From Further Good Great
    Had Has Have Having He Her Here Hers Him His How However I I'd I'll I'm I've If In Is It Its
    Just Keep Keeps Kind Lots Many Maybe Me More Most Much My Never No Not Nothing Now Of Often
    On Once One Only Or Other Our Out Over Overall Perhaps Please Really Since So Some Sometimes
    Still Such Thank Thanks That The Their Them Then There These They This Those Through To Too
    Truly Under Until Very Was We Well Were What When Where Which While Who Why With Would Yes
    Yet You Your Yours
    """
)

# Capitalised words that name no one: function words (for Title Case Writing), the
# capabilities, and common organisations, tools and nationalities in a care worker's comment.
NOT_NAMES = FUNCTION_WORDS | word_set(
    """
    Vision Self Leadership Motivating Inspiring Empowering Collaborating Influencing Creativity
    Innovation Things Thing Capability Capabilities Frontline Manager Managers Leader Leaders
    Team Teams Staff Service Services Care Carer Carers Social Work Worker Workers Health
    Council Inspectorate Partnership Board Government Trust Agency Agencies Scottish Scotland
    Britain British English England Gaelic Welsh Irish Polish Scots UK Europe European
    Zoom Excel Word Outlook Microsoft Google Facebook WhatsApp Instagram Twitter LinkedIn TikTok
    Internet Covid Coronavirus
    Christmas Easter Hogmanay God Ok Okay Home Homes Centre Unit Ward Office Hospital School
    College University Day Days Room Rooms Flat Bay Wing Block Bed Floor Lounge Corridor Suite
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mondays Tuesdays Wednesdays
    Thursdays Fridays Saturdays Sundays January February March April May June July August
    September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon
    Tue Tues Wed Weds Thu Thur Thurs Fri Sat Sun
    """
)

# Endings that mark an abstract noun ("Communication, Patience, Teamwork"), not a name.
NOUN_ENDINGS = (
    "tion", "sion", "ness", "ment", "ity", "ship", "ism", "ful", "ive", "ous", "ics", "ing",
    "ance", "ence", "ogy", "work",
)  # fmt: skip

# Job titles and roles, as a colleague might describe themselves. Plurals are added by rules.py.
JOB_TITLES = (
    "line manager", "deputy manager", "registered manager", "service manager", "team manager",
    "area manager", "unit manager", "night manager", "care manager", "manager", "deputy",
    "team leader", "team lead", "senior social worker", "senior support worker",
    "senior care worker", "senior carer", "senior practitioner", "senior", "supervisor",
    "practice teacher", "practice educator", "mentor", "assessor", "student social worker",
    "student nurse", "student", "newly qualified social worker", "social worker",
    "family support worker", "support worker", "care worker", "care assistant",
    "healthcare assistant", "home carer", "carer", "charge nurse", "district nurse",
    "community nurse", "nurse", "occupational therapist", "physiotherapist", "physio",
    "psychologist", "mental health officer", "key worker", "keyworker", "link worker",
    "outreach worker", "development worker", "personal assistant", "administrator", "admin",
    "receptionist", "cook", "chef", "domestic", "housekeeper", "handyman", "driver",
    "activities coordinator", "coordinator", "co-ordinator", "volunteer",
    "modern apprentice", "apprentice", "trainee", "bank worker", "bank staff", "agency worker",
    "agency staff", "night worker", "night staff", "head of service", "housing officer",
    "police officer", "teacher", "head teacher", "pupil support assistant",
    "classroom assistant", "OT", "GP", "CPN", "MHO", "NQSW",
)  # fmt: skip

# Organisations a partner-agency colleague might say they come from.
AGENCIES = (
    "NHS", "the NHS", "health", "the health board", "the council", "council", "the local authority",
    "police", "the police", "housing", "district nursing", "the GP practice", "the surgery",
    "the school", "the nursery", "the hospital", "CAMHS", "the third sector", "the charity",
    "an agency", "the agency", "social work", "education",
)  # fmt: skip

# The last word of a capitalised place name: "Rowan House", "Ninewells Hospital".
PLACE_NOUNS = (
    "House", "Court", "Lodge", "Centre", "Center", "Ward", "Road", "Street", "Avenue", "Drive",
    "Crescent", "Hospital", "Unit", "Office", "Park", "Gardens", "Place", "View", "Hall",
    "School", "Academy", "College", "University", "Surgery", "Clinic", "Hub", "Base",
    "Project", "Home", "Library", "Church", "Station", "Campus", "Building", "Tower", "Villa",
    "Grange", "Manor", "Cottage", "Cottages", "Mews", "Square", "Terrace", "Wynd", "Brae",
    "Close", "Estate", "Practice",
)  # fmt: skip

# Capitalised words that start a place or event name but name nothing particular on their own.
GENERIC_CAPITALS = word_set(
    """
    The A Care Nursing Day Resource Health Family Community Social Work Residential Respite
    Children's Childrens Adult Adults Learning Disability Mental Older People Support Staff Team
    Local National Scottish Annual Main New Old Our My Your Their Training Carers
    """
)

# Names that are everyday words in lower case ("she will", "a good fit", "the hall"): a name
# given for the round counts in lower case only when it is not one of these.
EVERYDAY_WORDS = word_set(
    """
    amber april art august autumn baker banks bell best bird bishop black bond brook brooks
    brown bush butler carol carter case chance chase church cook cross day dawn don drew dyer
    east eve fair faith field fields fisher ford fox frank frost gardener glen gold good grace
    gray green grey guy hall hart hay heather hill hills holly hope house hunt hunter iris ivy
    jack jay joy june king knight lamb lane law link little long lord love major mark marsh mason
    may miller moss noble north page park parks pat porter price rain ray reed rich robin rose
    ruby rush sandy sharp shepherd short silver small snow south spring stone storm strong sue
    summer swift taylor turner walker wall west white will winter wise wood woods young
    """
)

# Days, months and the words that make a shift, a numbered place or a floor.
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = word_set("january february march april may june july august september october "
                  "november december")  # fmt: skip
MONTH_WORDS = [*MONTHS, "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
               "nov", "dec"]  # fmt: skip
SHIFTS = word_set("night early late back day weekend twilight evening morning sleepover")
PLACE_WORDS = word_set("ward room unit flat bay wing block bed house cottage bungalow suite "
                       "corridor lounge")  # fmt: skip
FLOORS = word_set("ground first second third top upper lower 1st 2nd 3rd")
EVENT_NOUNS = word_set("Awards Award Accolades Conference Summit Festival Fair Party Ball Ceilidh "
                       "Gala Ceremony Day Week Night Event Forum Launch Marathon Walk Showcase "
                       "Roadshow Celebration Dinner Games")  # fmt: skip
