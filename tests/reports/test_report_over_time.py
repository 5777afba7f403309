"""Issue 19: two reports of one worker side by side must not single a colleague out.

The attack the issue reproduced: three peers answer alike in two rounds, a fourth only in
the first. The first report shows "all colleagues" (the four), the second the peers (the
three); the first's sums minus the second's are the fourth peer's totals.
"""

from __future__ import annotations

import threading

from builders import make_round, make_user
from builders_report import (
    add_answer_set,
    close_and_freeze,
    raters,
    report_of,
    small_instrument,
)

from feedback360.reports import over_time
from feedback360.reports.report import Report

INSTRUMENT = small_instrument((1, 3))
STEADY = {"c1i1": 4, "c2i1": 3, "c2i2": 4, "c2i3": 2}
FOURTH = {"c1i1": 1, "c2i1": 5, "c2i2": 2, "c2i3": 5}


def sums(report: Report) -> dict[tuple[str, str], int]:
    """(capability or item, group) -> the exact sum a published mean states."""
    found = {}
    for capability in report.capabilities:
        for score in capability.scores:
            found[(capability.key, score.group)] = round(score.mean * score.ratings)
        for item in capability.items:
            if item.colleague_mean is not None and item.ratings is not None:
                found[(item.key, "item")] = round(item.colleague_mean * item.ratings)
    return found


def subtraction(first: Report, second: Report) -> dict[str, int]:
    """What the issue's attacker computes: first's all-colleague sums minus second's."""
    before, after = sums(first), sums(second)
    found = {}
    for (key, group), total in before.items():
        for other in ("peer", "all", "item"):
            if group in ("all", "item") and (key, other) in after:
                found[key] = total - after[(key, other)]
    return found


def the_attack() -> tuple[Report, Report]:
    steady = [(f"peer-{n}", "peer", STEADY) for n in range(3)]
    first = report_of([*steady, ("peer-4", "peer", FOURTH)], INSTRUMENT)
    second = report_of(steady, INSTRUMENT)
    return first, second


def test_without_the_rule_the_subtraction_gives_the_fourth_peers_totals():
    first, second = the_attack()
    found = subtraction(first, second)
    assert found["cap1"] == FOURTH["c1i1"]
    assert found["cap2"] == sum(FOURTH[k] for k in ("c2i1", "c2i2", "c2i3"))


def test_the_three_steady_one_leaver_attack_is_refused():
    first, second = the_attack()
    held = over_time.hold_back_against(second, [first])
    assert subtraction(first, held) == {}
    assert all(c.held_over_time and not c.scores for c in held.capabilities)
    assert all(i.colleague_mean is None for c in held.capabilities for i in c.items)


def test_the_same_colleagues_again_keep_every_figure():
    people = [
        *raters("peer", 4, STEADY),
        *raters("direct_report", 3, STEADY),
        *raters("line_manager", 1, STEADY),
    ]
    first = report_of(people, INSTRUMENT)
    second = report_of(people, INSTRUMENT)
    assert over_time.hold_back_against(second, [first]) == second


def test_a_group_shown_only_now_cannot_be_taken_from_what_all_showed_then():
    """Then: three peers and one other, shown only as "all colleagues". Now: the three peers
    again and four others, each group shown. Then's all minus now's peers is the one other."""
    then = report_of([*raters("peer", 3, STEADY), *raters("other", 1, FOURTH)], INSTRUMENT)
    now = report_of([*raters("peer", 3, STEADY), *raters("other", 4, STEADY)], INSTRUMENT)
    assert {s.group for s in now.capabilities[1].scores} == {"all", "peer", "other"}
    held = over_time.hold_back_against(now, [then])
    assert [s.group for s in held.capabilities[1].scores] == ["all"]
    assert held.capabilities[1].held_over_time


def test_many_more_colleagues_now_keep_their_figures():
    then = report_of(raters("peer", 4, STEADY), INSTRUMENT)
    now = report_of([*raters("peer", 4, STEADY), *raters("direct_report", 4, FOURTH)], INSTRUMENT)
    held = over_time.hold_back_against(now, [then])
    assert held.capabilities == now.capabilities


def test_a_leaver_at_the_top_and_a_joiner_at_the_bottom_is_held_back():
    """Same count, sums a whole scale apart on an item: one left at 5, one joined at 1."""
    steady = raters("peer", 3, {"c1i1": 3})
    then = report_of([*steady, ("leaver", "peer", {"c1i1": 5})], small_instrument((1,)))
    now = report_of([*steady, ("joiner", "peer", {"c1i1": 1})], small_instrument((1,)))
    held = over_time.hold_back_against(now, [then])
    assert held.capabilities[0].items[0].colleague_mean is None
    assert not held.capabilities[0].scores


def test_reports_of_instruments_sharing_no_item_are_not_compared():
    other = small_instrument((1,))
    then = report_of(raters("peer", 4, {"c9i9": 2}), _renamed(other))
    now = report_of(raters("peer", 3, STEADY), INSTRUMENT)
    assert over_time.hold_back_against(now, [then]) == now


def _renamed(instrument):
    import dataclasses

    capability = instrument.capabilities[0]
    item = dataclasses.replace(capability.items[0], key="c9i9")
    capability = dataclasses.replace(capability, key="cap9", items=(item,))
    return dataclasses.replace(instrument, capabilities=(capability,))


