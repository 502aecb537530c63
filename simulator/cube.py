"""Table variables and the one operation every answer needs: summing leaves into values.

Each simulated table keeps its numbers as an array of *leaves* (the finest categories, one
axis per variable). A value such as a region, a total or an age band is a set of leaves, so
any selection is answered by multiplying the array with one 0/1 matrix per axis.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")


@dataclass(frozen=True)
class Value:
    """One category of a variable, with its text in the provider's language and English."""

    id: str
    text: str
    text_en: str

    def label(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text


@dataclass(frozen=True)
class Variable:
    """A table variable: its values in metadata order and the leaves each value sums."""

    code: str
    text: str
    text_en: str
    values: tuple[Value, ...]
    parts: dict[str, tuple[int, ...]]  # value id -> positions on the leaf axis
    n_leaves: int
    elimination: bool = True
    total: str | None = None  # value standing for the variable when it is eliminated
    time: bool = False
    map: str | None = None  # Statistics Denmark's map name; marks the geography variable
    by_id: dict[str, Value] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update({v.id: v for v in self.values})

    @property
    def ids(self) -> list[str]:
        return [v.id for v in self.values]

    def label(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text

    def matrix(self, ids: Sequence[str]) -> np.ndarray:
        """0/1 matrix (len(ids), n_leaves): row i marks the leaves summed by ids[i]."""
        m = np.zeros((len(ids), self.n_leaves))
        for row, value_id in enumerate(ids):
            m[row, list(self.parts[value_id])] = 1.0
        return m

    def eliminated(self) -> np.ndarray:
        """The one-row matrix used when the variable is left out of a request."""
        if self.total is not None:
            return self.matrix([self.total])
        return np.ones((1, self.n_leaves))


def variable(
    code: str,
    text: tuple[str, str],
    values: Iterable[tuple[str, str, str]],
    leaves: Sequence[str],
    groups: Mapping[str, Sequence[str]] | None = None,
    **options: Any,
) -> Variable:
    """Build a Variable from (id, text, English text) triples.

    `leaves` names the values that are leaves, in axis order; `groups` maps every other value
    to the leaves it sums (a value missing from both is a total of all leaves).
    """
    position = {leaf: i for i, leaf in enumerate(leaves)}
    groups = groups or {}
    vals = tuple(Value(*v) for v in values)
    parts: dict[str, tuple[int, ...]] = {}
    for v in vals:
        if v.id in position:
            parts[v.id] = (position[v.id],)
        elif v.id in groups:
            parts[v.id] = tuple(position[leaf] for leaf in groups[v.id])
        else:
            parts[v.id] = tuple(range(len(leaves)))
    return Variable(code, text[0], text[1], vals, parts, len(leaves), **options)


def aggregate(cube: np.ndarray, matrices: Sequence[np.ndarray]) -> np.ndarray:
    """Sum the leaves of `cube` into the selected values, one 0/1 matrix per axis.

    Leaves no matrix uses are dropped first (cheap and it shrinks the work); the axes that
    shrink most are then summed first. The result is float64 holding exact integers.
    """
    mats = list(matrices)
    for axis, m in enumerate(mats):
        used = np.flatnonzero(m.any(axis=0))
        if len(used) < cube.shape[axis]:
            cube = np.take(cube, used, axis=axis)
            mats[axis] = m[:, used]
    result = np.asarray(cube, dtype=np.float64)
    for axis in sorted(range(len(mats)), key=lambda ax: mats[ax].shape[0] / mats[ax].shape[1]):
        m = mats[axis]
        if m.shape[0] == m.shape[1] and np.array_equal(m, np.eye(m.shape[0])):
            continue
        result = _apply(m, result, axis)
    return result


def _apply(m: np.ndarray, cube: np.ndarray, axis: int) -> np.ndarray:
    """One axis summed into the rows of `m`: rows of a single leaf are picked, not multiplied
    (a request for many municipalities is mostly such rows)."""
    single = m.sum(axis=1) == 1
    if not single.all():
        summed = np.moveaxis(np.tensordot(m[~single], cube, axes=([1], [axis])), 0, axis)
        if not single.any():
            return summed
    picked = np.take(cube, m[single].argmax(axis=1), axis=axis)
    if single.all():
        return picked
    shape = list(cube.shape)
    shape[axis] = m.shape[0]
    out = np.empty(shape)
    index: list[slice | np.ndarray] = [slice(None)] * cube.ndim
    index[axis] = np.flatnonzero(single)
    out[tuple(index)] = picked
    index[axis] = np.flatnonzero(~single)
    out[tuple(index)] = summed
    return out


def band_matrix(bands: Sequence[range], n_ages: int) -> np.ndarray:
    """0/1 matrix (len(bands), n_ages) summing single years of age into bands."""
    m = np.zeros((len(bands), n_ages))
    for row, band in enumerate(bands):
        m[row, band.start : min(band.stop, n_ages)] = 1.0
    return m


def join_texts(texts: Sequence[str], last: str) -> str:
    """ "a, b and c" with the language's word for "and" given as `last` (" og ", " and ")."""
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + last + texts[-1]


def by_variables(lang: str, variables: Sequence[Variable], by: str) -> str:
    """ "efter område, herkomst og tid": the word for "by" (`by` in Danish or Norwegian) and
    the variables' labels, as a table's title ends."""
    word, last = ("by", " and ") if lang == "en" else (by, " og ")
    return f"{word} {join_texts([v.label(lang) for v in variables], last)}"


def read_rows(name: str) -> list[dict[str, str]]:
    """The rows of a CSV file kept beside this module (lines starting "#" are its notes)."""
    with (Path(__file__).parent / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def find_variable(variables: Sequence[Variable], code: str) -> Variable | None:
    """The variable with this code; both servers also accept it in another case."""
    return next((v for v in variables if v.code.lower() == code.lower()), None)


_cache: dict[tuple[Any, ...], Any] = {}
_cache_lock = threading.RLock()  # a release builds on the current release's leaves


def cached(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """Build a table's leaf array once per (table, seed) and share it between threads."""
    with _cache_lock:
        if key not in _cache:
            _cache[key] = build()
        return _cache[key]  # type: ignore[no-any-return]
