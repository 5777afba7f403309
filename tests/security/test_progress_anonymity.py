"""SECURITY.md line 26: the worker's pages never tell who replied or declined in a group below 3.

The worker is the attacker. Each test builds rounds ("worlds") that are alike except for which
colleague acted, and whether they sent or declined, through the colleagues' own pages. Then it
takes everything the worker can see of each round (the round page, the dashboard, the invitations
list, the data download, and the pages after pressing "close" and "send a reminder") and
requires it to be the same in every world, after taking out what differs anyway: the round's id,
the worker's address, form tokens and the time of the next reminder.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from builders import login_as, make_user
from rater_steps import answer_every_page, instrument_for
from rater_steps import csrf_from as rater_csrf
from rater_steps import submit as submit_answers
from sqlalchemy import select
from worker_steps import csrf_from, invite, links_in, outbox, start_round

from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage, OutboxStatus
from feedback360.surveys.models import Invitation, Relationship, Round

PEER, REPORT, OTHER = Relationship.PEER, Relationship.DIRECT_REPORT, Relationship.OTHER
# Every group of one or two that the worker could watch, beside a group of three.
SMALL_GROUPS = [
    pytest.param(relationship, size, id=f"{size}-{relationship.value}")
    for relationship in (PEER, REPORT, OTHER)
    for size in (1, 2)
]


@dataclass
class World:
    """One worker's round and the colleagues they invited, in the order invited."""

    worker_email: str
    round_id: int
    client: object
    colleagues: dict[str, str]  # email -> the token in their invitation email

    def token(self, email: str) -> str:
        return self.colleagues[email]


def big_group_for(relationship: Relationship) -> Relationship:
    """The group of three that stands beside the small one."""
    return REPORT if relationship is PEER else PEER


def addresses(relationship: Relationship, size: int) -> list[str]:
    return [f"{relationship.value}{n}@example.org" for n in range(size)]


@pytest.fixture
def make_world(app):
    """Build worlds alike in every way the worker can see: same name, dates and colleagues."""
    made = iter(range(1, 100))
    opened = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    deadline = opened + dt.timedelta(days=20, hours=12)

    def build(groups: list[tuple[Relationship, list[str]]]) -> World:
        email = f"worker{next(made)}@example.org"
        user = make_user(app, email=email, name="Morag Campbell")
        client = app.test_client()
        login_as(client, user)
        start_round(client)
        with app.app_context():
            round_ = db.session.scalar(select(Round).where(Round.user_id == user.id))
            round_.opened_at, round_.deadline_at = opened, deadline
            db.session.commit()
            round_id = round_.id
        world = World(email, round_id, client, {})
        invite_more(app, world, groups)
        return world

    return build


def invite_more(app, world: World, groups: list[tuple[Relationship, list[str]]]) -> None:
    """The worker invites colleagues through their invitation page."""
    for relationship, emails in groups:
        for colleague in emails:
            response = invite(world.client, world.round_id, colleague, relationship.value)
            assert response.status_code == 302
    world.client.get(f"/rounds/{world.round_id}/invite")  # shows, and so clears, the last flash
    world.colleagues = tokens_sent(app, world.round_id)


def tokens_sent(app, round_id: int) -> dict[str, str]:
    """Each colleague's link token, from the first email of their invitation."""
    with app.app_context():
        ids = set(db.session.scalars(select(Invitation.id).where(Invitation.round_id == round_id)))
    tokens: dict[str, str] = {}
    for message in outbox(app):
        if message.invitation_id in ids and message.recipient not in tokens:
            tokens[message.recipient] = links_in(message.text_body)[0].rsplit("/", 1)[1]
    return tokens


def sends(app, world: World, email: str) -> None:
    """The colleague answers every page of their own link and sends."""
    rater = app.test_client()
    token = world.token(email)
    answer_every_page(rater, token, instrument_for(app, _round(app, world)))
    assert submit_answers(rater, token).status_code == 302


def declines(app, world: World, email: str) -> None:
    """The colleague opens their link and chooses not to take part."""
    rater = app.test_client()
    token = world.token(email)
    page = rater.get(f"/r/{token}/decline").get_data(as_text=True)
    response = rater.post(f"/r/{token}/decline", data={"csrf_token": rater_csrf(page)})
    assert response.status_code == 302


def _round(app, world: World) -> Round:
    with app.app_context():
        found = db.session.get(Round, world.round_id)
        db.session.expunge(found)
        return found


Act = Callable[[object, World, str], None]


