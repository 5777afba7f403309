"""The PDF: structure checked with pypdf, and hostile text that must stay text."""

from __future__ import annotations

import io
import re
import socket
import threading
from collections.abc import Iterator

import pypdf
import pytest
from builders import make_user
from builders_report import add_answer_set, close_and_freeze, make_closed_round

from feedback360.extensions import db
from feedback360.reports import documents
from feedback360.reports.pdf import FetchRefused, decode_data_uri, render_pdf
from feedback360.surveys.models import Round

CAPABILITIES = (
    "Vision",
    "Self-leadership",
    "Motivating and inspiring",
    "Empowering",
    "Collaborating and influencing",
    "Creativity and innovation",
)
ALL_COLLEAGUES_BLUE = b"0 0.447059 0.698039 RG"  # the radar's "All colleagues" line colour


class Listener:
    """A real TCP listener on loopback that records every connection it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def hostile_texts(url: str) -> list[str]:
    return [
        f'<img src="{url}/img.png"> <b>bold?</b>',
        "<link rel=attachment href=file:///etc/passwd>",
        f'<link rel="stylesheet" href="{url}/style.css"><style>@import url({url}/i.css);</style>',
        f'<div style="background: url({url}/bg.png)">styled</div>',
        f'<a rel="attachment" href="{url}/a">a</a><iframe src="{url}/f"></iframe>',
        f'<svg><image href="{url}/svg.png"/></svg><object data="{url}/o"></object>',
        "Costs $x$ and $\\frac{1}{2}$ to say",
        "W" * 5000,
    ]


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_report_pdf_has_its_pages_names_radar_and_no_attachments(app):
    user = make_user(app, name="Morag Campbell")
    round_id = make_closed_round(app, user)
    with app.test_request_context():
        pdf = documents.pdf_for(round_id, None)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert 10 <= len(reader.pages) <= 16
    text = pdf_text(pdf)
    for name in (*CAPABILITIES, "Morag Campbell"):
        assert name in text
    assert reader.attachments == {}
    assert set(reader.metadata) <= {"/Title", "/Producer", "/CreationDate", "/ModDate"}
    assert reader.metadata["/Title"] == "Frontline leadership feedback report"
    radar_page = next(p for p in reader.pages if "at a glance" in p.extract_text())
    drawing = radar_page.get_contents().get_data()
    assert ALL_COLLEAGUES_BLUE in drawing  # the radar line is a stroked vector path
    xobjects = radar_page["/Resources"].get("/XObject", {})
    assert all(x.get_object()["/Subtype"] == "/Form" for x in xobjects.values())
    assert "Page 1 of" in reader.pages[0].extract_text()


def test_hostile_names_and_comments_render_as_literal_text(app, listener):
    texts = hostile_texts(listener.url)
    user = make_user(app, name='<img src="x">$x$ Morag')
    from builders import make_round

    round_ = make_round(app, user)
    for n, text in enumerate(texts):
        comments = {"does_well": text, "vision": texts[(n + 1) % len(texts)]}
        add_answer_set(app, round_.id, "peer", {"vis_looks_for_better": 4}, comments)
    add_answer_set(app, round_.id, "self", {"vis_looks_for_better": 3}, {"does_well": texts[0]})
    close_and_freeze(app, round_.id)
    with app.test_request_context():
        pdf = documents.pdf_for(round_.id, None)
    text = squashed(pdf_text(pdf))
    assert squashed('<img src="x">$x$ Morag') in text
    assert squashed("<b>bold?</b>") in text
    assert squashed("<link rel=attachment href=file:///etc/passwd>") in text
    assert squashed("Costs $x$ and $\\frac{1}{2}$ to say") in text
    # The two 5,000-character words run across pages, between running headers: all there.
    assert sum(len(run) for run in re.findall("W{100,}", text)) == 2 * 5000
    assert pypdf.PdfReader(io.BytesIO(pdf)).attachments == {}
    assert listener.connections == 0


def test_the_fetcher_itself_refuses_everything_but_data_uris(listener):
    """Even raw, unescaped HTML cannot make WeasyPrint reach out or attach a file."""
    body = "".join(hostile_texts(listener.url))
    html = f"<html><head><title>t</title></head><body><p>Still here</p>{body}</body></html>"
    pdf = render_pdf(html)
    assert "Still here" in pdf_text(pdf)
    assert pypdf.PdfReader(io.BytesIO(pdf)).attachments == {}
    assert listener.connections == 0


def test_data_uris_decode_and_nothing_else_does():
    assert decode_data_uri("data:image/svg+xml;base64,PHN2Zy8+") == (b"<svg/>", "image/svg+xml")
    assert decode_data_uri("data:,a%20b") == (b"a b", "text/plain")
    for url in ("file:///etc/passwd", "http://127.0.0.1/", "DATA", "data:;base64,***"):
        with pytest.raises(FetchRefused):
            decode_data_uri(url)


def test_the_file_name_is_chosen_by_the_server(app):
    user = make_user(app)
    round_id = make_closed_round(app, user, colleagues={"peer": 4})
    with app.app_context():
        report = documents.kept_report(round_id)
        name = documents.pdf_file_name(db.session.get_one(Round, round_id))
    assert name == f"feedback360-report-frontline-{report.closed_on}.pdf"
