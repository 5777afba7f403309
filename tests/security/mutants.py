# ruff: noqa: E501 (test node ids and code lines are quoted whole, so they can be searched for)
"""Each SECURITY.md defence switched off, and the tests that must then fail (docs/security.md).

Not a test module: `python tests/security/check_mutants.py` applies each mutant to a throwaway
copy of the repository, runs the tests named with it, and reports any that still pass.
A mutant is a list of exact text replacements; each `old` must occur exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass

SEC = "tests/security/"
AUTH_LOGIN = "tests/auth/test_auth_login.py::"
AUTH_PW = "tests/auth/test_auth_passwords.py::"
AUTH_REG = "tests/auth/test_auth_register.py::"
ACCESS = "tests/surveys/test_worker_access.py::"
RATER = "tests/surveys/test_rater_journey.py::"
TOKENS = "tests/surveys/test_rater_tokens.py::"
INVITES = "tests/surveys/test_worker_invitations.py::"
REPORT_VIEWS = "tests/reports/test_report_views.py::"
PAIRS = "tests/reports/test_report_pairs_exact.py::"
OVER_TIME = "tests/reports/test_report_over_time.py::"
PDF = "tests/reports/test_report_pdf.py::"
MAIL_SEND = "tests/mail/test_outbox_send.py::"
MAIL_TIME = "tests/mail/test_outbox_timeouts.py::"
MAIL_QUEUE = "tests/mail/test_outbox_queue.py::"


@dataclass(frozen=True)
class Mutant:
    line: int
    what: str
    edits: tuple[tuple[str, str, str], ...]  # (path, old, new)
    tests: tuple[str, ...]

    def __post_init__(self) -> None:
        # With no tests a mutant would count as caught; a lone string where a 1-tuple was meant
        # would be read as one test per character.
        if not self.tests or not all("::" in test for test in self.tests):
            raise TypeError(f"{self.what}: tests must be a non-empty tuple of pytest node ids")


def edit(path: str, old: str, new: str) -> tuple[str, str, str]:
    return (path, old, new)


ROUNDS = "feedback360/surveys/rounds.py"
RATER_LINKS_PY = "feedback360/surveys/rater_links.py"
SENDING_PY = "feedback360/surveys/sending.py"
HEADERS_PY = "feedback360/web/headers.py"
USES_AND_LINKS = "migrations/versions/20261203_0002_invitation_use_and_reminder_links.py"
CONCURRENCY = "tests/surveys/test_rater_concurrency.py::"
REMINDER_LINKS = "tests/surveys/test_reminder_links.py::"
CLOSING_PY = "feedback360/surveys/closing.py"
UNLINKABLE = "tests/security/test_unlinkable_after_close.py::"
MAILBOXES = "tests/surveys/test_invitation_mailboxes.py::"
THROTTLE = "tests/auth/test_throttle_buckets.py::"
THROTTLE_PY = "feedback360/auth/throttle.py"
PROGRAMME_ACCESS = "feedback360/programmes/access.py"
PROGRAMME_ACCESS_TESTS = "tests/programmes/test_programme_access.py::"

UNCONDITIONAL_CLAIM = edit(
    SENDING_PY,
    '        _INVITATION.c.id == bindparam("invitation_id"),\n'
    "        _INVITATION.c.status == InvitationStatus.PENDING,\n",
    '        _INVITATION.c.id == bindparam("invitation_id"),\n',
)
STATUS_NOT_CHECKED = edit(
    RATER_LINKS_PY,
    "    if status is InvitationStatus.SUBMITTED:\n        raise AlreadySubmitted()\n",
    "",
)
DRAFT_KEPT = edit(
    SENDING_PY,
    "    delete(_DRAFT)\n"
    '    .where(_DRAFT.c.invitation_id == bindparam("invitation_id"))\n'
    "    .returning(_DRAFT.c.data)\n",
    '    select(_DRAFT.c.data).where(_DRAFT.c.invitation_id == bindparam("invitation_id"))\n',
)
# A lookup by the first character of the hash only: any link would find some invitation.
NEAR_MISS = '.like(__import__("sqlalchemy").func.substr(bindparam("token_hash"), 1, 1).concat("%"))'
USE_WITHOUT_KEY = edit(
    USES_AND_LINKS,
    "    sa.PrimaryKeyConstraint('invitation_id', name=op.f('pk_invitation_use'))\n",
    "",
)

PROGRESS_PY = "feedback360/surveys/progress.py"
INVITE_SERVICE = "feedback360/surveys/invite_service.py"
PROGRESS = SEC + "test_progress_anonymity.py::"
WORKER_PROGRESS = "tests/surveys/test_worker_progress.py::"
CLOSE_REFUSAL_BELOW_THREE = edit(
    CLOSING_PY,
    "    if sent < ANSWERS_SHOWN_FROM:\n"
    "        raise NotEnoughAnswers(\n"
    '            f"You can close this round once {minimum} colleagues have answered, and fewer than "\n'
    '            f"{ANSWERS_SHOWN_FROM} have so far."\n'
    "        )\n",
    "",
)

TALLY_PY = "feedback360/reports/tally.py"
FIGURES_PY = "feedback360/reports/figures.py"
EXACT = "tests/reports/test_report_exact.py::"
REPORT_RULES = "tests/reports/test_report_rules.py::"
# Issue 14's attack 7 made possible again: each item's lowest and highest colleague score,
# counted, kept in the report and shown in its own column.
RANGES_BACK = (
    edit(
        TALLY_PY,
        "    own: np.ndarray  # [round, item]: the worker's own score, -1 where there is none\n",
        "    own: np.ndarray  # [round, item]: the worker's own score, -1 where there is none\n"
        "    low: np.ndarray | None = None\n"
        "    high: np.ndarray | None = None\n",
    ),
    edit(
        TALLY_PY,
        "        own=_own_scores(rows, answer & (rows.relationship == RELATIONSHIPS.index(SELF)), by_round),\n"
        "    )\n",
        "        own=_own_scores(rows, answer & (rows.relationship == RELATIONSHIPS.index(SELF)), by_round),\n"
        "        low=_extreme(np.minimum, rows.at_item(scored), whole, by_round),\n"
        "        high=_extreme(np.maximum, rows.at_item(scored), whole, by_round),\n"
        "    )\n"
        "\n\n"
        "def _extreme(pick, at, scores, shape):\n"
        "    found = np.full(shape[0] * shape[1], 99 if pick is np.minimum else 0, dtype=np.int64)\n"
        "    pick.at(found, at, scores)\n"
        "    return found.reshape(shape)\n",
    ),
    edit(
        FIGURES_PY,
        "        np.where(counted[:, None], counts.not_observed, -1),\n    ]\n",
        "        np.where(counted[:, None], counts.not_observed, -1),\n"
        "        np.where(shown, counts.low, 0),\n"
        "        np.where(shown, counts.high, 0),\n"
        "    ]\n",
    ),
    edit(
        FIGURES_PY,
        "    unseen: int,\n) -> ItemResult:\n",
        "    unseen: int,\n    low: int,\n    high: int,\n) -> ItemResult:\n",
    ),
    edit(
        FIGURES_PY,
        "        not_observed=unseen if unseen >= 0 else None,\n    )\n",
        "        not_observed=unseen if unseen >= 0 else None,\n"
        "        low=low if shown else None,\n"
        "        high=high if shown else None,\n"
        "    )\n",
    ),
    edit(
        "feedback360/reports/report.py",
        "    not_observed: int | None\n",
        "    not_observed: int | None\n    low: int | None = None\n    high: int | None = None\n",
    ),
    edit(
        "templates/reports/_report.html",
        '          <th scope="col" class="num">Scores</th>\n',
        '          <th scope="col" class="num">Range</th>\n'
        '          <th scope="col" class="num">Scores</th>\n',
    ),
    edit(
        "templates/reports/_report.html",
        '            <td class="num" data-label="Scores">{{ count(item.ratings) }}</td>\n',
        '            <td class="num" data-label="Range">'
        "{% if item.low is not none %}{{ item.low }}–{{ item.high }}{% endif %}</td>\n"
        '            <td class="num" data-label="Scores">{{ count(item.ratings) }}</td>\n',
    ),
)

MUTANTS: tuple[Mutant, ...] = (
    # 1. Access by id ---------------------------------------------------------------------
    Mutant(
        1,
        "a round is found by id alone, whoever owns it",
        (edit(ROUNDS, "Round.id == round_id, Round.user_id == user.id", "Round.id == round_id"),),
        (
            SEC
            + "test_access_and_sessions.py::test_every_url_with_a_round_id_is_404_for_another_workers_round",
            ACCESS + "test_another_workers_round_is_not_found",
            ACCESS + "test_logging_in_again_cannot_save_into_another_workers_round",
            REPORT_VIEWS + "test_another_workers_report_pdf_and_pages_are_not_found",
        ),
    ),
    Mutant(
        1,
        "a share link is found by id alone, whatever its round",
        (
            edit(
                "feedback360/reports/sharing.py",
                "ShareLink.id == link_id, ShareLink.round_id == round_.id",
                "ShareLink.id == link_id",
            ),
        ),
        (
            SEC
            + "test_access_and_sessions.py::test_every_url_with_a_round_id_is_404_for_another_workers_round",
            REPORT_VIEWS + "test_another_workers_share_link_cannot_be_revoked",
        ),
    ),
    Mutant(
        1,
        "the dashboard and the data download list every worker's rounds",
        (
            edit(ROUNDS, "            .where(Round.user_id == user.id)\n", ""),
            edit(
                "feedback360/privacy/export.py",
                "select(Round).where(Round.user_id == user.id).order_by(Round.id)",
                "select(Round).order_by(Round.id)",
            ),
        ),
        (
            SEC
            + "test_access_and_sessions.py::test_the_workers_own_pages_and_data_show_nothing_of_another_worker",
            ACCESS + "test_the_dashboard_lists_only_the_workers_own_rounds",
            SEC + "test_data_protection.py::test_the_export_holds_nothing_of_another_worker",
        ),
    ),
    # 2. Extra form fields ----------------------------------------------------------------
    Mutant(
        2,
        "a rater's relationship is taken from the form",
        (
            edit(
                SENDING_PY,
                '            "relationship": link.relationship,\n',
                '            "relationship": __import__("flask").request.form.get("relationship")'
                " or link.relationship,\n",
            ),
        ),
        (RATER + "test_submit_stores_one_anonymous_answer_set_and_ignores_extra_fields",),
    ),
    Mutant(
        2,
        "a self-assessment page stores any item field posted",
        (
            edit(
                "feedback360/surveys/forms.py",
                "        for key in self.item_keys:\n            raw = self[field_name(key)].data\n",
                "        form = __import__('flask').request.form\n"
                "        posted = [k[5:] for k in form if k.startswith('item-')]\n"
                "        for key in posted:\n"
                "            raw = form[field_name(key)]\n",
            ),
            edit(
                ROUNDS,
                "        for key, score in scores.items()\n        if key in page_items\n",
                "        for key, score in scores.items()\n",
            ),
        ),
        ("tests/surveys/test_worker_self.py::test_extra_fields_are_ignored",),
    ),
    Mutant(
        2,
        "an invitation goes to the round named in the form",
        (
            edit(
                "feedback360/surveys/worker_views.py",
                "    round_ = load_round(round_id)\n    form = _invite_form()\n",
                "    round_ = db.session.get(Round, int(request.form.get('round_id', round_id)))\n"
                "    form = _invite_form()\n",
            ),
        ),
        (INVITES + "test_extra_fields_cannot_move_an_invitation_elsewhere",),
    ),
    Mutant(
        2,
        "a reflection is saved into the round named in the form",
        (
            edit(
                "feedback360/reports/views.py",
                "    round_ = _own_round(round_id)\n    _report(round_)\n"
                "    form = reflection.ReflectionForm()\n",
                "    round_ = db.session.get(Round, int(request.form.get('round_id', round_id)))\n"
                "    form = reflection.ReflectionForm()\n",
            ),
        ),
        (
            SEC
            + "test_access_and_sessions.py::test_a_reflection_posted_with_another_round_id_stays_in_the_workers_own_round",
        ),
    ),
    # 3. Sessions -------------------------------------------------------------------------
    Mutant(
        3,
        "the session version in the cookie is not checked",
        (
            edit(
                "feedback360/auth/sessions.py",
                "if user is None or user.session_version != int(version):",
                "if user is None:",
            ),
        ),
        (
            AUTH_LOGIN + "test_a_cookie_captured_before_logout_no_longer_works",
            AUTH_PW + "test_changing_the_password_ends_other_sessions_and_keeps_this_one",
            AUTH_PW + "test_a_reset_ends_every_other_session",
        ),
    ),
    Mutant(
        3,
        "sessions have no idle or absolute limit",
        (
            edit(
                "feedback360/auth/sessions.py",
                "return now - seen_at > idle_limit or now - login_at > absolute_limit",
                "return False",
            ),
        ),
        (
            AUTH_LOGIN + "test_a_session_ends_after_an_idle_hour",
            AUTH_LOGIN + "test_a_busy_session_still_ends_at_the_absolute_limit",
        ),
    ),
    # 4. Login and reset ------------------------------------------------------------------
    Mutant(
        4,
        "failed logins are never throttled",
        (
            edit(
                "feedback360/auth/service.py",
                'if throttle.is_limited(account, _limit("ACCOUNT")) or throttle.is_limited(\n'
                '        place, _limit("ADDRESS")\n    ):',
                "if False:",
            ),
        ),
        (
            AUTH_LOGIN + "test_failed_logins_are_throttled_per_account_whoever_tries",
            AUTH_LOGIN + "test_an_unknown_account_is_throttled_exactly_like_a_real_one",
            AUTH_LOGIN + "test_failed_logins_are_throttled_per_address",
        ),
    ),
    Mutant(
        4,
        "an unknown email gets a different answer from a wrong password",
        (
            edit(
                "feedback360/auth/service.py",
                "        check_without_account(password)\n        return None\n",
                "        check_without_account(password)\n        raise TooManyAttempts()\n",
            ),
        ),
        (AUTH_LOGIN + "test_the_same_message_for_an_unknown_email_and_a_wrong_password",),
    ),
    Mutant(
        4,
        "an unknown email skips the password hashing (a timing oracle)",
        (edit("feedback360/auth/service.py", "        check_without_account(password)\n", ""),),
        (AUTH_LOGIN + "test_an_unknown_email_costs_a_password_check_too",),
    ),
    Mutant(
        4,
        "a reset request says whether the email has an account",
        (
            edit(
                "feedback360/auth/service.py",
                "    user = user_by_email(email)\n    if user is None:\n        return\n",
                "    user = user_by_email(email)\n    if user is None:\n"
                "        raise TooManyAttempts()\n",
            ),
        ),
        (AUTH_PW + "test_the_answer_is_the_same_whether_or_not_the_email_has_an_account",),
    ),
    Mutant(
        4,
        "reset links keep working after use",
        (
            edit(
                "feedback360/auth/signing.py",
                "    if not isinstance(key, str) or not hmac.compare_digest(",
                "    if False and not hmac.compare_digest(",
            ),
        ),
        (
            AUTH_PW + "test_a_reset_link_sets_a_new_password_once_and_logs_in",
            AUTH_PW + "test_an_older_reset_link_dies_when_a_newer_one_is_used",
        ),
    ),
    Mutant(
        4,
        "reset links never expire",
        (edit("feedback360/auth/signing.py", "max_age=minutes * 60", "max_age=None"),),
        (AUTH_PW + "test_a_reset_link_expires",),
    ),
    Mutant(
        4,
        "reset requests are never throttled",
        (
            edit(
                "feedback360/auth/service.py",
                "    if throttle.is_limited(bucket, limit):\n        raise TooManyAttempts()\n"
                "    throttle.record_hit(bucket)",
                "    throttle.record_hit(bucket)",
            ),
        ),
        (
            AUTH_PW + "test_reset_requests_are_throttled_per_account_known_or_not",
            AUTH_PW + "test_reset_requests_are_throttled_per_address",
        ),
    ),
    Mutant(
        4,
        "logging in keeps the session from before",
        (
            edit(
                "feedback360/auth/sessions.py",
                "    _forget_session()\n    login_user(user)\n",
                "    login_user(user)\n",
            ),
        ),
        (AUTH_LOGIN + "test_logging_in_renews_the_session_and_lands_on_the_dashboard",),
    ),
    # 5. next= ----------------------------------------------------------------------------
    Mutant(
        5,
        "next= is followed wherever it points",
        (
            edit(
                "feedback360/auth/redirects.py",
                '    if not target or not target.startswith("/") or target.startswith("//"):',
                "    return target or None\n"
                '    if not target or not target.startswith("/") or target.startswith("//"):',
            ),
        ),
        (AUTH_LOGIN + "test_next_never_leaves_the_site",),
    ),
    Mutant(
        5,
        "the next= carried on to sign-up and into the confirmation email is not checked",
        (
            edit(
                "feedback360/auth/views.py",
                '    return safe_next(request.args.get("next"))',
                '    return request.args.get("next")',
            ),
        ),
        (
            "tests/auth/test_auth_smtp.py::"
            "test_only_a_path_on_this_site_rides_into_the_confirmation_email",
            "tests/programmes/test_programme_invitations.py::"
            "test_a_login_page_passes_on_only_a_path_on_this_site",
        ),
    ),
    # 6. Base URL -------------------------------------------------------------------------
    Mutant(
        6,
        "emailed links are built from the request's Host header",
        (
            edit(
                "feedback360/web/links.py",
                '    base = current_app.config["BASE_URL"].rstrip("/")',
                '    flask = __import__("flask")\n'
                "    base = (flask.request.host_url if flask.has_request_context()"
                ' else current_app.config["BASE_URL"]).rstrip("/")',
            ),
        ),
        (
            AUTH_PW + "test_emailed_links_ignore_the_host_header",
            INVITES + "test_the_link_comes_from_base_url_even_with_a_forged_host",
            SEC
            + "test_access_and_sessions.py::test_reminders_and_share_links_start_with_base_url_whatever_the_host_header",
        ),
    ),
    # 7. Tokens ---------------------------------------------------------------------------
    Mutant(
        7,
        "tokens carry 64 random bits",
        (
            edit(
                "feedback360/web/links.py", "secrets.token_urlsafe(32)", "secrets.token_urlsafe(8)"
            ),
        ),
        (
            SEC
            + "test_invitation_links.py::test_new_tokens_carry_at_least_128_random_bits_and_never_repeat",
            SEC + "test_invitation_links.py::test_once_mail_has_gone_no_table_holds_any_link_token",
            INVITES + "test_an_invitation_stores_only_the_token_hash_and_queues_one_email",
        ),
    ),
    Mutant(
        7,
        "tokens are stored as they are, not hashed",
        (
            edit(
                "feedback360/web/links.py",
                'return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()',
                "return token",
            ),
        ),
        (
            SEC
            + "test_invitation_links.py::test_new_tokens_carry_at_least_128_random_bits_and_never_repeat",
            SEC + "test_invitation_links.py::test_once_mail_has_gone_no_table_holds_any_link_token",
            INVITES + "test_an_invitation_stores_only_the_token_hash_and_queues_one_email",
        ),
    ),
    Mutant(
        7,
        "guessing links is never slowed down",
        (
            edit(RATER_LINKS_PY, "    if hits >= limit:\n        raise TooManyGuesses()\n", ""),
            edit(
                "feedback360/reports/sharing.py",
                "    if is_limited(bucket, limit):\n        raise TooManyGuesses()\n",
                "",
            ),
        ),
        (
            TOKENS
            + "test_the_limiter_engages_after_the_allowed_guesses_and_then_refuses_real_links_too",
            REPORT_VIEWS + "test_guessed_share_links_are_throttled",
        ),
    ),
    Mutant(
        7,
        "a near-miss token finds an invitation",
        (
            edit(
                RATER_LINKS_PY,
                '            _INVITATION.c.token_hash == bindparam("token_hash"),',
                "            _INVITATION.c.token_hash" + NEAR_MISS + ",",
            ),
        ),
        (
            TOKENS
            + "test_ten_thousand_random_and_mutated_tokens_are_all_refused_and_the_limiter_engages",
            TOKENS + "test_a_few_hundred_guesses_over_http_all_get_the_unknown_link_page",
        ),
    ),
    Mutant(
        7,
        "a near-miss token finds an invitation through a reminder's link",
        (
            edit(
                RATER_LINKS_PY,
                '    InvitationLink.__table__.c.token_hash == bindparam("token_hash")',
                "    InvitationLink.__table__.c.token_hash" + NEAR_MISS,
            ),
        ),
        (REMINDER_LINKS + "test_random_tokens_never_find_an_invitation_through_a_reminders_link",),
    ),
    # 8. Opening changes nothing ----------------------------------------------------------
    Mutant(
        8,
        "opening a link writes to the database",
        (
            edit(
                "feedback360/surveys/rater_views.py",
                "    draft = rater_drafts.load_draft(invitation.id)\n    return render_template(\n"
                '        "surveys/rater/intro.html",',
                "    draft = rater_drafts.load_draft(invitation.id)\n"
                "    rater_drafts.save_page(invitation, {}, {}, ())\n    db.session.commit()\n"
                '    return render_template(\n        "surveys/rater/intro.html",',
            ),
        ),
        (RATER + "test_get_and_head_five_times_change_nothing_then_submit_succeeds",),
    ),
    # 9. One answer set per invitation ----------------------------------------------------
    # Two defences in the database, each enough on its own: the claim's conditional UPDATE
    # and the key of invitation_use. The send reads the link before it takes the write lock,
    # so concurrent sends all pass that first check and meet the two defences; the mutant
    # that removes both also removes the first check, so that a second send in turn is not
    # stopped by it either. With the key in place, a second send is refused whatever the update
    # does; what shows the update's condition is a send that waited for a decline: the key
    # refuses it too, but as "already sent", which only the update (marking nothing) gets right.
    Mutant(
        9,
        "the claim's update is unconditional (check-then-set in Python)",
        (UNCONDITIONAL_CLAIM,),
        (
            CONCURRENCY + "test_the_conditional_update_alone_refuses_a_second_use",
            CONCURRENCY + "test_a_send_that_waits_for_a_decline_is_told_it_was_declined",
        ),
    ),
    Mutant(
        9,
        "invitation_use has no key, so it takes a second row for one invitation",
        (USE_WITHOUT_KEY,),
        (
            CONCURRENCY + "test_the_use_key_alone_refuses_a_second_use",
            CONCURRENCY + "test_a_used_invitation_has_one_use_row_and_the_table_refuses_another",
        ),
    ),
    Mutant(
        9,
        "both, and the status is not checked before the write either",
        (
            UNCONDITIONAL_CLAIM,
            USE_WITHOUT_KEY,
            STATUS_NOT_CHECKED,
        ),
        (
            CONCURRENCY + "test_both_defences_refuse_a_second_use_with_nothing_undone",
            CONCURRENCY + "test_twenty_concurrent_submits_of_one_link_store_exactly_one_answer_set",
        ),
    ),
    Mutant(
        9,
        "the claim's update is unconditional and SQLite transactions are deferred, not immediate",
        (
            UNCONDITIONAL_CLAIM,
            edit(
                "feedback360/database.py",
                '"BEGIN" if reading else "BEGIN IMMEDIATE"',
                '"BEGIN"',
            ),
        ),
        # Twenty sends at once still store one answer set here (the key refuses the others).
        (CONCURRENCY + "test_a_send_that_waits_for_a_decline_is_told_it_was_declined",),
    ),
    # 10. Expired form tokens -------------------------------------------------------------
    Mutant(
        10,
        "rater pages use the global CSRF check, which drops what was posted",
        (
            edit(
                "feedback360/surveys/rater_views.py",
                "@csrf.exempt  # the form checks its own token, so an expired one keeps the answers"
                " on screen\n",
                "",
            ),
            edit(
                "feedback360/surveys/rater_views.py",
                "@csrf.exempt  # as above: an expired token shows the review again, and the draft"
                " is kept\n",
                "",
            ),
        ),
        (
            RATER + "test_an_expired_form_token_keeps_every_answer_on_screen",
            RATER + "test_a_lost_session_is_treated_like_an_expired_token",
            RATER + "test_an_expired_token_on_send_or_decline_asks_again_and_loses_nothing",
        ),
    ),
    Mutant(
        10,
        "another site's post is carried into the log-in page that keeps posts",
        (
            edit(
                "feedback360/auth/sessions.py",
                '    if request.headers.get("Sec-Fetch-Site") == "cross-site":\n        return True\n'
                '    origin = request.headers.get("Origin")\n',
                "    origin = None\n",
            ),
        ),
        (
            SEC
            + "test_access_and_sessions.py::test_another_sites_post_is_never_carried_into_our_log_in_page",
        ),
    ),
    # 11. Hostile text --------------------------------------------------------------------
    Mutant(
        11,
        "written text is marked safe in the report template",
        (
            edit(
                "templates/reports/_report.html",
                '<div class="written" dir="{{ dir_of(text, medium) }}">{{ text }}</div>',
                '<div class="written" dir="{{ dir_of(text, medium) }}">{{ text|safe }}</div>',
            ),
        ),
        (
            REPORT_VIEWS + "test_the_owner_reads_their_report_with_comments_escaped",
            PDF + "test_hostile_names_and_comments_render_as_literal_text",
            SEC
            + "test_reports_and_pdfs.py::test_hostile_names_and_comments_are_literal_text_on_the_worker_and_manager_pages",
        ),
    ),
    Mutant(
        11,
        "WeasyPrint gets its default URL fetcher",
        (
            edit(
                "feedback360/reports/pdf.py",
                "HTML(string=html, base_url=None, url_fetcher=_fetcher())",
                "HTML(string=html, base_url=None)",
            ),
        ),
        (PDF + "test_the_fetcher_itself_refuses_everything_but_data_uris",),
    ),
    Mutant(
        11,
        "the fetcher decodes more than data: URIs",
        (
            edit(
                "feedback360/reports/pdf.py",
                'if not url[:5].lower() == "data:" or "," not in url:',
                "if False:",
            ),
        ),
        (PDF + "test_data_uris_decode_and_nothing_else_does",),
    ),
    Mutant(
        11,
        "chart labels are written into the SVG unescaped",
        (
            edit(
                "feedback360/reports/svg.py",
                "f'font-weight=\"{weight}\">{escape(line, quote=False)}</text>'",
                "f'font-weight=\"{weight}\">{line}</text>'",
            ),
        ),
        (
            "tests/reports/test_report_charts.py::test_the_radar_keeps_text_as_text_and_dollars_literal",
        ),
    ),
    # 12. PDF name and metadata -----------------------------------------------------------
    Mutant(
        12,
        "the PDF is named after the worker",
        (
            edit(
                "feedback360/reports/documents.py",
                'key = re.sub(r"[^a-z0-9]+", "-", round_.instrument_key.lower()).strip("-") or "report"',
                "key = round_.user.name",
            ),
        ),
        (
            PDF + "test_the_file_name_is_chosen_by_the_server",
            SEC
            + "test_reports_and_pdfs.py::test_a_downloaded_pdf_names_itself_and_holds_nothing_about_the_raters",
        ),
    ),
    Mutant(
        12,
        "the PDF carries extra metadata",
        (
            edit(
                "templates/reports/_pdf_page.html",
                "  <title>{{ title }}</title>\n",
                '  <title>{{ title }}</title>\n  <meta name="author" content="{{ report.worker_name }}">\n',
            ),
        ),
        (
            PDF + "test_a_report_pdf_has_its_pages_names_radar_and_no_attachments",
            SEC
            + "test_reports_and_pdfs.py::test_a_downloaded_pdf_names_itself_and_holds_nothing_about_the_raters",
        ),
    ),
    # 13. Headers -------------------------------------------------------------------------
    Mutant(
        13,
        "no Content-Security-Policy",
        (
            edit(
                HEADERS_PY,
                '    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)\n',
                "",
            ),
        ),
        (
            SEC + "test_headers_and_pages.py::test_every_page_carries_the_security_headers",
            "tests/test_pages.py::test_security_headers_on_every_page",
        ),
    ),
    Mutant(
        13,
        "the CSP lacks frame-ancestors",
        (edit(HEADERS_PY, "        \"frame-ancestors 'none'\",\n", ""),),
        (
            SEC + "test_headers_and_pages.py::test_every_page_carries_the_security_headers",
            "tests/test_pages.py::test_security_headers_on_every_page",
        ),
    ),
    Mutant(
        13,
        "no nosniff",
        (edit(HEADERS_PY, '    headers.setdefault("X-Content-Type-Options", "nosniff")\n', ""),),
        (
            SEC + "test_headers_and_pages.py::test_every_page_carries_the_security_headers",
            SEC
            + "test_headers_and_pages.py::test_the_pdfs_and_the_data_download_are_not_kept_by_browsers",
            "tests/test_pages.py::test_security_headers_on_every_page",
        ),
    ),
    Mutant(
        13,
        "Referrer-Policy no-referrer",
        (edit(HEADERS_PY, '"Referrer-Policy", "same-origin"', '"Referrer-Policy", "no-referrer"'),),
        (
            SEC + "test_headers_and_pages.py::test_every_page_carries_the_security_headers",
            "tests/test_pages.py::test_security_headers_on_every_page",
        ),
    ),
    Mutant(
        13,
        "no HSTS over HTTPS",
        (
            edit(
                HEADERS_PY,
                '        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")\n',
                "        pass\n",
            ),
        ),
        (
            SEC + "test_headers_and_pages.py::test_every_page_carries_the_security_headers",
            "tests/test_pages.py::test_hsts_when_served_over_https",
        ),
    ),
    Mutant(
        13,
        "pages may be stored by browsers",
        (edit(HEADERS_PY, '        headers["Cache-Control"] = "no-store"\n', "        pass\n"),),
        (
            SEC + "test_headers_and_pages.py::test_every_page_carries_the_security_headers",
            REPORT_VIEWS + "test_the_owner_reads_their_report_with_comments_escaped",
            "tests/test_pages.py::test_security_headers_on_every_page",
        ),
    ),
    Mutant(
        13,
        "PDFs and the data download may be stored by browsers",
        (
            edit(HEADERS_PY, '        headers["Cache-Control"] = "no-store"\n', "        pass\n"),
            edit(
                "feedback360/reports/views.py",
                '    response.headers["Cache-Control"] = "no-store"\n',
                "",
            ),
            edit(
                "feedback360/privacy/views.py",
                '    response.headers["Cache-Control"] = "no-store"\n',
                "",
            ),
        ),
        (
            SEC
            + "test_headers_and_pages.py::test_the_pdfs_and_the_data_download_are_not_kept_by_browsers",
        ),
    ),
    # 14. Production ----------------------------------------------------------------------
    Mutant(
        14,
        "production accepts any settings",
        (
            edit(
                "feedback360/config.py",
                '    if config.get("FEEDBACK360_ENV") != "production":\n        return []\n',
                "    return []\n",
            ),
        ),
        (
            SEC
            + "test_headers_and_pages.py::test_production_refuses_to_start_unsafe_in_a_real_process",
            SEC
            + "test_headers_and_pages.py::test_gunicorn_refuses_to_boot_with_the_default_secret",
            "tests/test_config.py::test_production_with_default_secret_refuses_to_start",
            "tests/test_config.py::test_production_with_debug_refuses_to_start",
        ),
    ),
    Mutant(
        14,
        "the refusal exits with 1, so gunicorn restarts workers for ever",
        (
            edit(
                "feedback360/__init__.py",
                "        refusal.code = REFUSED_EXIT_CODE  # str(refusal) is still the message\n",
                "",
            ),
        ),
        (SEC + "test_headers_and_pages.py::test_gunicorn_refuses_to_boot_with_the_default_secret",),
    ),
    Mutant(
        14,
        "the error page shows the traceback",
        (
            edit(
                "feedback360/web/errors.py",
                "    title, advice = MESSAGES[500]\n",
                '    title, advice = MESSAGES[500][0], __import__("traceback").format_exc()\n',
            ),
        ),
        (
            SEC + "test_headers_and_pages.py::test_production_shows_no_traceback_or_debugger",
            "tests/test_pages.py::test_server_error_is_friendly_and_shows_no_traceback",
        ),
    ),
    # 15. Header injection ----------------------------------------------------------------
    Mutant(
        15,
        "names with line breaks pass the invitation form",
        (
            edit(
                "feedback360/surveys/invite_forms.py",
                '        refuse_line_breaks(field.data, "Names cannot contain line breaks.")\n',
                "        pass\n",
            ),
        ),
        (
            INVITES + "test_each_refusal_explains_itself_and_keeps_what_was_typed",
            SEC
            + "test_mail.py::test_a_name_with_a_bcc_header_is_refused_on_the_page_and_nothing_reaches_the_server",
        ),
    ),
    Mutant(
        15,
        "names with line breaks pass the sign-up form",
        (
            edit(
                "feedback360/auth/forms.py",
                '        if any(unicodedata.category(char) == "Cc" for char in field.data):',
                "        if False:",
            ),
        ),
        (AUTH_REG + "test_each_problem_is_explained_and_nothing_else_typed_is_lost",),
    ),
    Mutant(
        15,
        "the outbox accepts line breaks and several recipients",
        (
            edit(
                "feedback360/mail/outbox.py",
                "    _refuse_line_breaks(recipient, subject)\n    _refuse_several_recipients(recipient)\n",
                "",
            ),
        ),
        (
            MAIL_QUEUE
            + "test_header_injection_and_second_recipients_are_refused_before_anything_is_stored",
        ),
    ),
    Mutant(
        15,
        "the worker's name goes into the subject as typed",
        (
            edit(
                "feedback360/surveys/invite_service.py",
                '    printable = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)\n'
                '    return " ".join(printable.split())\n',
                "    return text\n",
            ),
        ),
        (INVITES + "test_a_workers_name_cannot_break_the_subject_line",),
    ),
    # 16. SMTP faults ---------------------------------------------------------------------
    Mutant(
        16,
        "SMTP has no timeout",
        (
            edit(
                "feedback360/mail/smtp.py",
                "host = smtplib.SMTP(state.server, state.port, timeout=timeout)",
                "host = smtplib.SMTP(state.server, state.port)",
            ),
        ),
        (
            MAIL_TIME + "test_sending_gives_up_after_the_timeout_and_retries_later",
            SEC
            + "test_mail.py::test_a_failing_mail_server_loses_nothing_sends_nothing_twice_and_slows_no_page",
        ),
    ),
    Mutant(
        16,
        "mail is sent inside the request that queues it",
        (
            edit(
                "feedback360/mail/outbox.py",
                "    db.session.add(message)\n    db.session.flush()\n    return message\n",
                "    db.session.add(message)\n    db.session.flush()\n"
                "    from .sender import send_due\n    send_due()\n    return message\n",
            ),
        ),
        (
            MAIL_TIME + "test_queueing_mail_in_a_request_never_touches_smtp",
            SEC
            + "test_mail.py::test_a_failing_mail_server_loses_nothing_sends_nothing_twice_and_slows_no_page",
        ),
    ),
    Mutant(
        16,
        "a permanent refusal is retried instead of shown",
        (edit("feedback360/mail/smtp.py", "    if code >= 500:\n", "    if code >= 600:\n"),),
        (
            MAIL_SEND + "test_a_permanent_refusal_fails_at_once_and_is_never_tried_again",
            SEC
            + "test_mail.py::test_a_failing_mail_server_loses_nothing_sends_nothing_twice_and_slows_no_page",
        ),
    ),
    Mutant(
        16,
        "a temporary refusal fails the message for good (it is lost)",
        (edit("feedback360/mail/smtp.py", "    if code >= 500:\n", "    if code >= 400:\n"),),
        (
            MAIL_SEND + "test_a_temporary_refusal_is_retried_after_the_backoff_then_delivered",
            SEC
            + "test_mail.py::test_a_failing_mail_server_loses_nothing_sends_nothing_twice_and_slows_no_page",
        ),
    ),
    Mutant(
        16,
        "a claim does not check that the row was still free",
        (
            edit(
                "feedback360/mail/sender.py",
                "    unchanged = [m.id == message_id, m.status == status]\n",
                "    unchanged = [m.id == message_id]\n",
            ),
        ),
        (MAIL_SEND + "test_a_claim_is_a_conditional_update_that_only_one_sender_can_win",),
    ),
    Mutant(
        16,
        "an outage counts an attempt against every queued message",
        (
            edit(
                "feedback360/mail/sender.py",
                "    claimed = _claim(now, 1)\n",
                "    claimed = _claim(now, 1000)\n    for extra in claimed[1:]:\n        _record_retry(extra, description, now)\n",
            ),
        ),
        (
            MAIL_SEND + "test_smtp_down_then_up_loses_nothing_and_sends_nothing_twice",
            MAIL_SEND + "test_hundreds_of_invitations_queued_through_an_outage_are_all_sent_once",
        ),
    ),
    # 17. Killed mid-submit ---------------------------------------------------------------
    Mutant(
        17,
        "a submit commits the claim before writing the answers",
        (
            edit(
                SENDING_PY,
                "    claim(connection, link, InvitationStatus.SUBMITTED)\n",
                "    claim(connection, link, InvitationStatus.SUBMITTED)\n    db.session.commit()\n"
                '    __import__("time").sleep(0.02)\n    connection = db.session.connection()\n',
            ),
        ),
        (
            SEC
            + "test_durability.py::test_a_submit_that_dies_after_writing_some_answers_leaves_none_of_them",
            SEC
            + "test_fault_injection.py::test_killing_gunicorn_workers_mid_submit_leaves_whole_answer_sets_or_none",
        ),
    ),
    # 18. Many at once --------------------------------------------------------------------
    Mutant(
        18,
        "an accepted submit is not committed",
        (
            edit(
                "feedback360/surveys/rater_views.py",
                '    db.session.commit()\n    return redirect(url_for(".thanks", token=token))\n\n\n# Declining',
                '    return redirect(url_for(".thanks", token=token))\n\n\n# Declining',
            ),
        ),
        (SEC + "test_durability.py::test_many_raters_at_once_are_each_stored_exactly_once",),
    ),
    Mutant(
        18,
        "a used link takes answers again",
        (
            STATUS_NOT_CHECKED,
            UNCONDITIONAL_CLAIM,
            USE_WITHOUT_KEY,
            DRAFT_KEPT,
        ),
        (SEC + "test_durability.py::test_many_raters_at_once_are_each_stored_exactly_once",),
    ),
    # 19. Figures of small groups ---------------------------------------------------------
    Mutant(
        19,
        "a group is shown from two raters",
        (
            edit(
                "feedback360/reports/rules.py",
                "    group_min: int = 3\n",
                "    group_min: int = 2\n",
            ),
        ),
        (
            "tests/reports/test_report_anonymity_property.py::test_no_published_figure_isolates_fewer_than_three",
            "tests/reports/test_report_rules.py::test_small_groups_are_pooled_when_the_pool_reaches_three",
            SEC + "test_anonymity.py::test_the_report_page_shows_only_the_groups_the_rules_allow",
        ),
    ),
    Mutant(
        19,
        "one or two left over are not folded in (all minus the shown groups isolates them)",
        (
            edit(
                "feedback360/reports/groups.py",
                "    if all_shown and 0 < left_over < rules.group_min:\n",
                "    if False:\n",
            ),
        ),
        (
            "tests/reports/test_report_anonymity_property.py::test_group_thresholds_and_subtraction_at_answer_set_level",
            "tests/reports/test_report_rules.py::test_one_or_two_left_over_are_folded_into_the_smallest_shown_group",
        ),
    ),
    Mutant(
        19,
        "... and the per-capability audit of published sums is off too",
        (
            edit(
                "feedback360/reports/groups.py",
                "    if all_shown and 0 < left_over < rules.group_min:\n",
                "    if False:\n",
            ),
            edit(
                "feedback360/reports/audit.py",
                '    """Could any published sum, or a combination of them, single out one or two people?"""\n',
                '    """Could any published sum, or a combination of them, single out one or two people?"""\n'
                "    return False\n",
            ),
        ),
        (
            "tests/reports/test_report_anonymity_property.py::test_no_published_figure_isolates_fewer_than_three",
            "tests/reports/test_report_rules.py::test_group_figures_are_withheld_where_subtracting_items_would_single_someone_out",
        ),
    ),
    # 20. Nothing links an answer set to a person -----------------------------------------
    Mutant(
        20,
        "the answer set table gains a key to its invitation",
        (
            edit(
                "migrations/versions/20261122_0001_create_the_tables.py",
                "    op.create_table('answer_set',\n",
                "    op.create_table('answer_set',\n    sa.Column('invitation_id', sa.Integer(), sa.ForeignKey('invitation.id'), nullable=True),\n",
            ),
        ),
        (
            "tests/surveys/test_anonymity_schema.py::test_no_path_links_an_answer_set_to_an_invitation_or_a_person",
            "tests/surveys/test_anonymity_schema.py::test_answer_tables_hold_only_reviewed_columns_and_no_time_finer_than_a_day",
        ),
    ),
    Mutant(
        20,
        "the saved draft (with its time) outlives the submit",
        (DRAFT_KEPT,),
        (
            SEC
            + "test_anonymity.py::test_a_real_submit_leaves_no_address_browser_or_time_in_any_table",
            RATER + "test_submit_stores_one_anonymous_answer_set_and_ignores_extra_fields",
        ),
    ),
    # 21. Supply chain --------------------------------------------------------------------
    Mutant(
        21,
        "code that bandit flags is added",
        (
            edit(
                "feedback360/web/links.py",
                "from flask import current_app\n",
                "from flask import current_app\n\n\ndef _shell(command: str) -> int:\n"
                "    import subprocess\n\n    return subprocess.call(command, shell=True)\n",
            ),
        ),
        (SEC + "test_supply_chain.py::test_bandit_finds_nothing_in_the_package",),
    ),
    Mutant(
        21,
        "a blanket nosec with no check named",
        (edit("feedback360/config.py", "# noqa: S105  # nosec B105", "# noqa: S105  # nosec"),),
        (SEC + "test_supply_chain.py::test_every_nosec_names_its_check_and_says_why",),
    ),
    Mutant(
        21,
        "pyproject allows an old WeasyPrint",
        (edit("pyproject.toml", '"weasyprint>=70",', '"weasyprint>=52",'),),
        (SEC + "test_supply_chain.py::test_pyproject_never_allows_a_version_below_a_floor",),
    ),
    Mutant(
        21,
        "a floor above what is installed (as when an advisory is published)",
        (edit(SEC + "test_supply_chain.py", '"weasyprint": ("70",', '"weasyprint": ("999",'),),
        (SEC + "test_supply_chain.py::test_installed_versions_are_at_or_above_their_floors",),
    ),
    # Data protection (issue 8) ------------------------------------------------------------
    Mutant(
        0,
        "purging keeps colleagues' answers",
        (
            edit(
                "feedback360/privacy/retention.py",
                "from ..surveys.models import Answer, AnswerSet, Comment,",
                "from ..surveys.models import Answer, AnswerSet, Comment, Relationship,",
            ),
            edit(
                "feedback360/privacy/retention.py",
                "    answer_sets = select(AnswerSet.id).where(AnswerSet.round_id.in_(round_ids))\n",
                "    answer_sets = select(AnswerSet.id).where(AnswerSet.round_id.in_(round_ids),"
                " AnswerSet.relationship == Relationship.SELF)\n",
            ),
            edit(
                "feedback360/privacy/retention.py",
                "        delete(AnswerSet).where(AnswerSet.round_id.in_(round_ids)),\n",
                "        delete(AnswerSet).where(AnswerSet.id.in_(answer_sets)),\n",
            ),
        ),
        (
            SEC
            + "test_data_protection.py::test_purging_removes_old_raw_answers_and_keeps_reports_and_newer_rounds",
            SEC + "test_data_protection.py::test_flask_privacy_purge_uses_the_retention_setting",
        ),
    ),
    Mutant(
        0,
        "deleting an account only disables it",
        (
            edit(
                "feedback360/surveys/account.py",
                "    db.session.delete(user)\n",
                '    user.email, user.password_hash = f"deleted{user.id}@example.invalid", "!"\n',
            ),
        ),
        (ACCESS + "test_deleting_an_account_removes_everything_of_theirs",),
    ),
    # 22 and 23. After a close, nothing links or names (issue 14) ----------------------------
    Mutant(
        22,
        "closing keeps the answer sets' ids and the order they were sent in",
        (edit(CLOSING_PY, "    rewrite_answer_sets(round_.id, round_.closed_at.date())\n", ""),),
        (UNLINKABLE + "test_answer_sets_lie_in_an_order_unrelated_to_when_they_were_sent",),
    ),
    Mutant(
        22,
        "closing keeps the marks of use and who each reminder went to",
        (
            edit(
                CLOSING_PY,
                "    for table in (OutboxMessage, RaterDraft, InvitationUse):\n",
                "    for table in (OutboxMessage, RaterDraft):\n",
            ),
            edit(
                CLOSING_PY,
                "        .values(invitation_id=first)\n",
                "        .values(invitation_id=InvitationLink.invitation_id)\n",
            ),
        ),
        (UNLINKABLE + "test_no_kept_column_says_which_invitation_an_answer_set_came_from",),
    ),
    Mutant(
        23,
        "SQLite leaves deleted rows' bytes in the file",
        (edit("feedback360/database.py", "PRAGMA secure_delete=ON", "PRAGMA secure_delete=OFF"),),
        (
            UNLINKABLE + "test_sqlite_files_hold_no_address_name_link_or_draft_after_close",
            UNLINKABLE + "test_the_privacy_scrub_command_finishes_a_clean_up_left_undone",
        ),
    ),
    Mutant(
        23,
        "the worker's close leaves the write-ahead log as it is",
        (edit("feedback360/surveys/worker_views.py", "        scrub_after_close()\n", ""),),
        (UNLINKABLE + "test_sqlite_files_hold_no_address_name_link_or_draft_after_close",),
    ),
    # 24. One mailbox, one invitation ------------------------------------------------------
    Mutant(
        24,
        "addresses are compared as typed, lower-cased: no +tag, dot or googlemail.com merged",
        (
            edit(
                "feedback360/surveys/mailboxes.py",
                '    local, at, domain = address.strip().lower().rpartition("@")\n',
                "    return address.strip().lower()\n"
                '    local, at, domain = address.strip().lower().rpartition("@")\n',
            ),
        ),
        (
            "tests/surveys/test_mailboxes.py::test_each_spelling_reaches_its_mailbox",
            "tests/surveys/test_mailboxes.py::test_the_sock_puppets_of_one_mailbox_are_one",
            MAILBOXES + "test_the_workers_own_mailbox_under_a_tag_is_refused_and_the_form_kept",
            MAILBOXES + "test_the_morag_attack_leaves_one_real_peer_and_no_puppets",
            MAILBOXES + "test_the_workers_own_gmail_under_dots_and_googlemail_is_refused",
            MAILBOXES
            + "test_a_colleagues_mailbox_under_another_spelling_is_refused_and_the_form_kept",
        ),
    ),
    Mutant(
        24,
        "the migration makes no unique index on (round, mailbox)",
        (
            edit(
                "migrations/versions/20261207_0004_invitation_mailbox.py",
                "    op.create_index('uq_invitation_round_mailbox', 'invitation', ['round_id', 'mailbox'], unique=True)\n",
                "",
            ),
        ),
        (
            MAILBOXES + "test_the_schema_refuses_a_second_invitation_to_a_mailbox_the_check_missed",
            MAILBOXES + "test_the_schema_refuses_a_duplicate_mailbox_written_without_the_service",
        ),
    ),
    # 27. Throttle buckets keyed with a secret --------------------------------------------
    Mutant(
        27,
        "buckets are the bare SHA-256 of what they count, as before",
        (
            edit(
                THROTTLE_PY,
                '    return hmac.digest(bucket_key(current_app.secret_key), message, "sha256").hex()\n',
                '    return __import__("hashlib").sha256(message).hexdigest()\n',
            ),
        ),
        (
            THROTTLE + "test_a_failed_login_stores_no_bucket_anyone_could_recompute",
            THROTTLE + "test_a_different_secret_key_gives_different_buckets",
        ),
    ),
    Mutant(
        27,
        "expired hits stay until the daily purge",
        (
            edit(
                THROTTLE_PY,
                '    db.session.execute(EXPIRED_HITS, {"bucket": bucket, "since": window_start(window)})\n',
                "",
            ),
        ),
        (THROTTLE + "test_a_new_hit_deletes_the_buckets_hits_that_no_longer_count",),
    ),
    # 25. No figure forces a single colleague's score (issue 14, attack 7) --------------------
    Mutant(
        25,
        "each item's range of colleagues' scores is counted, kept and shown again",
        RANGES_BACK,
        (
            EXACT + "test_no_published_figure_forces_a_colleagues_score",
            EXACT + "test_the_range_attack_finds_nothing_forced",
            SEC
            + "test_forced_scores.py::test_the_range_attack_on_a_real_round_finds_nothing_forced",
        ),
    ),
    Mutant(
        25,
        "items show their counts however few colleagues answered",
        (
            edit(
                "feedback360/reports/rules.py",
                "        return self.is_safe_size(anonymous)\n",
                "        return True\n",
            ),
        ),
        (
            EXACT + "test_no_published_figure_forces_a_colleagues_score",
            REPORT_RULES + "test_one_or_two_anonymous_colleagues_get_no_item_counts",
        ),
    ),
    Mutant(
        25,
        "a line manager shown on their own counts as anonymous for item counts",
        (
            edit(
                FIGURES_PY,
                "    others = colleagues.sum(axis=1) - np.where(known, managers, 0)\n",
                "    others = colleagues.sum(axis=1)\n",
            ),
        ),
        (
            EXACT + "test_no_published_figure_forces_a_colleagues_score",
            REPORT_RULES + "test_one_or_two_anonymous_colleagues_get_no_item_counts",
        ),
    ),
    # 25. "...the same for two reports of the same worker side by side" (issue 19) ----------
    Mutant(
        25,
        "the newer report is no longer held back against the worker's earlier reports",
        (
            edit(
                "feedback360/reports/over_time.py",
                "        if _item_keys(newer) & _item_keys(old):\n",
                "        if False:\n",
            ),
        ),
        (
            PAIRS + "test_the_attack_is_refused_with_the_rule",
            OVER_TIME + "test_the_three_steady_one_leaver_attack_is_refused",
            OVER_TIME + "test_closing_a_second_round_holds_back_against_the_first",
        ),
    ),
    Mutant(
        25,
        "combinations of both reports' sums go unchecked: only the same figure is compared",
        (
            edit(
                "feedback360/reports/over_time_sums.py",
                "        if _few_reachable(people, _swap_says_nothing(earlier, newer, basis)):\n"
                "            return True\n",
                "",
            ),
        ),
        # The attack is refused by the ends check too, since each report's whole sum
        # bounds those who left (test_the_attack_is_refused_with_the_rule passes either way).
        (OVER_TIME + "test_a_group_shown_only_now_cannot_be_taken_from_what_all_showed_then",),
    ),
    Mutant(
        25,
        "a figure a whole scale away from the same cells before is no longer held back",
        (
            edit(
                "feedback360/reports/over_time_ends.py",
                "    return above in (most_joined - reach.least_left, reach.least_joined - most_left)\n",
                "    return False\n",
            ),
        ),
        (
            PAIRS + "test_a_joiner_at_the_top_where_the_leavers_gave_the_bottom_is_not_given_away",
            OVER_TIME + "test_a_leaver_at_the_top_and_a_joiner_at_the_bottom_is_held_back",
        ),
    ),
    Mutant(
        25,
        "the ends check no longer bounds those who moved by each report's whole sum",
        (
            edit(
                "feedback360/reports/over_time_ends.py",
                "            None if then is None else then - self.given_then[layer],\n",
                "            None,\n",
            ),
            edit(
                "feedback360/reports/over_time_ends.py",
                "            None if now is None else now - self.given_now[layer],\n",
                "            None,\n",
            ),
        ),
        (PAIRS + "test_a_leaver_read_beside_a_line_managers_own_mean_is_not_given_away",),
    ),
    Mutant(
        25,
        "a relationship's sums over more items no longer bound its people on fewer",
        (
            edit(
                "feedback360/reports/over_time.py",
                "            self._reached(now, then_set, now_set, items, [k for k in item_sets if items < k])\n",
                "            self._reached(now, then_set, now_set, items, [])\n",
            ),
        ),
        (
            PAIRS
            + "test_a_leaver_read_beside_their_peers_sums_over_the_capability_is_not_given_away",
        ),
    ),
    Mutant(
        25,
        "a sum of a few scores no longer bounds each of them, unless it gives them away",
        (
            edit(
                "feedback360/reports/over_time_tallies.py",
                "            if found.total is not None and found.scored:\n",
                "            if found.total is not None and found.scored and (\n"
                "                found.scored == 1\n"
                "                or found.total in (self.bottom * found.scored, self.top * found.scored)\n"
                "            ):\n",
            ),
        ),
        (PAIRS + "test_a_leaver_read_beside_a_line_managers_own_mean_is_not_given_away",),
    ),
    Mutant(
        25,
        "the ends check reads sums over one relationship or all of them, and no others",
        (
            edit(
                "feedback360/reports/over_time_tallies.py",
                "            for size in range(1, len(relationships) + 1)\n",
                "            for size in (1, len(relationships))\n",
            ),
        ),
        (
            PAIRS
            + "test_joiners_who_did_not_observe_beside_everyone_but_the_line_manager_are_not_given_away",
        ),
    ),
    Mutant(
        25,
        "sums over different relationships in the two reports are no longer set side by side",
        (
            edit(
                "feedback360/reports/over_time.py",
                "    return [(a, b) for a in given_then for b in given_now if a <= b or b <= a]\n",
                "    return [(a, b) for a in given_then for b in given_now if a == b]\n",
            ),
        ),
        (
            PAIRS
            + "test_a_joiner_read_from_the_peers_now_beside_peers_and_others_then_is_not_given_away",
        ),
    ),
    Mutant(
        25,
        "sums over more items than a cell's are read neither for what each person there gave "
        "nor for their relationship's range",
        # Either reading alone refuses the line manager's case; both are switched off here.
        (
            edit(
                "feedback360/reports/over_time_tallies.py",
                "        item_sets = [items, *{f.cells[1] for f in self.figures if items < f.cells[1]}]\n",
                "        item_sets = [items]\n",
            ),
            edit(
                "feedback360/reports/over_time.py",
                "            self._reached(now, then_set, now_set, items, [k for k in item_sets if items < k])\n",
                "            self._reached(now, then_set, now_set, items, [])\n",
            ),
        ),
        (
            PAIRS
            + "test_a_line_manager_who_observed_nothing_in_a_capability_covers_nobody_on_its_items",
        ),
    ),
    Mutant(
        25,
        "known cells must carry no weight in a combination, so fewer combinations are tried",
        (
            edit(
                "feedback360/reports/over_time_sums.py",
                "        _Blocks(on_y[hy], on_z[hz], (on_y + on_z)[hs])\n",
                "        _Blocks(on_y, on_z, on_y + on_z)\n",
            ),
        ),
        (PAIRS + "test_what_one_report_gives_away_covers_nobody_in_a_combination",),
    ),
    Mutant(
        25,
        "a relationship nobody answered is counted among the cells a sum rests on",
        (
            edit(
                "feedback360/reports/over_time_known.py",
                "            matrix[:, r * items : (r + 1) * items] = 0\n",
                "            pass\n",
            ),
            edit(
                "feedback360/reports/over_time_tallies.py",
                "                r in relationships and i in items and self.answered.get(r, 0) > 0\n",
                "                r in relationships and i in items\n",
            ),
        ),
        (PAIRS + "test_a_relationship_nobody_answered_adds_no_cover",),
    ),
    Mutant(
        25,
        "a named line manager counts towards the three who may be pinned together",
        (
            edit(
                "feedback360/reports/over_time_ends.py",
                "                anonymous[layer] += 0 if named else count\n",
                "                anonymous[layer] += count\n",
            ),
        ),
        (PAIRS + "test_a_named_line_manager_who_joined_covers_nobody",),
    ),
    Mutant(
        25,
        "what one report gives away of a cell is not put together with what the other does",
        (
            edit(
                "feedback360/reports/over_time_sums.py",
                "    if any(_pinned_between(earlier, newer, r) for r in present):\n",
                "    if False:\n",
            ),
        ),
        (PAIRS + "test_who_scored_then_and_what_every_score_is_now_do_not_meet",),
    ),
    Mutant(
        25,
        "a count of not observed at the end of its range between the reports is shown",
        (
            edit(
                "feedback360/reports/over_time_ends.py",
                "    return difference in (\n"
                "        reach.most_joined - reach.least_left,\n"
                "        reach.least_joined - reach.most_left,\n"
                "    )\n",
                "    return False\n",
            ),
        ),
        (PAIRS + "test_a_joiner_who_observed_nothing_where_the_leavers_all_did_is_not_given_away",),
    ),
    # 26. Progress never tells who replied or declined (issue 14) ---------------------------
    Mutant(
        26,
        "declines are counted as answers again",
        (
            edit(
                PROGRESS_PY,
                "        .select_from(AnswerSet)\n"
                "        .where(AnswerSet.round_id == round_.id, AnswerSet.relationship != Relationship.SELF)\n",
                "        .select_from(Invitation)\n"
                '        .where(Invitation.round_id == round_.id, Invitation.status != "pending")\n',
            ),
        ),
        (
            PROGRESS + "test_below_three_answers_no_send_or_decline_shows",
            PROGRESS + "test_the_third_answer_looks_the_same_whoever_sent_it",
            WORKER_PROGRESS
            + "test_progress_shows_invitations_per_group_and_answers_in_all_only_from_three",
            WORKER_PROGRESS + "test_declines_do_not_count_towards_closing",
        ),
    ),
    Mutant(
        26,
        "each group's number counts only those still waiting, so a reply shows in its group",
        (
            edit(
                PROGRESS_PY,
                "        .where(Invitation.round_id == round_.id)\n"
                "        .group_by(Invitation.relationship)\n",
                '        .where(Invitation.round_id == round_.id, Invitation.status == "pending")\n'
                "        .group_by(Invitation.relationship)\n",
            ),
        ),
        (
            PROGRESS + "test_below_three_answers_no_send_or_decline_shows",
            PROGRESS + "test_a_reminder_reads_the_same_whoever_is_still_waiting",
        ),
    ),
    Mutant(
        26,
        "the count of answers shows from the first one",
        (edit(PROGRESS_PY, "ANSWERS_SHOWN_FROM = 3\n", "ANSWERS_SHOWN_FROM = 1\n"),),
        (
            PROGRESS + "test_below_three_answers_no_send_or_decline_shows",
            PROGRESS + "test_a_reminder_reads_the_same_whoever_is_still_waiting",
            WORKER_PROGRESS
            + "test_progress_shows_invitations_per_group_and_answers_in_all_only_from_three",
            WORKER_PROGRESS + "test_closing_below_three_answers_never_says_how_many_there_are",
        ),
    ),
    Mutant(
        26,
        "the count shows once three are invited, however few have answered",
        (
            edit(
                PROGRESS_PY,
                "    return sent if sent >= ANSWERS_SHOWN_FROM else None\n",
                "    invited = sum(g.invited for g in invited_by_group(round_))\n"
                "    return sent if invited >= ANSWERS_SHOWN_FROM else None\n",
            ),
        ),
        (
            PROGRESS + "test_inviting_more_colleagues_later_does_not_uncover_the_first_ones",
            PROGRESS + "test_below_three_answers_no_send_or_decline_shows",
        ),
    ),
    Mutant(
        26,
        "the close line says how many more answers are needed below three",
        (
            edit(
                PROGRESS_PY,
                "        still_needed=None if answered is None else max(0, minimum - answered),\n",
                "        still_needed=max(0, minimum - answers_sent(round_)),\n",
            ),
        ),
        (PROGRESS + "test_below_three_answers_no_send_or_decline_shows",),
    ),
    Mutant(
        26,
        "the refusal to close counts the answers below three",
        (CLOSE_REFUSAL_BELOW_THREE,),
        (
            PROGRESS + "test_below_three_answers_no_send_or_decline_shows",
            WORKER_PROGRESS + "test_closing_below_three_answers_never_says_how_many_there_are",
        ),
    ),
    Mutant(
        26,
        "a closing minimum below three lets the round close on fewer than three answers",
        (
            CLOSE_REFUSAL_BELOW_THREE,
            edit(
                PROGRESS_PY,
                "    return max(usual, ANSWERS_SHOWN_FROM)\n",
                "    return usual\n",
            ),
        ),
        (PROGRESS + "test_a_closing_minimum_below_three_does_not_let_the_close_button_tell",),
    ),
    Mutant(
        26,
        "a reminder is refused when nobody is waiting",
        (
            edit(
                INVITE_SERVICE,
                "    if not _claim_reminder_slot(round_, now):\n",
                "    if not _waiting_invitations(round_):\n"
                '        raise ReminderRefused("Everyone you invited has replied, so there is nobody to remind.")\n'
                "    if not _claim_reminder_slot(round_, now):\n",
            ),
        ),
        (
            PROGRESS + "test_a_reminder_reads_the_same_whoever_is_still_waiting",
            WORKER_PROGRESS
            + "test_a_reminder_when_everyone_has_replied_is_told_the_same_and_sends_nothing",
        ),
    ),
    Mutant(
        26,
        "the reminder's message says how many were reminded",
        (
            edit(
                "feedback360/surveys/worker_views.py",
                '        flash(REMINDED, "success")\n',
                '        flash(f"{REMINDED} ({len(invite_service._waiting_invitations(round_))})", "success")\n',
            ),
        ),
        (
            PROGRESS + "test_below_three_answers_no_send_or_decline_shows",
            PROGRESS + "test_a_reminder_reads_the_same_whoever_is_still_waiting",
        ),
    ),
    Mutant(
        26,
        "a reminder goes to those who declined too",
        (
            edit(
                INVITE_SERVICE,
                "                Invitation.status == InvitationStatus.PENDING,\n",
                "                Invitation.status != InvitationStatus.SUBMITTED,\n",
            ),
        ),
        (
            PROGRESS + "test_below_three_answers_no_send_or_decline_shows",
            PROGRESS + "test_a_reminder_reads_the_same_whoever_is_still_waiting",
            WORKER_PROGRESS + "test_a_reminder_goes_only_to_those_who_have_not_replied",
        ),
    ),
    Mutant(
        26,
        "a failed reminder is shown against its invitation",
        (
            edit(
                INVITE_SERVICE,
                "        select(func.min(OutboxMessage.id))\n",
                "        select(func.max(OutboxMessage.id))\n",
            ),
        ),
        (PROGRESS + "test_a_failed_reminder_never_shows_against_anyone",),
    ),
    Mutant(
        26,
        "the data download says which invitations were used",
        (
            edit(
                "feedback360/privacy/export.py",
                '            {"name": p.name, "email": p.email, "relationship": p.relationship.label} for p in people\n',
                '            {"name": p.name, "email": p.email, "relationship": p.relationship.label,'
                ' "status": p.status.value} for p in people\n',
            ),
        ),
        (
            PROGRESS + "test_below_three_answers_no_send_or_decline_shows",
            SEC
            + "test_data_protection.py::test_the_export_never_says_who_answered_nor_holds_colleagues_answers_or_secrets",
        ),
    ),
    Mutant(
        28,
        "a lead's programme looked up by its id alone, not through their role",
        (
            edit(
                PROGRAMME_ACCESS,
                "        .where(Programme.id == programme_id, ProgrammeLead.user_id == user.id)\n",
                "        .where(Programme.id == programme_id)\n",
            ),
        ),
        (
            PROGRAMME_ACCESS_TESTS + "test_a_lead_of_one_organisation_finds_nothing_of_another",
            PROGRAMME_ACCESS_TESTS
            + "test_a_programme_in_the_same_organisation_is_another_programme",
        ),
    ),
    Mutant(
        28,
        "a coach reaches any worker by id, not only those given to them",
        (
            edit(
                PROGRAMME_ACCESS,
                "        select(Member).where(Member.id == member_id, Member.coach_user_id == user.id)\n",
                "        select(Member).where(Member.id == member_id)\n",
            ),
        ),
        (
            PROGRAMME_ACCESS_TESTS + "test_a_coach_of_one_organisation_finds_nothing_of_another",
            PROGRAMME_ACCESS_TESTS
            + "test_a_coach_of_the_same_programme_sees_only_the_workers_given_to_them",
        ),
    ),
    Mutant(
        28,
        "a coach reaches any round of the programme through a worker they coach",
        (edit(PROGRAMME_ACCESS, "            Round.user_id == member.user_id,\n", ""),),
        (
            PROGRAMME_ACCESS_TESTS
            + "test_a_coach_cannot_reach_another_workers_round_through_their_own_worker",
        ),
    ),
    Mutant(
        28,
        "the coach reads the report without the worker's agreement",
        (
            edit(
                "feedback360/programmes/coach_views.py",
                "    if not entry.coach_may_read or round_.is_open:\n",
                "    if round_.is_open:\n",
            ),
        ),
        (
            "tests/programmes/test_programme_approval.py::test_the_coach_reads_the_report_only_once_the_worker_agrees",
        ),
    ),
    Mutant(
        28,
        "the lead is told how many answered below three",
        (
            edit(
                "feedback360/programmes/progress.py",
                "    return count if count >= ANSWERS_SHOWN_FROM else None\n",
                "    return count\n",
            ),
        ),
        (PROGRAMME_ACCESS_TESTS + "test_a_lead_is_told_fewer_than_three_not_the_count",),
    ),
)
