"""Decode JSON-stat 1.0 / 2.0 into a tidy pandas DataFrame, keeping each cell's status symbol.

One row per cell: a column per dimension (category codes, in dimension order), then
``value`` (float64, NaN where missing) and ``status`` (the symbol such as "..", ":" or None).

Dimension columns are pandas Categoricals whose categories are the codes as str, in the
dimension's index order. They behave as str where it matters: ``df["Region"] == "0301"``,
``isin``, ``.str``, ``.tolist()`` (plain str) and ``.astype(str)`` all work on the codes.
Two differences to know: assigning a code that is not a category raises (use
``.astype(str)`` first), and DuckDB stores a Categorical as ENUM unless the column is cast
(``CAST(col AS VARCHAR)`` or ``.astype(str)``) on the way in.

JSON-stat stores the cube as one flat row-major array: the last dimension varies fastest. So
the dimension columns never need a per-cell loop: the codes of dimension i repeat
``prod(sizes after i)`` times in a run, and the runs repeat ``prod(sizes before i)`` times;
numpy broadcasting writes that pattern in one step per dimension.

Shapes understood:
- 1.0 dataset, bare or wrapped as ``{"dataset": {...}}`` (Statistics Denmark), with id, size and
  role inside ``dimension``;
- 1.0 bundle ``{"name1": {...}, "name2": {...}}``;
- 2.0 ``class: "dataset"`` with id, size and role at dataset level (Statistics Norway);
- 2.0 ``class: "collection"`` that embeds datasets (``decode_all``).
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

log = logging.getLogger(__name__)

VALUE = "value"
STATUS = "status"

# What pandas' infer_dtype may call a list of JSON numbers and nulls; anything else
# (strings, booleans, objects) is not a number.
_NUMERIC_KINDS = {"integer", "floating", "mixed-integer-float", "empty"}
_KNOWN_MAJOR_VERSIONS = {1, 2}

Json = dict[str, Any]


class JsonStatError(ValueError):
    """The input is not a JSON-stat dataset this decoder can read; the message says why."""


@dataclass(frozen=True)
class DimensionInfo:
    """One dimension: its label and its categories as code -> label, in index order."""

    label: str
    categories: dict[str, str]


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset's metadata, without its values (for provenance and validation)."""

    label: str | None
    source: str | None
    updated: str | None
    ids: list[str]
    # As the document declares them; normally equal to the category counts.
    sizes: list[int]
    dimensions: dict[str, DimensionInfo]
    role: dict[str, list[str]]


# ---------------------------------------------------------------------------------------------
# Public API


def decode(data: bytes | str | dict[str, Any]) -> pd.DataFrame:
    """Decode one JSON-stat dataset into a DataFrame: dimension columns, ``value``, ``status``.

    ``data`` is JSON text (str or bytes) or the already parsed object. Dimension columns hold
    the category codes as Categoricals of str (see the module docstring), ``value`` is float64
    with NaN for missing cells, ``status`` (object dtype) holds the status symbol or None.

    A bundle or collection holding exactly one dataset decodes to that dataset; with several,
    use ``decode_all``. Raises ``JsonStatError`` for anything that is not a readable dataset.
    """
    datasets = _find_datasets(_parse(data))
    name, dataset = _single(datasets)
    return _decode_dataset(name, dataset)