def worker_sees(app, world: World) -> dict[str, str]:
    """Everything the worker can see of the round, made comparable between worlds.

    Pressing "close" (refused here) and then "send a reminder" come last: the reminder starts
    its interval, so the pages after it show when the next may go.
    """
    client, base = world.client, f"/rounds/{world.round_id}"
    seen = {
        "round page": client.get(base),
        "dashboard": client.get("/rounds/"),
        "invitations": client.get(f"{base}/invite"),
        "data download": client.get("/account/data/download"),
    }
    assert all(response.status_code == 200 for response in seen.values())
    texts = {name: response.get_data(as_text=True) for name, response in seen.items()}
    texts["data download"] = _rounds_in_export(texts["data download"])
    for button in ("close", "remind"):
        texts[f"after pressing {button}"] = press(world, button)
    # Real pages of this round, not a login page or an error alike in every world.
    assert "You have invited" in texts["round page"] and "Your rounds" in texts["dashboard"]
    assert all(email in texts["invitations"] for email in world.colleagues)
    return {name: _comparable(text, world) for name, text in texts.items()}


def press(world: World, button: str) -> str:
    """Press a button on the round page, as the browser would; the page that follows."""
    base = f"/rounds/{world.round_id}"
    token = csrf_from(world.client.get(base).get_data(as_text=True))
    pressed = world.client.post(
        f"{base}/{button}", data={"csrf_token": token}, follow_redirects=True
    )
    return pressed.get_data(as_text=True)


def _rounds_in_export(text: str) -> str:
    rounds = json.loads(text)["rounds"]
    for round_ in rounds:
        round_["id"] = None
    return json.dumps(rounds, sort_keys=True, indent=1)


def _comparable(text: str, world: World) -> str:
    text = text.replace(world.worker_email, "WORKER")
    text = re.sub(rf"(/rounds/|/reports/|round-){world.round_id}\b", r"\1ID", text)
    text = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1TOKEN", text)
    # "You can send another reminder after 14:05 on ...": the minute the test ran.
    return re.sub(r"\d\d:\d\d on \w+ \d+ \w+", "TIME", text)


def reminded(app, world: World) -> set[str]:
    """Who got a reminder (the worker never sees this; the test checks who was reminded)."""
    ids_by_email = {}
    with app.app_context():
        for invitation in db.session.scalars(
            select(Invitation).where(Invitation.round_id == world.round_id)
        ):
            ids_by_email[invitation.id] = invitation.email
    return {
        ids_by_email[m.invitation_id]
        for m in outbox(app)
        if m.invitation_id in ids_by_email and m.subject.startswith("Reminder: ")
    }


def assert_all_alike(seen: dict[str, dict[str, str]]) -> None:
    """Every world shows the worker exactly the same, page by page."""
    (first_name, first), *others = seen.items()
    for name, pages in others:
        for page, text in pages.items():
            assert text == first[page], f"{page}: {name!r} differs from {first_name!r}"


@pytest.mark.parametrize(("relationship", "size"), SMALL_GROUPS)
def test_below_three_answers_no_send_or_decline_shows(app, make_world, relationship, size):
    """The only (or one of two) in a group sends or declines: the worker sees no change at all."""
    small, big = addresses(relationship, size), addresses(big_group_for(relationship), 3)
    groups = [(relationship, small), (big_group_for(relationship), big)]
    worlds: dict[str, list[tuple[Act, str]]] = {
        "nobody has acted": [],
        f"the first {relationship.value} sends": [(sends, small[0])],
        "one of the three sends": [(sends, big[0])],
        f"the first {relationship.value} declines": [(declines, small[0])],
        "one of the three declines": [(declines, big[0])],
        "two send and one declines": [(sends, small[-1]), (sends, big[1]), (declines, big[2])],
    }
    if size == 2:
        worlds["both of the two act, one sending"] = [(sends, small[0]), (declines, small[1])]
    seen = {}
    for name, acts in worlds.items():
        world = make_world(groups)
        for act, email in acts:
            act(app, world, email)
        seen[name] = worker_sees(app, world)
        acted = {email for _, email in acts}
        assert reminded(app, world) == set(small + big) - acted, name
    assert_all_alike(seen)
    assert "Fewer than 3 have answered so far." in seen["nobody has acted"]["round page"]


