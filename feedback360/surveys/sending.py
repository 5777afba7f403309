"""A colleague's send or decline: the link is used once, and the draft stored or dropped.

This is the busiest write in the app: many colleagues press Send in the last hour before a
deadline. So it runs as Core statements built once at import, on the session's own connection,
and holds SQLite's write lock only for its writes (issue 7: an ORM query costs about five times
as much as a prepared statement). The view owns the transaction: nothing here commits.

Nothing here writes a time, an address or the invitation's id next to an answer set
(DESIGN.md section 4).
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy import Insert, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..columns import random_id, utcnow, utctoday
from ..extensions import db
from ..instruments.model import Instrument
from .models import (
    Answer,
    AnswerSet,
    Comment,
    Invitation,
    InvitationStatus,
    InvitationUse,
    RaterDraft,
    Round,
    RoundStatus,
)
from .rater_drafts import Draft, draft_from, question_keys, refuse_incomplete
from .rater_links import AlreadySubmitted, Link, UnknownLink, refuse_closed, refuse_used

_INVITATION = Invitation.__table__
_ROUND = Round.__table__
_DRAFT = RaterDraft.__table__

# The invitation moves from pending only while its round takes answers, and only one statement
# can move it. The round is locked shared by the same statement, so a close (which updates the
# round first) waits for a send in flight, and a send that waited for a close finds the round
# closed. SQLite leaves out FOR SHARE; its BEGIN IMMEDIATE runs writers one at a time.
_ROUND_TAKES_ANSWERS = (
    select(_ROUND.c.id)
    .where(
        _ROUND.c.id == _INVITATION.c.round_id,
        _ROUND.c.status == RoundStatus.OPEN,
        _ROUND.c.deadline_at > bindparam("now"),
    )
    .with_for_update(read=True)
    .exists()
)
# "outcome", as "status" is the column.
MARK_USED = (
    update(_INVITATION)
    .where(
        _INVITATION.c.id == bindparam("invitation_id"),
        _INVITATION.c.status == InvitationStatus.PENDING,
        _ROUND_TAKES_ANSWERS,
    )
    .values(status=bindparam("outcome"))
)
STATE_NOW = (
    select(_INVITATION.c.status, _ROUND.c.status, _ROUND.c.deadline_at)
    .join_from(_INVITATION, _ROUND)
    .where(_INVITATION.c.id == bindparam("invitation_id"))
)
RECORD_USE = insert(InvitationUse.__table__)
# Read and deleted in one statement: the draft never outlives the send that stored it.
TAKE_DRAFT = (
    delete(_DRAFT)
    .where(_DRAFT.c.invitation_id == bindparam("invitation_id"))
    .returning(_DRAFT.c.data)
)
DISCARD_DRAFT = delete(_DRAFT).where(_DRAFT.c.invitation_id == bindparam("invitation_id"))
INSERT_ANSWER_SET = insert(AnswerSet.__table__)
_ANSWER = Answer.__table__
_COMMENT = Comment.__table__


def _from_arrays(table: Table) -> Insert:
    """INSERT ... SELECT FROM unnest(one array per column): many rows, one short statement."""
    arrays = [bindparam(column.name, type_=postgresql.ARRAY(column.type)) for column in table.c]
    given = func.unnest(*arrays).table_valued(*table.c.keys()).render_derived(name="given")
    return insert(table).from_select(table.c.keys(), select(*given.c))


# On PostgreSQL, 31 answers pipelined by executemany took 0.8 to 1.0 ms against 0.5 ms for one
# statement of arrays; a long multi-row VALUES is neither cached nor prepared (issue 7).
FROM_ARRAYS = {table: _from_arrays(table) for table in (_ANSWER, _COMMENT)}
PLAIN_INSERTS = {table: insert(table) for table in (_ANSWER, _COMMENT)}


def send(link: Link, instrument: Instrument) -> str:
    """Use the link and store its draft as an anonymous answer set; the answer set's id."""
    connection = db.session.connection()
    claim(connection, link, InvitationStatus.SUBMITTED)
    draft = draft_from(
        connection.execute(TAKE_DRAFT, {"invitation_id": link.invitation_id}).scalar()
    )
    refuse_incomplete(instrument, draft)  # the view rolls back, and the draft is there again
    answer_set_id = random_id()
    # The relationship comes from the invitation, never from anything the rater sent.
    connection.execute(
        INSERT_ANSWER_SET,
        {
            "id": answer_set_id,
            "round_id": link.round_id,
            "relationship": link.relationship,
            "submitted_on": utctoday(),
        },
    )
    insert_many(
        connection,
        _ANSWER,
        [
            {"answer_set_id": answer_set_id, "item_key": item.key, "score": draft.scores[item.key]}
            for item in instrument.items
        ],
    )
    store_comments(connection, answer_set_id, instrument, draft)
    return answer_set_id


def store_comments(
    connection: Connection, answer_set_id: str, instrument: Instrument, draft: Draft
) -> None:
    """The draft's comments on what this instrument asks; nothing else that was posted."""
    asked = question_keys(instrument)
    comments = [
        {"answer_set_id": answer_set_id, "question_key": key, "text": text}
        for key, text in draft.comments.items()
        if key in asked
    ]
    insert_many(connection, _COMMENT, comments)


def insert_many(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows that each give every column of the table; one statement on PostgreSQL."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        arrays = {column.name: [row[column.name] for row in rows] for column in table.c}
        connection.execute(FROM_ARRAYS[table], arrays)
    else:  # SQLite runs in this process, where executemany's loop costs next to nothing
        connection.execute(PLAIN_INSERTS[table], rows)


def decline(link: Link) -> None:
    """Mark the invitation as answered by a polite no; nothing else is kept."""
    connection = db.session.connection()
    claim(connection, link, InvitationStatus.DECLINED)
    discard_draft(connection, link)


def claim(connection: Connection, link: Link, outcome: InvitationStatus) -> None:
    """Single use, decided twice by the database: a conditional update, then the use's key.

    Nothing read before the write is trusted: the update checks the invitation and the round
    again as it marks the invitation.
    """
    marked = connection.execute(
        MARK_USED, {"invitation_id": link.invitation_id, "outcome": outcome, "now": utcnow()}
    )
    if marked.rowcount != 1:
        refuse_as_things_are(connection, link)
    try:
        connection.execute(RECORD_USE, {"invitation_id": link.invitation_id})
    except IntegrityError:
        # Only if the update above ever lost its condition: the key refuses the second use. The
        # view's handler for link problems rolls the whole transaction back.
        raise AlreadySubmitted() from None


def refuse_as_things_are(connection: Connection, link: Link) -> NoReturn:
    """Why the update marked nothing, read again now: used, closed, or gone."""
    state = connection.execute(STATE_NOW, {"invitation_id": link.invitation_id}).first()
    if state is None:
        raise UnknownLink()  # the worker deleted their account since the link was read
    status, round_status, deadline_at = state
    refuse_used(status)
    refuse_closed(round_status, deadline_at)
    raise AlreadySubmitted()  # changed and changed back since; the safe answer is "used"


def discard_draft(connection: Connection, link: Link) -> None:
    connection.execute(DISCARD_DRAFT, {"invitation_id": link.invitation_id})