def decode_all(data: bytes | str | dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Decode every dataset of a 1.0 bundle or a 2.0 collection, keyed by name.

    Names are the bundle keys (a wrapped 1.0 response gives ``"dataset"``), for a collection
    the item's href or label. A single dataset is returned as a one-entry dict.
    """
    datasets = _find_datasets(_parse(data))
    return {name: _decode_dataset(name, dataset) for name, dataset in datasets.items()}


def dataset_info(data: bytes | str | dict[str, Any]) -> DatasetInfo:
    """Read the metadata of one dataset (label, source, updated, dimensions, role).

    Works without ``value`` too, so a metadata-only answer can be inspected.
    """
    name, dataset = _single(_find_datasets(_parse(data)))
    return _read_structure(name, dataset)[0]


# ---------------------------------------------------------------------------------------------
# Finding the datasets in a document


def _parse(data: bytes | str | dict[str, Any]) -> Json:
    if isinstance(data, dict):
        return data
    if isinstance(data, str) and data.startswith("\ufeff"):
        data = data[1:]  # a byte-order mark survives some proxies; json.loads rejects it
    try:
        doc = json.loads(data)
    except (TypeError, ValueError) as e:
        raise JsonStatError(f"not valid JSON: {e}") from e
    if not isinstance(doc, dict):
        raise JsonStatError(f"expected a JSON object at the top, got {type(doc).__name__}")
    return doc


def _check_version(doc: Json) -> None:
    version = doc.get("version")
    if version is None:
        return  # 1.0 has no version member
    try:
        major = math.floor(float(str(version)))
    except ValueError:
        major = -1
    if major not in _KNOWN_MAJOR_VERSIONS:
        raise JsonStatError(
            f"unknown JSON-stat version {version!r}: this decoder reads versions 1.x and 2.0"
        )


def _find_datasets(doc: Json) -> dict[str, Json]:
    """Name -> dataset object for every dataset the document holds (at least one)."""
    _check_version(doc)
    klass = doc.get("class")
    if klass == "dataset":
        return {"dataset": doc}
    if klass == "collection":
        return _collection_datasets(doc)
    if klass == "dimension":
        raise JsonStatError(
            "this is a dimension document, not a dataset: it holds categories but no values"
        )
    if klass is not None:
        raise JsonStatError(f"unknown JSON-stat class {klass!r}; expected 'dataset'")
    if "dimension" in doc:
        return {"dataset": doc}  # a bare 1.0 dataset
    # A 1.0 bundle: every member that looks like a dataset. The DST wrapper {"dataset": ...}
    # is just a bundle of one.
    bundle = {k: v for k, v in doc.items() if isinstance(v, dict) and "dimension" in v}
    if not bundle:
        raise JsonStatError(
            "no JSON-stat dataset found: expected 'class', a 'dimension' member, "
            f"or a bundle of datasets (top-level keys: {sorted(doc)})"
        )
    for dataset in bundle.values():
        _check_version(dataset)
    return bundle


def _collection_datasets(collection: Json) -> dict[str, Json]:
    found, links = _embedded_datasets(collection)
    if not found:
        raise JsonStatError(
            f"collection holds links only, no data ({links} linked items): "
            "fetch each item's href and decode that instead"
        )
    if links:
        log.info("collection: decoded %d embedded datasets, skipped %d links", len(found), links)
    return found


def _embedded_datasets(collection: Json) -> tuple[dict[str, Json], int]:
    """Datasets embedded in a collection (also in nested ones) and the number of bare links."""
    found: dict[str, Json] = {}
    links = 0
    for i, item in enumerate(collection.get("link", {}).get("item", [])):
        if item.get("class") == "dataset" and "dimension" in item:
            name = str(item.get("href") or item.get("label") or f"dataset{i}")
            found[name if name not in found else f"{name}#{i}"] = item
        elif item.get("class") == "collection" and "link" in item:
            nested, nested_links = _embedded_datasets(item)
            found.update({k: v for k, v in nested.items() if k not in found})
            links += nested_links
        else:
            links += 1
    return found, links


def _single(datasets: dict[str, Json]) -> tuple[str, Json]:
    if len(datasets) > 1:
        raise JsonStatError(
            f"the document holds {len(datasets)} datasets ({', '.join(datasets)}); "
            "use decode_all() to decode them all"
        )
    return next(iter(datasets.items()))


# ---------------------------------------------------------------------------------------------
# One dataset


def _read_structure(name: str, ds: Json) -> tuple[DatasetInfo, list[np.ndarray]]:
    """The dataset's metadata plus, per dimension, its category codes in index order."""
    dimension = ds.get("dimension")
    if not isinstance(dimension, dict):
        raise JsonStatError(f"dataset {name!r} has no 'dimension' object")
    # 2.0 puts id/size/role at dataset level, 1.x inside 'dimension'; some "2.0" answers
    # still use the 1.x place, so look in both.
    ids = ds.get("id", dimension.get("id"))
    sizes = ds.get("size", dimension.get("size"))
    role = ds.get("role", dimension.get("role"))
    if not isinstance(ids, list) or not isinstance(sizes, list):
        raise JsonStatError(f"dataset {name!r} needs 'id' and 'size' lists")
    if len(ids) != len(sizes):
        raise JsonStatError(
            f"dataset {name!r}: 'id' names {len(ids)} dimensions but 'size' has "
            f"{len(sizes)} entries"
        )
    if len(set(ids)) != len(ids):
        raise JsonStatError(f"dataset {name!r}: 'id' repeats a dimension: {ids}")
    if not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes):
        raise JsonStatError(f"dataset {name!r}: 'size' must hold whole numbers, got {sizes}")

    dims: dict[str, DimensionInfo] = {}
    codes: list[np.ndarray] = []
    for dim_id in ids:
        if dim_id in (VALUE, STATUS):
            raise JsonStatError(
                f"dataset {name!r}: a dimension called {dim_id!r} clashes with the "
                f"{dim_id!r} column of the decoded table"
            )
        if not isinstance(dimension.get(dim_id), dict):
            raise JsonStatError(
                f"dataset {name!r}: dimension {dim_id!r} is listed in 'id' "
                "but not described in 'dimension'"
            )
        dim_codes = _category_codes(name, dim_id, dimension[dim_id].get("category") or {})
        if len(set(dim_codes)) != len(dim_codes):
            raise JsonStatError(f"dataset {name!r}: dimension {dim_id!r} repeats a category")
        category_labels = (dimension[dim_id].get("category") or {}).get("label") or {}
        dims[dim_id] = DimensionInfo(
            label=str(dimension[dim_id].get("label") or dim_id),
            categories={c: str(category_labels.get(c, c)) for c in dim_codes},
        )
        codes.append(np.array(dim_codes, dtype=object))

    updated = ds.get("updated")
    info = DatasetInfo(
        label=ds.get("label"),
        source=ds.get("source"),
        updated=None if updated is None else str(updated),
        ids=[str(i) for i in ids],
        sizes=list(sizes),
        dimensions=dims,
        role={str(k): list(v) for k, v in role.items()} if isinstance(role, dict) else {},
    )
    return info, codes


