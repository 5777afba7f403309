"""An instrument to and from the JSON-safe snapshot a round keeps of it."""

from __future__ import annotations

import copy
from typing import Any

from .checks import check_structure
from .findings import Findings, InstrumentError
from .loading import build_instrument
from .model import Capability, Instrument

SNAPSHOT = "<snapshot>"
# Every rater page and every send rebuilds its round's instrument from the snapshot, and a
# snapshot never changes once taken, so the last few rebuilt are kept (issue 7 measured the
# rebuild at about a tenth of a send). A kept one is used only when the whole snapshot is equal
# to a private copy of the one it was built from, so an edited snapshot is never mistaken for it.
REBUILT_KEPT = 32
_rebuilt: dict[str, tuple[Any, Instrument]] = {}


def instrument_from_dict(data: Any) -> Instrument:
    """Rebuild an instrument from its snapshot (see `instrument_to_dict`).

    Only the structure is checked, not the rules for shipped files (item counts, key format):
    a past round must stay readable even if those rules are tightened later.
    """
    name = _snapshot_name(data)
    kept = _rebuilt.get(name)
    if kept is not None and kept[0] == data:
        return kept[1]
    findings = Findings(SNAPSHOT)
    check_structure(data, findings)
    if findings.problems:
        raise InstrumentError(findings.problems)
    instrument = build_instrument(data)
    _keep_rebuilt(name, data, instrument)
    return instrument


def _snapshot_name(data: Any) -> str:
    return repr((data.get("key"), data.get("version"))) if isinstance(data, dict) else ""


def _keep_rebuilt(name: str, data: Any, instrument: Instrument) -> None:
    if len(_rebuilt) >= REBUILT_KEPT:
        _rebuilt.pop(next(iter(_rebuilt), ""), None)  # the oldest; threads may race to it
    _rebuilt[name] = (copy.deepcopy(data), instrument)


def instrument_to_dict(instrument: Instrument) -> dict[str, Any]:
    """The instrument as JSON-safe data in the YAML file's shape: the snapshot kept on a round."""
    return {
        "key": instrument.key,
        "version": instrument.version,
        "title": instrument.title,
        "audience": instrument.audience,
        "intro": instrument.intro,
        "scale": {
            "points": [{"value": p.value, "label": p.label} for p in instrument.scale.points],
            "not_observed": instrument.scale.not_observed_label,
        },
        "capabilities": [capability_to_dict(capability) for capability in instrument.capabilities],
        "questions": [
            {"key": q.key, "self": q.self_text, "colleague": q.colleague_text}
            for q in instrument.questions
        ],
    }


def capability_to_dict(capability: Capability) -> dict[str, Any]:
    return {
        "key": capability.key,
        "name": capability.name,
        "description": capability.description,
        "comment_prompt": capability.comment_prompt,
        "indicators": [{"key": i.key, "name": i.name} for i in capability.indicators],
        "items": [
            {
                "key": i.key,
                "indicator": i.indicator,
                "self": i.self_text,
                "colleague": i.colleague_text,
            }
            for i in capability.items
        ],
    }
