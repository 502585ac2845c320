"""FOCUS 1.0–1.3 cost and usage exports (CSV, CSV.gz, Parquet) into bill lines.

Rows are grouped by day (of ``ChargePeriodStart``), billing period, ``BillingAccountId``,
``ServiceName``, ``ChargeCategory``, ``BillingCurrency`` and every column a rule can match
(sub account, service category and subcategory, resource, provider, tags, ``x_`` columns),
summing ``EffectiveCost``, ``BilledCost`` and token quantities exactly.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from roi_tracker.bills.arrow import Checker, Source, day_of, grouped, read_text_table
from roi_tracker.bills.lines import (
    BillKind,
    BillLine,
    LineKey,
    ReadBill,
    attributes_of,
    merge_lines,
    month_of,
)

REQUIRED = (
    "BilledCost",
    "EffectiveCost",
    "BillingCurrency",
    "ChargePeriodStart",
    "BillingPeriodStart",
    "ChargeCategory",
    "BillingAccountId",
    "ServiceName",
)
#: the columns besides the required ones that rules can match, kept when present
MATCHED = (
    "BillingAccountName",
    "SubAccountId",
    "SubAccountName",
    "ServiceCategory",
    "ServiceSubcategory",
    "ResourceId",
    "ResourceName",
    "RegionId",
    "InvoiceIssuerName",
)
PROVIDERS = ("ServiceProviderName", "ProviderName")  # 1.3 first, then 1.0–1.2
QUANTITY = ("ConsumedQuantity", "ConsumedUnit")
CHARGE_CATEGORIES = ("Usage", "Purchase", "Tax", "Credit", "Adjustment")
#: the attribute the provider is matched under, whatever version named it
PROVIDER = "ServiceProviderName"


def is_focus(header: list[str]) -> bool:
    return {"BilledCost", "ChargePeriodStart", "BillingCurrency"} <= set(header)


def read_focus(source: Source, name: str, header: list[str], parquet: bool) -> ReadBill:
    """The lines of a FOCUS export; BillProblem lists every cell that cannot be read."""
    check = Checker(name, 1 if parquet else 2)
    check.missing(header, REQUIRED)
    check.raise_any()
    extras = [c for c in header if c.startswith("x_")]
    optional = [c for c in (*MATCHED, *PROVIDERS, *QUANTITY, "Tags") if c in header]
    table = read_text_table(source, [*REQUIRED, *optional, *extras], parquet)
    rows = table.num_rows

    effective = check.amounts(table, "EffectiveCost")
    billed = check.amounts(table, "BilledCost")
    days = check.days(table, "ChargePeriodStart")
    periods = check.days(table, "BillingPeriodStart")
    categories = check.choice(table, "ChargeCategory", CHARGE_CATEGORIES)
    check.required(table, "ChargeCategory")
    check.required(table, "BillingCurrency")
    currencies = _currencies(check, table)
    tokens = _tokens(check, table) if set(QUANTITY) <= set(header) else None
    tag_text = table.column("Tags") if "Tags" in header else None
    if tag_text is not None:
        _check_tags(check, tag_text)
    check.raise_any()

    columns: dict[str, Any] = {
        "day": days,
        "period": periods,
        "account": table.column("BillingAccountId"),
        "service": table.column("ServiceName"),
        "category": table.column("ChargeCategory"),
        "currency": table.column("BillingCurrency"),
        PROVIDER: _provider(table, header),
        "effective": effective,
        "billed": billed,
    }
    for column in (*MATCHED, *extras):
        if column in header:
            columns[column] = table.column(column)
    if tag_text is not None:
        columns["Tags"] = tag_text
    if tokens is not None:
        columns["tokens"] = tokens
    sums = ["effective", "billed", *(["tokens"] if tokens is not None else [])]
    keys = [c for c in columns if c not in sums]
    del table
    lines = [
        _line(row, categories, currencies, tokens is not None)
        for row in grouped(columns, keys, sums)
    ]
    return ReadBill(BillKind.FOCUS, merge_lines(lines), rows)


def _provider(table: pa.Table, header: list[str]) -> pa.ChunkedArray:
    present = [table.column(c) for c in PROVIDERS if c in header]
    if not present:
        return pa.chunked_array([pa.nulls(table.num_rows, pa.string())])
    return pc.coalesce(*present) if len(present) > 1 else present[0]


def _currencies(check: Checker, table: pa.Table) -> dict[str | None, str | None]:
    mapping: dict[str | None, str | None] = {None: None}
    values = table.column("BillingCurrency")
    for cell in pc.unique(values).to_pylist():
        if cell is None:
            continue
        code = cell.strip().upper()
        if len(code) != 3 or not code.isalpha() or not code.isascii():
            check.add(check.first_row(table, "BillingCurrency", cell), "BillingCurrency",
                      f"{cell!r} is not a currency code (ISO 4217, e.g. USD)")  # fmt: skip
        mapping[cell] = code
    return mapping


def _tokens(check: Checker, table: pa.Table) -> pa.ChunkedArray:
    """ConsumedQuantity where ConsumedUnit speaks of tokens, else 0."""
    quantity = check.amounts(table, "ConsumedQuantity", required=False)
    units = pc.utf8_lower(table.column("ConsumedUnit").fill_null(""))
    is_tokens = pc.match_substring(units, "token")
    return pc.if_else(is_tokens, quantity, pa.scalar(0, quantity.type))


def _check_tags(check: Checker, tags: pa.ChunkedArray) -> None:
    for text in pc.unique(tags).to_pylist():
        if text is None:
            continue
        try:
            parse_tags(text)
        except ValueError as exc:
            check.add(int(pc.index(tags, text).as_py()), "Tags", str(exc))


@cache
def parse_tags(text: str) -> tuple[tuple[str, str], ...]:
    """The tags of a ``Tags`` cell, keys trimmed; values that are not text written as JSON."""
    text = text.strip()
    if not text:
        return ()
    try:
        found = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(f"{_short(text)} is not JSON (a JSON object of tags)") from None
    if found is None:
        return ()
    if not isinstance(found, dict):
        raise ValueError(f"{_short(text)} is not a JSON object of tags")
    tags = {}
    for key, value in found.items():
        if value is None:
            value = ""  # a key-only tag
        elif not isinstance(value, str):
            value = json.dumps(value, sort_keys=True)
        tags[str(key).strip()] = value.strip()
    return tuple(sorted(tags.items()))


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _line(
    row: dict[str, Any],
    categories: dict[str | None, str | None],
    currencies: dict[str | None, str | None],
    has_tokens: bool,
) -> BillLine:
    values: dict[str, Any] = {
        name: value
        for name, value in row.items()
        if name in MATCHED or name == PROVIDER or name.startswith("x_")
    }
    for key, value in parse_tags(row.get("Tags") or ""):
        values[f"tag:{key}"] = value
    day = day_of(row["day"])
    line_key = LineKey(
        day=day,
        billing_period=month_of(day_of(row["period"])),
        account=row["account"] or "",
        service=row["service"] or "",
        charge_category=categories[row["category"]] or "",
        currency=currencies[row["currency"]] or "",
        attributes=attributes_of(values),
    )
    tokens = row["tokens"] if has_tokens else None
    return BillLine(line_key, row["effective"], row["billed"], tokens or None)


__all__ = ["CHARGE_CATEGORIES", "PROVIDER", "is_focus", "parse_tags", "read_focus"]
