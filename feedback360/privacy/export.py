"""Data protection: a worker's own data as JSON, everything stored about them.

What the export holds and leaves out, and why, is written up for people in docs/privacy.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from ..auth.models import User
from ..columns import utcnow
from ..evidence.content import saved_evidence
from ..evidence.formats import for_export
from ..extensions import db
from ..instruments.model import Instrument
from ..instruments.snapshots import instrument_from_dict
from ..mail.models import OutboxMessage
from ..reports.models import Reflection, RoundReport, ShareLink
from ..surveys.models import AnswerSet, Invitation, Relationship, Round
from ..surveys.progress import ANSWERS_SHOWN_FROM, invited_by_group, shown_answers
from .export_comparisons import comparisons_of

# 2: invitations give counts invited per group and answers in all, no longer replies per group.
EXPORT_FORMAT = 2
ANSWERED_MEANING = (
    "Colleagues who have sent their answers; declines are not counted. While the round is open"
    f" this is null until {ANSWERS_SHOWN_FROM} have answered, as on the round page: a smaller"
    " number could show who had answered."
)


def export_user_data(user: User, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything stored about this worker, as plain JSON values.

    Colleagues' individual answer sets are left out on purpose: they are anonymous, belong to
    the colleagues, and the worker sees them only through the report's anonymity rules.
    """
    rounds = db.session.scalars(select(Round).where(Round.user_id == user.id).order_by(Round.id))
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _iso(now or utcnow()),
        "account": {
            "name": user.name,
            "email": user.email,
            "created_at": _iso(user.created_at),
            "email_confirmed_at": _iso(user.confirmed_at),
        },
        "rounds": [_round_data(round_) for round_ in rounds],
        "emails_to_you": _emails_to(user),
        "round_comparisons": comparisons_of(user),
    }


def _iso(moment: dt.datetime | dt.date | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _round_data(round_: Round) -> dict[str, Any]:
    instrument = instrument_from_dict(round_.instrument_snapshot)
    return {
        "id": round_.id,
        "instrument": {
            "key": round_.instrument_key,
            "version": round_.instrument_version,
            "title": instrument.title,
        },
        "status": round_.status.value,
        "opened_at": _iso(round_.opened_at),
        "deadline_at": _iso(round_.deadline_at),
        "closed_at": _iso(round_.closed_at),
        "self_assessment": _self_assessment(round_, instrument),
        "invitations": _invitations(round_),
        "reflection": _reflection(round_.id),
        "badge_evidence": _badge_evidence(round_.id),
        "share_links": _share_links(round_.id),
        "report": _report(round_.id),
    }


def _self_assessment(round_: Round, instrument: Instrument) -> dict[str, Any] | None:
    """The worker's own answers with the statements they answered; None once purged or unstarted."""
    answer_set = db.session.scalar(
        select(AnswerSet).where(
            AnswerSet.round_id == round_.id, AnswerSet.relationship == Relationship.SELF
        )
    )
    if answer_set is None:
        return None
    scores = {a.item_key: a.score for a in answer_set.answers}
    comments = {c.question_key: c.text for c in answer_set.comments}
    prompts = {c.key: c.comment_prompt for c in instrument.capabilities}
    prompts |= {q.key: q.self_text for q in instrument.questions}
    return {
        "answers": [
            {"item": item.key, "statement": item.self_text, "score": scores[item.key]}
            for item in instrument.items
            if item.key in scores
        ],
        "comments": [
            {"question": key, "prompt": prompts.get(key, key), "text": text}
            for key, text in comments.items()
        ],
        "score_meaning": "1 (almost never) to 5 (almost always); null is not observed",
    }


def _invitations(round_: Round) -> dict[str, Any]:
    """What the round page says of colleagues, and the people the worker typed in while open.

    Never whether a particular person answered, nor replies per group: the pages never say so.
    """
    people = db.session.scalars(
        select(Invitation)
        .where(Invitation.round_id == round_.id, Invitation.email.is_not(None))
        .order_by(Invitation.id)
    )
    return {
        "invited_by_relationship": {
            g.relationship.label: g.invited for g in invited_by_group(round_)
        },
        "colleagues_answered": shown_answers(round_),
        "colleagues_answered_meaning": ANSWERED_MEANING,
        "people": [
            {"name": p.name, "email": p.email, "relationship": p.relationship.label} for p in people
        ],
    }


def _reflection(round_id: int) -> dict[str, Any] | None:
    reflection = db.session.get(Reflection, round_id)
    if reflection is None:
        return None
    return {
        "strengths": reflection.strengths,
        "development_areas": reflection.development_areas,
        "statement": reflection.statement,
        "include_in_pdf": reflection.include_in_pdf,
        "updated_at": _iso(reflection.updated_at),
        "development_priorities": [
            {
                "what": p.what,
                "how": p.how,
                "support": p.support,
                "by_when": p.by_when,
                "how_i_will_know": p.measure,
            }
            for p in reflection.priorities
        ],
    }


def _badge_evidence(round_id: int) -> dict[str, Any] | None:
    """The evidence as the worker downloads it: their words only, as text and Open Badges JSON."""
    saved = saved_evidence(round_id)
    return for_export(None if saved is None else saved[1])


def _share_links(round_id: int) -> list[dict[str, str | None]]:
    """When each link was made and until when it works; never the link itself (only a hash)."""
    links = db.session.scalars(
        select(ShareLink).where(ShareLink.round_id == round_id).order_by(ShareLink.id)
    )
    return [
        {
            "created_at": _iso(link.created_at),
            "expires_at": _iso(link.expires_at),
            "withdrawn_at": _iso(link.revoked_at),
        }
        for link in links
    ]


def _report(round_id: int) -> dict[str, Any] | None:
    kept = db.session.get(RoundReport, round_id)
    return None if kept is None else kept.data


def _emails_to(user: User) -> list[dict[str, Any]]:
    """Emails to the worker's own address still on record (their bodies are never included)."""
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.user_id == user.id).order_by(OutboxMessage.id)
    )
    return [
        {"subject": row.subject, "status": row.status.value, "queued_at": _iso(row.created_at)}
        for row in rows
    ]