def _category_codes(name: str, dim_id: str, category: Json) -> list[str]:
    """Category codes ordered by their position in the dimension."""
    index = category.get("index")
    if index is None:
        # Allowed for single-category dimensions: the one code is the label's key.
        labels = category.get("label")
        if not labels:
            raise JsonStatError(
                f"dataset {name!r}: dimension {dim_id!r} has neither category index nor label"
            )
        return [str(c) for c in labels]
    if isinstance(index, list):
        return [str(c) for c in index]
    if isinstance(index, dict):
        ordered: list[str | None] = [None] * len(index)
        for code, position in index.items():
            if not isinstance(position, int) or not 0 <= position < len(index):
                raise JsonStatError(
                    f"dataset {name!r}: dimension {dim_id!r} gives category {code!r} the "
                    f"position {position!r}, outside 0..{len(index) - 1}"
                )
            ordered[position] = str(code)
        if any(code is None for code in ordered):
            raise JsonStatError(
                f"dataset {name!r}: dimension {dim_id!r} uses a position twice in its index"
            )
        return [str(code) for code in ordered]
    raise JsonStatError(f"dataset {name!r}: dimension {dim_id!r} has an unreadable index")


def _decode_dataset(name: str, ds: Json) -> pd.DataFrame:
    info, codes = _read_structure(name, ds)
    sizes = info.sizes
    total = math.prod(sizes)
    values = _read_values(name, ds, total, sizes)
    status = _read_status(name, ds, total)

    counts = [len(c) for c in codes]
    if counts != sizes:
        values, status = _trim_to_categories(name, info, counts, values, status)

    # Dimension columns are Categoricals: per cell a small integer position into the
    # dimension's codes. Plain str columns cost 8 bytes and a reference count per cell per
    # dimension, about a quarter of the whole decode on a 1,000,000-cell answer.
    columns: dict[str, Any] = {
        dim_id: _dimension_column(dim_codes, counts, i)
        for i, (dim_id, dim_codes) in enumerate(zip(info.ids, codes, strict=True))
    }
    columns[VALUE] = values
    # object dtype on purpose: pandas 3's str dtype would turn a None status into NaN.
    columns[STATUS] = pd.Series(status, dtype=object, copy=False)
    return pd.DataFrame(columns, copy=False)


def _dimension_column(dim_codes: np.ndarray, counts: list[int], i: int) -> pd.Categorical:
    """Codes of dimension i for every cell, in row-major order (the last dimension fastest).

    Each code repeats `after` times in a run and the runs repeat `before` times: seen as a
    (before, categories, after) cube, the positions are just 0..n-1 broadcast along axis 1.
    """
    before, after = math.prod(counts[:i]), math.prod(counts[i + 1 :])
    position_type = np.min_scalar_type(-max(counts[i], 1))  # int8 up to 128 categories
    positions = np.empty(before * counts[i] * after, dtype=position_type)
    positions.reshape(before, counts[i], after)[...] = np.arange(counts[i])[None, :, None]
    categories = pd.Index(dim_codes, dtype=object)
    return pd.Categorical.from_codes(positions, categories=categories, validate=False)


