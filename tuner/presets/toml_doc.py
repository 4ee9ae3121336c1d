"""A preset's TOML document: written fresh with a comment per param, or written over the file it
replaces so that a person's comments, key order and formatting survive a save."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import tomli_w

from tuner.params import PARAM_NAMES, SPECS, Value

if TYPE_CHECKING:
    from tuner.presets.preset import Preset


def comment(key: str) -> str:
    """The comment a fresh document puts after a param: unit, range and help."""
    spec = SPECS[key]
    parts = [p for p in (spec.unit, spec.range_text) if p and spec.kind != "boolean"]
    note = f"{', '.join(parts)}; " if parts else ""
    return f"# {note}{spec.help}"


def toml_value(value: Value) -> str:
    return tomli_w.dumps({"v": value}).partition("=")[2].strip()


def _meta(preset: Preset, flatten: bool) -> dict[str, str]:
    meta: dict[str, str] = {}
    if preset.description:
        meta["description"] = preset.description
    if preset.extends and not flatten:
        meta["extends"] = preset.extends
    return meta


def render(preset: Preset, *, flatten: bool = False) -> str:
    """A fresh preset file that loads back to the same values (see `Preset.to_toml`)."""
    meta = _meta(preset, flatten)
    values = preset.params.values() if flatten else preset.written()
    out = []
    if meta:
        out.append(tomli_w.dumps({"preset": meta}).rstrip())
        out.append("")
    out.append("[params]")
    # Align the comments, but not past a long string value.
    width = min(max((len(k) + len(toml_value(v)) for k, v in values.items()), default=0) + 3, 36)
    for key, value in values.items():
        assignment = f"{key} = {toml_value(value)}"
        out.append(f"{assignment.ljust(width)}  {comment(key)}")
    return "\n".join(out) + "\n"


def update(preset: Preset, base: str) -> str:
    """`preset` written over `base` (the file it replaces), changing only what differs.

    Values that did not change keep their text; changed ones keep their comment; a param no
    longer set goes with its line; a new param goes where a person would put it, after the
    param before it in the model's order, with the comment a fresh file would give it. Text
    that cannot be edited this way (not TOML, params written as dotted keys...) gives a fresh
    document; so does any result that would not load back to exactly the preset's values.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    values = preset.written()
    meta = _meta(preset, flatten=False)
    try:
        doc = tomlkit.parse(base)
        _update_table(doc, "preset", meta, ordered=False)
        _update_table(doc, "params", values, ordered=True)
        text = doc.as_string()
        again = tomllib.loads(text)
    except (TOMLKitError, tomllib.TOMLDecodeError, TypeError, ValueError, KeyError):
        return render(preset)
    if _same(again.get("params", {}), values) and again.get("preset", {}) == meta:
        return text if text.endswith("\n") else text + "\n"
    return render(preset)


def _same(a: dict[str, Any], b: dict[str, Value]) -> bool:
    """Equal values of equal types (TOML `1` is not `1.0`, nor `true`)."""
    return a.keys() == b.keys() and all(type(a[k]) is type(b[k]) and a[k] == b[k] for k in b)


def _update_table(doc: Any, name: str, values: Mapping[str, Value], *, ordered: bool) -> None:
    import tomlkit
    from tomlkit.items import Table

    created = name not in doc
    if created:
        if not values:
            return
        table = tomlkit.table()
        if name == "preset" and len(doc.body) > 0:
            # [preset] comes first, as in every preset file; a heading comment stays on top.
            at = 0
            while at < len(doc.body) and doc.body[at][0] is None:
                at += 1
            if at < len(doc.body):
                doc._insert_at(at, name, table)
            else:
                doc.append(name, table)
        else:
            doc.append(name, table)
    table = doc[name]
    if not isinstance(table, Table) or table.is_super_table():
        raise TypeError(f"[{name}] is not a plain table")
    for key in [k for k in table if k not in values]:
        _remove(table, key)
    if name == "preset" and not values:
        del doc[name]  # nothing left to say in it
        return
    for key, value in values.items():
        if key in table:
            old = table[key]
            if not (type(old.unwrap()) is type(value) and old.unwrap() == value):
                table[key] = value
            continue
        _insert(table, key, value, ordered)
    if created and name == "preset":
        table.add(tomlkit.nl())  # a blank line before the table that follows


def _insert(table: Any, key: str, value: Value, ordered: bool) -> None:
    """Put a new key after the key before it in the model's order, else before the one after."""
    import tomlkit

    item = tomlkit.item(value)
    if key in SPECS:
        item.comment(comment(key).removeprefix("# "))
        item.trivia.comment_ws = "  "
    container = table.value
    keys = [k for k in table if k in SPECS] if ordered else []
    if ordered and keys:
        rank = PARAM_NAMES.index(key)
        before = [k for k in keys if PARAM_NAMES.index(k) < rank]
        anchor = max(before, key=PARAM_NAMES.index) if before else None
        if anchor is not None:
            at = _index(container, anchor) + 1
        else:
            at = _index(container, keys[0])
            # Keep the comment lines written above the first key with that key.
            while at > 0 and container.body[at - 1][0] is None:
                at -= 1
        if at < len(container.body):
            container._insert_at(at, key, item)
            return
    table.add(key, item)


def _remove(table: Any, key: str) -> None:
    """Delete a key with the comment lines written just above it (they were about it)."""
    from tomlkit.items import Comment

    container = table.value
    at = _index(container, key)
    start = at
    while start > 0 and container.body[start - 1][0] is None:
        if not isinstance(container.body[start - 1][1], Comment):
            break
        start -= 1
    for _ in range(at - start):
        del container.body[start]
        # Later items moved up: the map of key -> index must follow.
        for k, v in container._map.items():
            if isinstance(v, tuple):
                container._map[k] = tuple(i - 1 if i > start else i for i in v)
            elif v > start:
                container._map[k] = v - 1
    del table[key]


def _index(container: Any, key: str) -> int:
    for i, (k, _) in enumerate(container.body):
        if k is not None and k.key == key:
            return i
    raise KeyError(key)
