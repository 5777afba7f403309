"""The PDF is tagged for screen readers: structure tree, language, title, charts' alt text."""

from __future__ import annotations

import io
import logging
from collections import Counter
from collections.abc import Iterator

import pypdf
from builders import make_user
from builders_report import make_closed_round
from pypdf.generic import ArrayObject, DictionaryObject

from feedback360.reports import documents


def report_pdf(app) -> pypdf.PdfReader:
    round_id = make_closed_round(app, make_user(app, name="Morag Campbell"))
    with app.test_request_context():
        pdf = documents.render_report_pdf(documents.kept_report(round_id), None)
    return pypdf.PdfReader(io.BytesIO(pdf))


def structure_elements(node: DictionaryObject) -> Iterator[DictionaryObject]:
    """Every structure element under `node`, depth first (marked-content ids are skipped)."""
    kids = node.get("/K")
    kids = kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
    for kid in kids:
        element = kid.get_object()
        if isinstance(element, DictionaryObject) and element.get("/Type") == "/StructElem":
            yield element
            yield from structure_elements(element)


def test_the_pdf_has_a_structure_tree_language_and_title(app, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        reader = report_pdf(app)
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712  (a pypdf BooleanObject)
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert reader.metadata["/Title"] == "Frontline leadership feedback report"
    elements = list(structure_elements(catalog["/StructTreeRoot"].get_object()))
    kinds = Counter(element["/S"] for element in elements)
    for kind in ("/H1", "/H2", "/Table", "/TH", "/TD", "/Figure", "/L", "/P"):
        assert kinds[kind], f"no {kind} in the structure tree: {kinds}"
    # WeasyPrint logs an error for anything PDF/UA needs that it cannot find (alt, lang).
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_every_chart_has_alternative_text(app):
    reader = report_pdf(app)
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    figures = [e for e in structure_elements(root) if e["/S"] == "/Figure"]
    assert len(figures) == 7  # the radar and one dot chart per capability
    alts = [str(figure.get("/Alt", "")) for figure in figures]
    assert all(alt.strip() for alt in alts), alts
    assert alts[0].startswith("Radar chart")
