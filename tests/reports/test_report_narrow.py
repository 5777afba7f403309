"""On a phone each report table row is a card of "label  value" lines (report.css): every data
cell must carry the label of its column, the same words as the header it sits under."""

from __future__ import annotations

from html.parser import HTMLParser

from builders import login_as, make_user
from builders_report import make_closed_round


class Tables(HTMLParser):
    """Each report table's header texts and, per body row, its cells as (tag, data-label)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.cell: list[str] | None = None
        self.part = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            classes = (found.get("class") or "").split()
            self.tables.append({"classes": classes, "headers": [], "rows": []})
        elif not self.tables:
            return
        elif tag in ("thead", "tbody"):
            self.part = tag
        elif tag == "tr" and self.part == "tbody":
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td") and self.part == "thead":
            self.cell = []
        elif tag in ("th", "td") and self.part == "tbody":
            self.tables[-1]["rows"][-1].append((tag, found.get("data-label")))
            if found.get("scope") == "rowgroup":  # a row group's heading row: one cell, all across
                self.tables[-1]["rows"][-1][-1] = ("rowgroup", found.get("colspan"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self.cell is not None:
            self.tables[-1]["headers"].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.part = ""

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def report_tables(client, path: str) -> list[dict]:
    parser = Tables()
    parser.feed(client.get(path).get_data(as_text=True))
    return [t for t in parser.tables if "report-table" in t["classes"]]


def test_every_data_cell_is_labelled_with_its_columns_header(app, client):
    user = make_user(app)
    round_id = make_closed_round(app, user)
    login_as(client, user)
    tables = report_tables(client, f"/reports/{round_id}")
    stacked = [t for t in tables if "report-table--narrow" not in t["classes"]]
    assert len(stacked) >= 8  # the overview, six capabilities, the highlights
    for table in stacked:
        for row in table["rows"]:
            if row and row[0][0] == "rowgroup":  # an indicator's name over its statements
                assert row == [("rowgroup", str(len(table["headers"])))], row
                continue
            assert len(row) == len(table["headers"]), table["headers"]
            for (tag, label), header in zip(row, table["headers"], strict=True):
                if tag == "td":
                    assert label == header, (label, header, table["headers"])
                else:
                    assert label is None  # a row header is the card's title, not a line
