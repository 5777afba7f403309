"""The evidence tests build closed rounds and check the page the way the giveaway tests do.

pytest only puts a folder it collects from on sys.path, so the helpers' folders go on it here.
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
for folder in ("surveys", "reports"):
    if str(TESTS / folder) not in sys.path:
        sys.path.insert(0, str(TESTS / folder))
