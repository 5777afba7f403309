"""SECURITY.md, "Access and sessions" (lines 1 to 6): what the other test folders leave out.

Line 1 is proved here for every URL that takes a round id, found by walking the app's URL map,
so a page added later is covered without anyone remembering to list it. Lines 2 to 6 are mostly
proved next to the code they protect; docs/security.md maps each line to its tests.
"""

from __future__ import annotations

import re

from builders import PASSWORD, login_as, make_round, make_user
from builders_report import make_closed_round
from rater_steps import every_row
from werkzeug.routing import Rule

from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage
from feedback360.reports.models import Reflection

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LINK = re.compile(r"https?://[^\s\"<>]+")
# Arguments the walk knows how to fill; a new kind of id must be added here, on purpose.
KNOWN_ARGUMENTS = {"round_id", "page", "link_id"}
# A form with every field any worker page reads, so each POST gets past validation to the check.
EVERY_FIELD = {
    "action": "continue",
    "email": "new.colleague@example.org",
    "name": "New Colleague",
    "relationship": "peer",
    "password": PASSWORD,
    "strengths": "Mine now",
    "statement": "Mine now",
    "include_in_pdf": "y",
}
AILSA = "ailsa@example.org"


def round_rules(app) -> list[tuple[Rule, str]]:
    """Every (rule, method) whose URL names a round: the pages that must check its owner."""
    found = []
    for rule in app.url_map.iter_rules():
        # A coach's pages name the worker too: tests/programmes/test_programme_access.py walks them.
        if "round_id" not in rule.arguments or rule.endpoint.startswith("coach."):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule, method))
    return found


def url_for_rule(rule: Rule, round_id: int, link_id: int) -> str:
    unknown = set(rule.arguments) - KNOWN_ARGUMENTS
    assert not unknown, f"{rule.rule}: teach this walk about {unknown}"
    values = {"round_id": round_id, "page": 1, "link_id": link_id}
    return rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]


def csrf_token(client) -> str:
    match = CSRF.search(client.get("/rounds/").get_data(as_text=True))
    assert match
    return match.group(1)


def request(client, rule: Rule, method: str, url: str, token: str):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token, **EVERY_FIELD})


def without_throttle(rows: dict) -> dict:
    # A re-login page may count or clear login attempts; that is Ailsa's, not Bruce's, data.
    return {name: value for name, value in rows.items() if name != "rate_limit_hit"}


def test_every_url_with_a_round_id_is_404_for_another_workers_round(app, client, victim):
    ailsa = make_user(app, email=AILSA, name="Ailsa Grant")
    own_closed = make_closed_round(app, ailsa, colleagues={"peer": 4})
    login_as(client, ailsa)
    token = csrf_token(client)
    before = without_throttle(every_row(app))
    problems, walked = [], set()

    for rule, method in round_rules(app):
        walked.add(rule.endpoint)
        targets = [(victim.open_round, victim.share_link), (victim.closed_round, victim.share_link)]
        if "link_id" in rule.arguments:  # Bruce's link through Ailsa's own round
            targets.append((own_closed, victim.share_link))
        for round_id, link_id in targets:
            url = url_for_rule(rule, round_id, link_id)
            response = request(client, rule, method, url, token)
            body = response.get_data(as_text=True)
            leaked = [s for s in victim.secrets if s in body]
            if response.status_code != 404 or leaked:
                problems.append((method, url, response.status_code, leaked))

    assert problems == []
    assert without_throttle(every_row(app)) == before  # nothing of Bruce's changed either
    # The walk reached the pages that matter (and would reach any new one).
    assert {
        "worker.round_page",
        "worker.self_page",
        "worker.save_self_page",
        "worker.invite",
        "worker.add_invitation",
        "worker.remind",
        "worker.close",
        "reports.report",
        "reports.download",
        "reports.reflection",
        "reports.save_reflection",
        "reports.share",
        "reports.create_share_link",
        "reports.revoke_share_link",
    } <= walked


def test_the_walked_urls_are_real_pages_for_their_owner(app, client, victim):
    """The control for the test above: Bruce himself is not told "not found" by any of them."""
    login_as(client, _user(app, victim.user_id))
    for rule, method in round_rules(app):
        if rule.endpoint.startswith("programmes."):
            continue  # a round outside any programme has no programme page; see tests/programmes
        round_id = (
            victim.closed_round if rule.endpoint.startswith("reports.") else victim.open_round
        )
        url = url_for_rule(rule, round_id, victim.share_link)
        # A GET as the owner is a page; a POST without a token is refused before any change.
        response = client.get(url) if method == "GET" else client.post(url, data={})
        assert response.status_code != 404, (method, url)