def test_closing_a_second_round_holds_back_against_the_first(app):
    from feedback360.reports.freeze import stored_report

    user = make_user(app)
    first = make_round(app, user)
    items = [i["key"] for c in first.instrument_snapshot["capabilities"] for i in c["items"]]
    for n in range(4):
        add_answer_set(app, first.id, "peer", {k: 4 if n < 3 else 1 for k in items})
    close_and_freeze(app, first.id)
    second = make_round(app, user)  # one open round per instrument at a time
    for _ in range(3):
        add_answer_set(app, second.id, "peer", {k: 4 for k in items})
    close_and_freeze(app, second.id)
    with app.app_context():
        kept = stored_report(second.id)
    assert all(not c.scores and c.held_over_time for c in kept.capabilities)


def test_the_newer_report_says_where_and_why_figures_are_held_back(app, client):
    from builders import login_as

    user = make_user(app)
    first = make_round(app, user)
    items = [i["key"] for c in first.instrument_snapshot["capabilities"] for i in c["items"]]
    for n in range(4):
        add_answer_set(app, first.id, "peer", {k: 4 if n < 3 else 1 for k in items})
    close_and_freeze(app, first.id)
    second = make_round(app, user)
    for _ in range(3):
        add_answer_set(app, second.id, "peer", {k: 4 for k in items})
    close_and_freeze(app, second.id)
    login_as(client, user)
    page = client.get(f"/reports/{second.id}").get_data(as_text=True)
    assert "held back because it could be compared with your earlier report" in page
    assert "held back because" not in client.get(f"/reports/{first.id}").get_data(as_text=True)


def test_ties_left_out_are_counted_over_the_figures_still_shown():
    """A statement held back at 3.0 among others at 3.0: "and 4 more at 3.0" beside only three
    shown would say what the held one's average was."""
    rest = {f"c2i{n}": 3 for n in range(1, 7)}
    steady = [(f"peer-{n}", "peer", {"c1i1": v, **rest}) for n, v in enumerate((3, 4, 4))]
    instrument = small_instrument((1, 6))
    then = report_of([*steady, ("leaver", "peer", {"c1i1": 5, **rest})], instrument)
    now = report_of([*steady, ("joiner", "peer", {"c1i1": 1, **rest})], instrument)
    held = over_time.hold_back_against(now, [then])
    assert held.capabilities[0].items[0].held_over_time  # c1i1, at 3.0 now, is held back
    shown = [i for c in held.capabilities for i in c.items if i.colleague_mean is not None]
    for listed, tied in (
        (held.highest, held.highest_tied_out),
        (held.lowest, held.lowest_tied_out),
    ):
        cut = listed[-1].colleague_mean
        unlisted = {i.key for i in shown if i.colleague_mean == cut} - {h.key for h in listed}
        assert tied == len(unlisted)


def _shared_items(app) -> list[str]:
    from feedback360.instruments.registry import instruments

    with app.app_context():
        frontline, manager = (instruments()[k] for k in ("frontline", "manager"))
    return sorted({i.key for i in frontline.items} & {i.key for i in manager.items})


def _on(round_, shared: list[str], score: int) -> dict[str, int | None]:
    """`score` on the shared items, "not observed" on the round's others."""
    items = [i["key"] for c in round_.instrument_snapshot["capabilities"] for i in c["items"]]
    return {k: score if k in shared else None for k in items}


def _close_in_its_own_session(app, round_id: int, pause: tuple | None = None) -> None:
    """Close the round and commit. With `pause` (frozen, done): once the report is made, say
    so, and hold the transaction open until `done` (or a second) before committing: long
    enough for another close to run in between, were it allowed to."""
    from feedback360.extensions import db
    from feedback360.surveys.closing import close_round
    from feedback360.surveys.models import Round

    with app.app_context():
        close_round(db.session.get(Round, round_id))
        if pause is not None:
            frozen, done = pause
            frozen.set()
            done.wait(timeout=1.0)
        db.session.commit()


def test_two_rounds_of_one_worker_closing_at_once_take_turns(app):
    """A worker's frontline and manager rounds share items, and both may be open. Closed at
    the same moment, each close would hold its report back against the reports kept before
    it, and neither would see the other's, not yet committed: two reports never compared."""
    from feedback360.reports.freeze import stored_report

    user = make_user(app)
    first, second = make_round(app, user, "frontline"), make_round(app, user, "manager")
    shared = _shared_items(app)
    for n in range(4):  # the attack, on the items both instruments ask
        add_answer_set(app, first.id, "peer", _on(first, shared, 4 if n < 3 else 1))
    for _ in range(3):
        add_answer_set(app, second.id, "peer", _on(second, shared, 4))
    frozen, done, failed = threading.Event(), threading.Event(), []

    def close_second() -> None:
        frozen.wait(timeout=10)
        try:
            _close_in_its_own_session(app, second.id)
        except BaseException as error:  # reported below, not lost in the thread
            failed.append(error)
        done.set()

    racing = threading.Thread(target=close_second)
    racing.start()
    _close_in_its_own_session(app, first.id, (frozen, done))
    racing.join(timeout=30)
    assert not failed and not racing.is_alive()
    with app.app_context():
        held = [c.key for c in stored_report(second.id).capabilities if c.held_over_time]
    assert held, "the second close did not see the first's report"
