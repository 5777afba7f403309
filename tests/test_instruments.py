"""Instruments: the shipped YAML files, snapshots, and a clear file:line for every mistake."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from feedback360.instruments.findings import InstrumentError, Problem
from feedback360.instruments.loading import (
    DEFAULT_DIRECTORY,
    check_files,
    load_instrument,
    load_instruments,
)
from feedback360.instruments.model import Instrument
from feedback360.instruments.snapshots import instrument_from_dict, instrument_to_dict

FIXTURES = Path(__file__).parent / "fixtures" / "instruments"
SHIPPED = ("frontline", "manager")
CAPABILITY_ORDER = (
    "vision",
    "self_leadership",
    "motivating_inspiring",
    "empowering",
    "collaborating_influencing",
    "creativity_innovation",
)
# The fixtures are small on purpose, so each also breaks the two size rules, on this line.
SIZE_RULES = (
    "capabilities: expected 6 capabilities, got 1",
    "capabilities: 3 rating items in all; an instrument needs 24 to 36",
)


def shipped(key: str) -> Instrument:
    return load_instrument(DEFAULT_DIRECTORY / f"{key}.yaml")


def fixture(name: str) -> str:
    return str(FIXTURES / f"{name}.yaml")


def problems_besides_size(name: str) -> list[str]:
    lines, ok = check_files([fixture(name)])
    assert ok is False
    return [line for line in lines if not line.endswith(SIZE_RULES)]


# --- the shipped instruments ---------------------------------------------------------------


def test_default_directory_holds_both_instruments():
    instruments = load_instruments(DEFAULT_DIRECTORY)

    assert list(instruments) == list(SHIPPED)
    assert all(instrument.version == 1 for instrument in instruments.values())


@pytest.mark.parametrize("key", SHIPPED)
def test_shipped_instrument_has_the_six_capabilities_in_order(key: str):
    instrument = shipped(key)

    assert instrument.key == key
    assert tuple(capability.key for capability in instrument.capabilities) == CAPABILITY_ORDER


@pytest.mark.parametrize("key", SHIPPED)
def test_shipped_instrument_has_a_rater_friendly_number_of_items(key: str):
    instrument = shipped(key)

    assert 24 <= len(instrument.items) <= 36
    assert all(len(capability.items) >= 3 for capability in instrument.capabilities)


@pytest.mark.parametrize("key", SHIPPED)
def test_every_indicator_is_asked_about(key: str):
    for capability in shipped(key).capabilities:
        used = {item.indicator for item in capability.items}
        assert used == {indicator.key for indicator in capability.indicators}


@pytest.mark.parametrize("key", SHIPPED)
def test_wording_is_first_person_for_self_and_third_person_for_colleagues(key: str):
    for item in shipped(key).items:
        assert item.self_text.startswith("I ")
        assert item.colleague_text.startswith("This person ")
        assert item.self_text.endswith(".") and item.colleague_text.endswith(".")


@pytest.mark.parametrize("key", SHIPPED)
def test_item_keys_start_with_their_capability_abbreviation(key: str):
    abbreviations = ("vis_", "self_", "mot_", "emp_", "col_", "cre_")
    prefixes = dict(zip(CAPABILITY_ORDER, abbreviations, strict=True))
    for capability in shipped(key).capabilities:
        assert all(item.key.startswith(prefixes[capability.key]) for item in capability.items)


@pytest.mark.parametrize("key", SHIPPED)
def test_scale_runs_on_frequency_with_a_separate_not_observed(key: str):
    scale = shipped(key).scale

    assert [point.value for point in scale.points] == [1, 2, 3, 4, 5]
    assert [point.label for point in scale.points] == [
        "Almost never",
        "Rarely",
        "Sometimes",
        "Often",
        "Almost always",
    ]
    assert scale.not_observed_label == "Not observed / don't know"


@pytest.mark.parametrize("key", SHIPPED)
def test_two_overall_questions(key: str):
    questions = shipped(key).questions

    assert [question.key for question in questions] == ["does_well", "even_more_effective"]


def test_manager_instrument_follows_the_sssc_manager_indicators():
    # As listed at the end of the 23 Things source: 4 + 5 + 3 + 4 + 3 + 3 = 22 indicators.
    manager = shipped("manager")

    assert [len(capability.indicators) for capability in manager.capabilities] == [4, 5, 3, 4, 3, 3]
    names = {
        indicator.name for capability in manager.capabilities for indicator in capability.indicators
    }
    assert "Enabling intelligent risk-taking" in names
    assert "Understanding and valuing the perspectives of others" in names


def test_check_files_summarises_each_shipped_instrument():
    paths = [DEFAULT_DIRECTORY / f"{key}.yaml" for key in SHIPPED]

    lines, ok = check_files(paths)

    assert ok is True
    assert lines == [
        "frontline v1: 6 capabilities, 23 indicators, 31 items",
        "manager v1: 6 capabilities, 22 indicators, 31 items",
    ]


# --- snapshots ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", SHIPPED)
def test_snapshot_round_trips_through_json(key: str):
    instrument = shipped(key)

    snapshot = json.loads(json.dumps(instrument_to_dict(instrument)))

    assert instrument_from_dict(snapshot) == instrument


@pytest.mark.parametrize("key", SHIPPED)
def test_snapshot_has_the_shape_of_the_yaml_file(key: str, write_yaml):
    instrument = shipped(key)

    assert load_instrument(write_yaml(instrument_to_dict(instrument))) == instrument


def test_snapshot_is_not_judged_by_the_rules_for_new_files():
    # A past round stays readable even if the item-count rules are tightened later.
    small = instrument_to_dict(shipped("frontline"))
    small["capabilities"] = small["capabilities"][:1]

    assert len(instrument_from_dict(small).items) == 5


def test_broken_snapshot_raises_with_the_place_of_each_problem():
    snapshot = instrument_to_dict(shipped("manager"))
    del snapshot["title"]
    snapshot["capabilities"][0]["items"][0]["indicator"] = "nowhere"

    with pytest.raises(InstrumentError) as raised:
        instrument_from_dict(snapshot)

    assert str(raised.value).splitlines() == [
        "<snapshot>:0: missing required field 'title'",
        "<snapshot>:0: capabilities[0].items[0].indicator: unknown indicator 'nowhere' "
        "(this capability has: vis_difference, vis_ownership, vis_public_service, vis_strategic)",
    ]


def test_snapshot_that_is_not_a_mapping_raises():
    with pytest.raises(InstrumentError, match="got a list"):
        instrument_from_dict([])


# --- malformed files: path:line: message, never a traceback ---------------------------------


def test_small_fixture_breaks_only_the_size_rules():
    assert problems_besides_size("valid_small") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad_syntax", ["4: invalid YAML: mapping values are not allowed here"]),
        ("empty", ["1: the file is empty"]),
        ("wrong_type", ["3: version: expected a whole number, got text ('one')"]),
        (
            "duplicate_mapping_key",
            ["30: capabilities[0].items[1].self: duplicate key (first on line 29)"],
        ),
        (
            "duplicate_item_key",
            ["27: capabilities[0].items[1].key: duplicate item key 'vis_one' (first at line 23)"],
        ),
        (
            "unknown_indicator",
            [
                "32: capabilities[0].items[2].indicator: unknown indicator 'vis_worse' "
                "(this capability has: vis_better)"
            ],
        ),
        (
            "unused_indicator",
            ["22: capabilities[0].indicators[1]: indicator 'vis_unused' is not used by any item"],
        ),
        (
            "scale_out_of_range",
            ["13: scale.points[4].value: 6 is out of range; the values are 1 to 5"],
        ),
        (
            "missing_wording",
            [
                "25: capabilities[0].items[0].self: must not be blank",
                "31: capabilities[0].items[2]: missing required field 'colleague'",
            ],
        ),
        (
            "unknown_field",
            [
                "16: capabilities[0]: missing required field 'description'",
                "18: capabilities[0].descripton: unknown field; did you mean 'description'?",
            ],
        ),
        (
            "bad_key",
            [
                "27: capabilities[0].items[1].key: 'Vis-Two' is not a valid key; "
                "use 2 to 49 lowercase letters, digits and _, starting with a letter"
            ],
        ),
        (
            "not_a_mapping",
            [
                "2: expected a mapping with key, version, title, audience, intro, scale, "
                "capabilities, questions; got a list"
            ],
        ),
    ],
)
def test_malformed_file_reports_the_right_line(name: str, expected: list[str]):
    assert problems_besides_size(name) == [f"{fixture(name)}:{line}" for line in expected]


def test_load_instrument_raises_with_every_problem():
    with pytest.raises(InstrumentError) as raised:
        load_instrument(fixture("unknown_field"))

    problems = raised.value.problems
    assert all(isinstance(problem, Problem) for problem in problems)
    assert [problem.line for problem in problems] == [15, 15, 16, 18]
    assert str(raised.value).splitlines()[-1] == str(problems[-1])


def write(tmp_path: Path, text: str | bytes, name: str = "broken.yaml") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def write_yaml(tmp_path: Path):
    def write_data(data: dict) -> str:
        path = tmp_path / "from_data.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return str(path)

    return write_data


def test_file_with_only_comments_is_empty(tmp_path: Path):
    path = write(tmp_path, "# nothing yet\n")

    assert check_files([path]) == ([f"{path}:1: the file is empty"], False)


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path):
    path = str(tmp_path / "nowhere.yaml")

    lines, ok = check_files([path])

    assert ok is False
    assert lines[0].startswith(f"{path}:0: cannot read the file")


def test_text_that_is_not_utf8_names_its_line(tmp_path: Path):
    path = write(tmp_path, b"key: tiny\ntitle: caf\xe9\n")

    assert check_files([path]) == ([f"{path}:2: the file is not UTF-8 text"], False)


def test_unclosed_quote_names_the_line_it_opened_on(tmp_path: Path):
    path = write(tmp_path, 'key: tiny\ntitle: "Tiny\nversion: 1\n')

    lines, _ = check_files([path])

    assert lines == [
        f"{path}:4: invalid YAML: found unexpected end of stream "
        "(while scanning a quoted scalar on line 2)"
    ]


def test_deep_nesting_is_a_problem_not_a_recursion_error(tmp_path: Path):
    path = write(tmp_path, "key: " + "[" * 5000 + "]" * 5000 + "\n")

    lines, _ = check_files([path])

    assert lines == [f"{path}:1: invalid YAML: lists or mappings nested too deeply"]


def test_questions_must_be_exactly_two(write_yaml):
    snapshot = instrument_to_dict(shipped("frontline"))
    snapshot["questions"].append({"key": "third", "self": "Anything else?", "colleague": "Else?"})
    lines, ok = check_files([write_yaml(snapshot)])

    assert ok is False
    assert any(
        line.endswith("questions: expected exactly 2 overall questions, got 3") for line in lines
    )


def test_alias_inside_itself_does_not_hang(tmp_path: Path):
    path = write(tmp_path, "key: &loop [*loop]\n")

    lines, _ = check_files([path])

    assert f"{path}:1: key[0]: an alias refers to a value that contains it" in lines


def test_alias_bomb_is_refused(tmp_path: Path):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 7)]
    path = write(tmp_path, "\n".join(levels) + "\n")

    lines, ok = check_files([path])

    assert ok is False
    assert any("more than 20000 values" in line for line in lines)


def test_unknown_yaml_tag_is_a_problem(tmp_path: Path):
    path = write(tmp_path, "key: !!python/name:os.system tiny\n")

    lines, _ = check_files([path])

    assert lines[0].startswith(f"{path}:1: key: cannot read this value")


def test_two_files_with_one_key_are_refused(tmp_path: Path):
    shutil.copy(DEFAULT_DIRECTORY / "manager.yaml", tmp_path / "a.yaml")
    shutil.copy(DEFAULT_DIRECTORY / "manager.yaml", tmp_path / "b.yaml")

    with pytest.raises(InstrumentError) as raised:
        load_instruments(tmp_path)

    expected = (
        f"{tmp_path / 'b.yaml'}:13: key: 'manager' is already the key of {tmp_path / 'a.yaml'}"
    )
    assert str(raised.value) == expected


def test_directory_without_instruments_is_refused(tmp_path: Path):
    with pytest.raises(InstrumentError, match="no instrument files"):
        load_instruments(tmp_path)


def test_check_files_reports_good_and_bad_files_together():
    lines, ok = check_files([DEFAULT_DIRECTORY / "manager.yaml", fixture("empty")])

    assert ok is False
    assert lines == [
        "manager v1: 6 capabilities, 22 indicators, 31 items",
        f"{fixture('empty')}:1: the file is empty",
    ]


def test_check_files_with_nothing_to_check_is_not_ok():
    assert check_files([]) == (["no instrument files to check"], False)
