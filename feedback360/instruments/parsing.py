"""YAML text to plain data, remembering the line of every value.

YAML is read node by node (not with `yaml.safe_load`) so that each value keeps the line it came
from and a key written twice in one mapping is caught: PyYAML would silently keep the last.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .findings import Findings, Location, describe

MAX_NODES = 20_000  # far above any real instrument; stops an alias bomb from eating memory


def parse_yaml(text: str, findings: Findings) -> Any:
    """The document as plain data, or None when it cannot be read (the problem is recorded)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is None:
            findings.add_at_line(1, "the file is empty")
            return None
        return node_to_data(root, (), findings, set())
    except yaml.MarkedYAMLError as error:
        findings.add_at_line(*syntax_problem(error))
    except yaml.YAMLError as error:  # e.g. a control character, reported by position only
        line = text[: getattr(error, "position", 0)].count("\n") + 1
        findings.add_at_line(line, f"invalid YAML: {str(error).splitlines()[0]}")
    except RecursionError:
        findings.add_at_line(1, "invalid YAML: lists or mappings nested too deeply")
    return None


def syntax_problem(error: yaml.MarkedYAMLError) -> tuple[int, str]:
    mark, context = error.problem_mark or error.context_mark, error.context_mark
    message = f"invalid YAML: {error.problem or error.context}"
    # Where it went wrong is the problem mark; an unclosed quote or bracket starts earlier.
    if error.problem and error.context and context and mark and context.line != mark.line:
        message += f" ({error.context} on line {context.line + 1})"
    return (mark.line + 1 if mark else 1), message


def node_to_data(node: Node, loc: Location, findings: Findings, open_nodes: set[int]) -> Any:
    findings.lines.setdefault(loc, node.start_mark.line + 1)
    findings.nodes_read += 1
    if findings.nodes_read > MAX_NODES:
        if findings.nodes_read == MAX_NODES + 1:  # say it once, not for every value after
            findings.add(loc, f"more than {MAX_NODES} values; check anchors and aliases")
        return None
    if isinstance(node, ScalarNode):
        return scalar_to_data(node, loc, findings)
    if id(node) in open_nodes:  # an alias inside the node it refers to: would never end
        findings.add(loc, "an alias refers to a value that contains it")
        return None
    open_nodes.add(id(node))
    try:
        if isinstance(node, SequenceNode):
            return [
                node_to_data(n, (*loc, i), findings, open_nodes) for i, n in enumerate(node.value)
            ]
        return mapping_to_data(node, loc, findings, open_nodes)
    finally:
        open_nodes.discard(id(node))


def mapping_to_data(
    node: MappingNode, loc: Location, findings: Findings, open_nodes: set[int]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, ScalarNode):
            findings.add_at_line(line, f"{describe(loc) or 'top level'}: a key must be plain text")
            continue
        here = (*loc, key_node.value)
        if key_node.value in result:
            first = findings.lines[here]
            findings.add_at_line(line, f"{describe(here)}: duplicate key (first on line {first})")
            continue
        findings.lines[here] = line
        result[key_node.value] = node_to_data(value_node, here, findings, open_nodes)
    return result


def scalar_to_data(node: ScalarNode, loc: Location, findings: Findings) -> Any:
    try:
        return SafeConstructor().construct_object(node)
    except Exception:  # odd input makes PyYAML's constructors raise IndexError, ValueError...
        tag = node.tag.removeprefix("tag:yaml.org,2002:")
        findings.add(loc, f"cannot read this value as {tag}")
        return None