def _read_values(name: str, ds: Json, total: int, sizes: list[int]) -> np.ndarray:
    if VALUE not in ds:
        raise JsonStatError(
            f"dataset {name!r} has no 'value' member, so it holds no data "
            f"(members found: {', '.join(sorted(ds))})"
        )
    raw = ds[VALUE]
    if isinstance(raw, list):
        if len(raw) != total:
            raise JsonStatError(
                f"dataset {name!r}: 'value' has {len(raw)} cells but sizes {sizes} make {total}"
            )
        return _to_float(name, raw)
    if isinstance(raw, dict):
        # Sparse: keys are flat cell positions written as strings; absent cells are missing.
        values = np.full(total, np.nan)
        values[_positions(name, VALUE, raw, total)] = _to_float(name, list(raw.values()))
        return values
    raise JsonStatError(f"dataset {name!r}: 'value' must be an array or an object")


def _to_float(name: str, raw: list[Any]) -> np.ndarray:
    # Copy the list into an object array once, let infer_dtype check the types in C (numpy
    # alone would quietly read "1.5" or true as numbers), then convert: null becomes NaN.
    cells = np.fromiter(raw, dtype=object, count=len(raw))
    if infer_dtype(cells, skipna=True) not in _NUMERIC_KINDS:
        for position, item in enumerate(raw):
            if item is not None and (isinstance(item, bool) or not isinstance(item, int | float)):
                raise JsonStatError(
                    f"dataset {name!r}: 'value' holds the non-numeric {item!r} at position "
                    f"{position}; values must be numbers or null"
                )
    try:
        return cells.astype(np.float64)
    except (TypeError, ValueError, OverflowError) as e:
        raise JsonStatError(f"dataset {name!r}: 'value' is not all numbers: {e}") from e


def _read_status(name: str, ds: Json, total: int) -> np.ndarray:
    raw = ds.get(STATUS)
    status = np.full(total, None, dtype=object)
    if raw is None:
        pass
    elif isinstance(raw, str):
        status[:] = raw  # one symbol for every cell
    elif isinstance(raw, list) and len(raw) == 1:
        status[:] = raw[0]  # 1.0 writes a single status for all cells as a one-item array
    elif isinstance(raw, list) and len(raw) == total:
        status[:] = np.array(raw, dtype=object)
    elif isinstance(raw, list):
        raise JsonStatError(f"dataset {name!r}: 'status' has {len(raw)} entries for {total} cells")
    elif isinstance(raw, dict):
        status[_positions(name, STATUS, raw, total)] = np.array(list(raw.values()), dtype=object)
    else:
        raise JsonStatError(f"dataset {name!r}: 'status' must be a string, array or object")
    return status


def _positions(name: str, member: str, sparse: dict[str, Any], total: int) -> np.ndarray:
    try:
        positions = np.fromiter(map(int, sparse), dtype=np.int64, count=len(sparse))
    except ValueError as e:
        raise JsonStatError(
            f"dataset {name!r}: '{member}' keys must be cell positions such as \"0\": {e}"
        ) from e
    if positions.size and (positions.min() < 0 or positions.max() >= total):
        raise JsonStatError(f"dataset {name!r}: '{member}' refers to a cell outside 0..{total - 1}")
    return positions


def _trim_to_categories(
    name: str, info: DatasetInfo, counts: list[int], values: np.ndarray, status: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Keep the cells of the listed categories when 'size' declares more than are listed.

    Some trimmed answers (ONS's QS104EW sample) keep the full size but list fewer categories.
    That is only safe when no data sits in the unlisted cells, so that is checked.
    """
    for dim_id, count, size in zip(info.ids, counts, info.sizes, strict=True):
        if count > size:
            raise JsonStatError(
                f"dataset {name!r}: dimension {dim_id!r} lists {count} categories "
                f"but its size is {size}"
            )
    grid = np.indices(counts).reshape(len(counts), -1)
    keep = np.ravel_multi_index(tuple(grid), info.sizes)
    outside = np.ones(values.size, dtype=bool)
    outside[keep] = False
    if (~np.isnan(values[outside])).any() or (status[outside] != None).any():  # noqa: E711
        raise JsonStatError(
            f"dataset {name!r}: sizes {info.sizes} declare more categories than are listed "
            f"({counts}) and some data sit in the unlisted cells"
        )
    log.warning(
        "dataset %r: sizes %s declare more categories than listed (%s); kept the listed ones",
        name,
        info.sizes,
        counts,
    )
    return values[keep], status[keep]
