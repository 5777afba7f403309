"""Builders for the evidence tests: a reflection of the worker's own words, saved as typed."""

from __future__ import annotations

from feedback360.extensions import db
from feedback360.reports.models import DevelopmentPriority, Reflection

# About 210 words, no digits and no one named: what a worker might write for Thing 11.
STATEMENT = " ".join(
    [
        "Asking people who know my work to rate my leadership felt daunting at first.",
        "I chose a quiet week and told the team why I was asking.",
        "Reading the report, I saw that people value how I listen and how calm I stay",
        "when the day goes wrong, and that matched what I had hoped.",
        "What surprised me was how differently I rated myself on sharing a vision:",
        "I thought I explained where the service is going, but colleagues see it less often.",
        "I think I keep the bigger picture in my head and forget to say it out loud.",
        "My strengths sit in self-leadership and in collaborating with families and other",
        "agencies. My areas for development are vision and empowering others, because I",
        "still do jobs myself that others could learn to lead.",
        "I shared the report with my manager in supervision and we agreed a plan.",
        "Over the next months I will talk about our aims at every team meeting, hand over",
        "two routines that I always lead, and ask for feedback after each change.",
        "I want the children and families we support to feel the difference when the whole",
        "team leads, not just me. I will look back on this plan in supervision and again",
        "when I repeat this feedback next year, to see what has moved and what has not.",
    ]
)
STRENGTHS = "I listen, I stay calm under pressure and I work well with other agencies."
AREAS = "Sharing where the service is going, and letting others lead routines."


def save_reflection(app, round_id: int, statement: str = STATEMENT, **parts: str) -> str:
    """Save a reflection straight into the tables and return its evidence id."""
    with app.app_context():
        reflection = Reflection(
            round_id=round_id,
            statement=statement,
            strengths=parts.get("strengths", STRENGTHS),
            development_areas=parts.get("development_areas", AREAS),
        )
        if parts.get("what", "Talk about our aims"):
            reflection.priorities.append(
                DevelopmentPriority(
                    position=1,
                    what=parts.get("what", "Talk about our aims"),
                    how="At every team meeting",
                    support="Time in supervision",
                    by_when="",
                    measure="Colleagues can say where we are going",
                )
            )
        db.session.add(reflection)
        db.session.commit()
        return reflection.evidence_id