def _user(app, user_id: int):
    from feedback360.auth.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_the_workers_own_pages_and_data_show_nothing_of_another_worker(app, client, victim):
    ailsa = make_user(app, email=AILSA, name="Ailsa Grant")
    make_closed_round(app, ailsa, colleagues={"peer": 4})
    login_as(client, ailsa)
    for path in ("/rounds/", "/account/data/", "/account/data/download", "/account/password"):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert [s for s in victim.secrets if s in body] == [], path


def test_a_reflection_posted_with_another_round_id_stays_in_the_workers_own_round(
    app, client, victim
):
    ailsa = make_user(app, email=AILSA, name="Ailsa Grant")
    own = make_closed_round(app, ailsa, colleagues={"peer": 4})
    login_as(client, ailsa)
    token = csrf_token(client)
    extra = {"round_id": str(victim.closed_round), "user_id": str(victim.user_id)}
    response = client.post(
        f"/reports/{own}/reflection", data={"csrf_token": token, **EVERY_FIELD, **extra}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Reflection, own).statement == "Mine now"
        assert db.session.get(Reflection, victim.closed_round).statement == (
            "Bruce's private reflection"
        )


def test_reminders_and_share_links_start_with_base_url_whatever_the_host_header(app, client):
    """Invitations, resets and sign-ups are checked in their own folders; these are the rest."""
    user = make_user(app, email="inviter@example.org", name="Ina Viter")
    round_ = make_round(app, user, "manager")
    closed = make_closed_round(app, user, colleagues={"peer": 4})
    login_as(client, user)
    # The browser's cookie follows it to the forged host, so the worker is still logged in.
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.example")
    forged = {"headers": {"Host": "evil.example"}}
    token = CSRF.search(client.get("/rounds/", **forged).get_data(as_text=True)).group(1)
    data = {"csrf_token": token, "email": "col@example.org", "relationship": "peer"}
    assert client.post(f"/rounds/{round_.id}/invite", data=data, **forged).status_code == 302
    remind = client.post(f"/rounds/{round_.id}/remind", data={"csrf_token": token}, **forged)
    assert remind.status_code == 302
    share = client.post(f"/reports/{closed}/share", data={"csrf_token": token}, **forged)
    assert share.status_code == 302
    share_page = client.get(f"/reports/{closed}/share", **forged).get_data(as_text=True)
    with app.app_context():
        subjects = db.session.scalars(db.select(OutboxMessage.subject)).all()
        bodies = [
            m.text_body + (m.html_body or "") for m in db.session.scalars(db.select(OutboxMessage))
        ]
    assert len(subjects) == 2  # the invitation and its reminder
    links = [link for text in [*bodies, share_page] for link in LINK.findall(text)]
    assert any("/reports/shared/" in link for link in links)
    assert sum("/r/" in link for link in links) >= 2
    assert not [link for link in links if "evil.example" in link]
    assert "evil.example" not in share_page + "".join(bodies)


# Kept posts and other sites ------------------------------------------------------------------

FOREIGN = "Planted by another site"


def kept_post_pages(app) -> list[tuple[str, dict[str, str]]]:
    """The pages that carry a post through logging in again, with a planted field each."""
    user = make_user(app, email="kept@example.org")
    open_round = make_round(app, user)
    closed = make_closed_round(app, make_user(app, email="kept-closed@example.org"))
    return [
        (f"/rounds/{open_round.id}/self/1", {"comment-vis": FOREIGN, "action": "later"}),
        (f"/rounds/{open_round.id}/self/1", {"comment-vis": FOREIGN, "relogin-password": "x"}),
        (f"/rounds/{open_round.id}/invite", {"email": "planted@example.org", "name": FOREIGN}),
        (f"/reports/{closed}/reflection", {"statement": FOREIGN, "include_in_pdf": "y"}),
    ]


def test_another_sites_post_is_never_carried_into_our_log_in_page(app, client):
    for path, fields in kept_post_pages(app):
        before = every_row(app)
        for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}):
            response = client.post(path, data=fields, headers=headers)
            assert response.status_code == 403, (path, headers)
            assert FOREIGN not in response.get_data(as_text=True)
        assert every_row(app) == before, path


def test_our_own_pages_post_still_reaches_the_log_in_page_that_keeps_it(app, client):
    path, fields = kept_post_pages(app)[3]
    response = client.post(path, data=fields, headers={"Origin": "http://feedback360.test"})
    assert response.status_code == 401
    assert FOREIGN in response.get_data(as_text=True)  # carried, to be saved after logging in
