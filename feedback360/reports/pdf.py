"""HTML to PDF with WeasyPrint, which may fetch nothing but data: URIs.

WeasyPrint is imported inside the functions: it costs about half a second to import, and only
the processes that make reports should pay it (DESIGN.md section 8).
"""

from __future__ import annotations

import base64
import binascii
import threading
from typing import Any
from urllib.parse import unquote_to_bytes

_font_config: Any = None
_lock = threading.Lock()


class FetchRefused(ValueError):
    """A report tried to load something other than a data: URI."""


def decode_data_uri(url: str) -> tuple[bytes, str]:
    """The bytes and media type of a data: URI (RFC 2397); anything else is refused."""
    if not url[:5].lower() == "data:" or "," not in url:
        raise FetchRefused(f"Reports may only load data: URIs, not {url[:60]!r}.")
    header, _, payload = url[5:].partition(",")
    media_type, *parameters = header.split(";") if header else ["text/plain"]
    if parameters and parameters[-1].strip().lower() == "base64":
        try:
            return base64.b64decode(payload, validate=True), media_type or "text/plain"
        except binascii.Error as error:
            raise FetchRefused("A data: URI in the report is not valid base64.") from error
    return unquote_to_bytes(payload), media_type or "text/plain"


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class DataOnlyFetcher(URLFetcher):
        """Never opens a network connection or a file: decodes data: URIs itself."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            body, media_type = decode_data_uri(url)
            return URLFetcherResponse(url, body, {"Content-Type": media_type})

    return DataOnlyFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def _fonts() -> Any:
    """One FontConfiguration for the process: a new one per render leaks memory."""
    global _font_config
    with _lock:
        if _font_config is None:
            from weasyprint.text.fonts import FontConfiguration

            _font_config = FontConfiguration()
        return _font_config


# Tagged (PDF/UA-1): a structure tree of headings, lists, tables and figures with their alt
# text, the language from <html lang>, the title from <title>. Screen readers need all of it.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str) -> bytes:
    """An A4 tagged PDF of the given HTML, which must carry its own styles."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=None, url_fetcher=_fetcher())
    # No attachments, no custom metadata: the title comes from <title>, nothing else is added.
    return document.write_pdf(
        font_config=_fonts(), attachments=None, custom_metadata=False, pdf_variant=PDF_VARIANT
    )