@pytest.mark.parametrize(("relationship", "size"), SMALL_GROUPS)
def test_a_reminder_reads_the_same_whoever_is_still_waiting(app, make_world, relationship, size):
    """Only one or two invited: the reminder's page never says how many, or that nobody, waits."""
    small = addresses(relationship, size)
    worlds: dict[str, list[tuple[Act, str]]] = {
        "nobody has acted": [],
        "one sends": [(sends, small[0])],
        "one declines": [(declines, small[0])],
    }
    if size == 2:
        worlds["one sends and the other declines"] = [(sends, small[0]), (declines, small[1])]
        worlds["both send"] = [(sends, small[0]), (sends, small[1])]
    seen = {}
    for name, acts in worlds.items():
        world = make_world([(relationship, small)])
        for act, email in acts:
            act(app, world, email)
        seen[name] = worker_sees(app, world)
        # A reminder still goes only to those who have neither sent nor declined.
        assert reminded(app, world) == set(small) - {email for _, email in acts}, name
    assert_all_alike(seen)
    assert "We will remind everyone" in seen["nobody has acted"]["after pressing remind"]


def test_a_failed_reminder_never_shows_against_anyone(app, make_world):
    """A reminder goes only to those still waiting, so its failure would say who they are."""
    only = addresses(REPORT, 1)
    seen = {}
    for name, acts in {"they have not answered": [], "they sent": [(sends, only[0])]}.items():
        world = make_world([(REPORT, only)])
        for act, email in acts:
            act(app, world, email)
        press(world, "remind")
        failed = fail_reminders(app, world)
        assert failed == (0 if acts else 1), name
        seen[name] = worker_sees(app, world)
    assert_all_alike(seen)
    assert "Could not be delivered" not in seen["they have not answered"]["invitations"]


def fail_reminders(app, world: World) -> int:
    """The mail server refuses every reminder of this round for good."""
    with app.app_context():
        ids = select(Invitation.id).where(Invitation.round_id == world.round_id)
        messages = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.invitation_id.in_(ids), OutboxMessage.subject.startswith("Reminder:")
            )
        ).all()
        for message in messages:
            message.status = OutboxStatus.FAILED
        db.session.commit()
        return len(messages)


@pytest.mark.parametrize(("relationship", "size"), SMALL_GROUPS)
def test_the_third_answer_looks_the_same_whoever_sent_it(app, make_world, relationship, size):
    """Once the count shows, a send by the only X and a send by one of three look the same."""
    small, big = addresses(relationship, size), addresses(big_group_for(relationship), 3)
    groups = [(relationship, small), (big_group_for(relationship), big)]
    two_first = [(sends, big[0]), (sends, big[1])]
    worlds: dict[str, list[tuple[Act, str]]] = {
        "the third of three sends": [*two_first, (sends, big[2])],
        f"the first {relationship.value} sends": [*two_first, (sends, small[0])],
        f"the first {relationship.value} sends, the third declines": [
            *two_first,
            (sends, small[0]),
            (declines, big[2]),
        ],
        f"the third sends, the last {relationship.value} declines": [
            *two_first,
            (sends, big[2]),
            (declines, small[-1]),
        ],
    }
    seen = {}
    for name, acts in worlds.items():
        world = make_world(groups)
        for act, email in acts[:2]:
            act(app, world, email)
        before = world.client.get(f"/rounds/{world.round_id}").get_data(as_text=True)
        for act, email in acts[2:]:
            act(app, world, email)
        seen[name] = worker_sees(app, world)
        # A control: the pages do change when the count first shows.
        assert "Fewer than 3 have answered so far." in before
        assert "3 have answered so far." in seen[name]["round page"]
    assert_all_alike(seen)


@pytest.mark.parametrize("size", [1, 2])
def test_inviting_more_colleagues_later_does_not_uncover_the_first_ones(app, make_world, size):
    """Invite the one person you manage, wait, then invite three more: nothing says if they sent."""
    first, later = addresses(REPORT, size), addresses(PEER, 3)
    seen = {}
    worlds = {"nobody sent": [], "the first ones sent": [(sends, e) for e in first]}
    for name, acts in worlds.items():
        world = make_world([(REPORT, first)])
        for act, email in acts:
            act(app, world, email)
        invite_more(app, world, [(PEER, later)])
        seen[name] = worker_sees(app, world)
    assert "You have invited" in seen["nobody sent"]["round page"]
    assert_all_alike(seen)


def test_a_closing_minimum_below_three_does_not_let_the_close_button_tell(app, make_world):
    """With MIN_RATERS_TO_CLOSE at 2, the two people someone manages both send: nothing shows."""
    app.config["MIN_RATERS_TO_CLOSE"] = 2
    two = addresses(REPORT, 2)
    seen = {}
    worlds = {"nobody sent": [], "both sent": [(sends, e) for e in two]}
    for name, acts in worlds.items():
        world = make_world([(REPORT, two)])
        for act, email in acts:
            act(app, world, email)
        seen[name] = worker_sees(app, world)
        assert _round(app, world).is_open, name
    assert_all_alike(seen)
