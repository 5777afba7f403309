"""The development outbox page: lists mail, shows it with safe links, exists only in development."""

from __future__ import annotations

import re

from feedback360 import create_app
from feedback360.mail.views import linkify

BODY = (
    "Hello Ailsa,\n"
    "Morag asks for your feedback: http://feedback360.test/r/abc123.\n"
    "Not ours: http://elsewhere.example/r/abc and http://feedback360.test.evil.example/x\n"
    "<script>alert(1)</script>\n"
)


def test_the_outbox_lists_messages_newest_first(client, add_messages):
    add_messages(3)

    page = client.get("/dev/outbox/").get_data(as_text=True)

    assert page.count("<h1>") == 1
    subjects = re.findall(r">(Message \d)</a>", page)
    assert subjects == ["Message 2", "Message 1", "Message 0"]
    assert "colleague2@example.org" in page and "pending" in page


def test_a_message_shows_its_text_with_only_our_own_links_clickable(client, add_messages):
    (message_id,) = add_messages(1, text_body=BODY, subject="Morag would value your feedback")

    response = client.get(f"/dev/outbox/{message_id}")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "<h1>Morag would value your feedback</h1>" in page
    assert 'href="http://feedback360.test/r/abc123"' in page  # the full stop stays outside
    assert 'href="http://elsewhere.example' not in page
    assert 'href="http://feedback360.test.evil.example' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page


def test_a_link_cannot_break_out_of_its_attribute():
    html = str(linkify('see http://site.test/r/a"onmouseover=x&b=1 now', "http://site.test"))

    assert html == (
        'see <a href="http://site.test/r/a">http://site.test/r/a</a>&#34;onmouseover=x&amp;b=1 now'
    )
    html = str(linkify("http://site.test/r?a=1&b=<2>", "http://site.test/"))
    assert html == (
        '<a href="http://site.test/r?a=1&amp;b=">http://site.test/r?a=1&amp;b=</a>&lt;2&gt;'
    )


def test_an_unknown_message_is_a_404(client):
    assert client.get("/dev/outbox/999").status_code == 404


def test_the_outbox_refuses_to_show_anything_in_production(app, client, add_messages):
    (message_id,) = add_messages(1)
    app.config["FEEDBACK360_ENV"] = "production"  # as if the factory's own guard had slipped

    assert client.get("/dev/outbox/").status_code == 404
    assert client.get(f"/dev/outbox/{message_id}").status_code == 404


def test_there_is_no_outbox_page_when_mail_goes_out_by_smtp(app_config):
    app = create_app({**app_config, "MAIL_TRANSPORT": "smtp"})

    assert "outbox" not in app.blueprints
    assert app.test_client().get("/dev/outbox/").status_code == 404
