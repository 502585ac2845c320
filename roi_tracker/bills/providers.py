"""The model providers' own reports: OpenAI costs JSON, Anthropic cost report JSON, LiteLLM logs.

JSON is parsed with exact decimals (``parse_float=Decimal``). A problem in a JSON file is
reported at line 1 with the JSON path of the value, e.g. ``data[0].results[2].amount``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from roi_tracker.bills.arrow import Checker, Source, day_of, grouped, read_text_table
from roi_tracker.bills.lines import (
    BillKind,
    BillLine,
    BillProblem,
    LineKey,
    ReadBill,
    attributes_of,
    exact,
    merge_lines,
    month_of,
)

OPENAI_RESULT = "organization.costs.result"
LITELLM_REQUIRED = ("startTime", "spend")
LITELLM_KEPT = ("model", "custom_llm_provider", "team_id", "request_tags", "total_tokens")


def parse_json(source: Source, name: str) -> Any:
    raw = source.read_bytes() if not isinstance(source, bytes) else source
    try:
        return json.loads(raw.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        raise BillProblem([f"{name}:{line}: json: is not JSON: {exc}"]) from None


def json_kind(document: Any) -> BillKind | None:
    """OpenAI if a result is an ``organization.costs.result``; Anthropic if buckets have
    ``starting_at``."""
    for path, bucket in _buckets(document):
        del path
        if "starting_at" in bucket:
            return BillKind.ANTHROPIC
        results = bucket.get("results") or bucket.get("result") or []
        if any(isinstance(r, dict) and r.get("object") == OPENAI_RESULT for r in results):
            return BillKind.OPENAI
        if "start_time" in bucket:
            return BillKind.OPENAI
    return None


def _pages(document: Any) -> list[tuple[str, Any]]:
    if isinstance(document, list):
        return [(f"[{i}]", page) for i, page in enumerate(document)]
    return [("", document)]


def _buckets(document: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    for prefix, page in _pages(document):
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            continue
        for i, bucket in enumerate(page["data"]):
            if isinstance(bucket, dict):
                yield f"{prefix}{'.' if prefix else ''}data[{i}]", bucket


def read_openai(document: Any, name: str) -> ReadBill:
    """Daily buckets of ``organization.costs.result``: amount.value in amount.currency."""
    problems: list[str] = []
    lines: list[BillLine] = []
    for path, bucket in _buckets(document):
        day = _unix_day(bucket.get("start_time"))
        if day is None:
            problems.append(f"{name}:1: {path}.start_time: is not a time in Unix seconds")
            continue
        results = bucket.get("results", bucket.get("result")) or []
        for j, result in enumerate(results):
            where = f"{path}.results[{j}]"
            amount = result.get("amount") if isinstance(result, dict) else None
            if not isinstance(amount, dict):
                problems.append(f"{name}:1: {where}.amount: is missing")
                continue
            value, currency = _amount(amount.get("value")), amount.get("currency")
            if value is None:
                problems.append(f"{name}:1: {where}.amount.value: is not a number")
                continue
            if not _is_currency(currency):
                problems.append(f"{name}:1: {where}.amount.currency: is not a currency code")
                continue
            attributes = {
                "openai:project_id": _text(result.get("project_id")),
                "openai:line_item": _text(result.get("line_item")),
            }
            key = LineKey(
                day=day,
                billing_period=month_of(day),
                account=_text(result.get("organization_id")) or "openai",
                service=_text(result.get("line_item")) or "OpenAI",
                charge_category="Usage",
                currency=str(currency).upper(),
                attributes=attributes_of(attributes),
            )
            lines.append(BillLine(key, value, value))
    if problems:
        raise BillProblem(problems)
    return ReadBill(BillKind.OPENAI, merge_lines(lines), len(lines), replaces="day")


def read_anthropic(document: Any, name: str) -> ReadBill:
    """Cost report buckets: ``amount`` a decimal string in cents of ``currency``."""
    problems: list[str] = []
    lines: list[BillLine] = []
    for path, bucket in _buckets(document):
        day = _iso_day(bucket.get("starting_at"))
        if day is None:
            problems.append(f"{name}:1: {path}.starting_at: is not a date-time")
            continue
        for j, result in enumerate(bucket.get("results") or []):
            where = f"{path}.results[{j}]"
            cents = _amount(result.get("amount")) if isinstance(result, dict) else None
            if cents is None:
                problems.append(f"{name}:1: {where}.amount: is not a number")
                continue
            currency = result.get("currency")
            if not _is_currency(currency):
                problems.append(f"{name}:1: {where}.currency: is not a currency code")
                continue
            amount = cents.scaleb(-2)  # cents to currency units, exactly
            attributes = {
                "anthropic:workspace_id": _text(result.get("workspace_id")),
                "anthropic:model": _text(result.get("model")),
                "anthropic:cost_type": _text(result.get("cost_type")),
            }
            key = LineKey(
                day=day,
                billing_period=month_of(day),
                account="anthropic",
                service=_text(result.get("model"))
                or _text(result.get("description"))
                or "Anthropic",
                charge_category="Usage",
                currency=str(currency).upper(),
                attributes=attributes_of(attributes),
            )
            lines.append(BillLine(key, amount, amount))
    if problems:
        raise BillProblem(problems)
    return ReadBill(BillKind.ANTHROPIC, merge_lines(lines), len(lines), replaces="day")


def is_litellm(header: list[str]) -> bool:
    return set(LITELLM_REQUIRED) <= set(header) and "request_id" in header


def read_litellm(source: Source, name: str, header: list[str]) -> ReadBill:
    """LiteLLM spend logs (CSV): ``spend`` in USD per request, by day, model, team and tags."""
    check = Checker(name, 2)
    kept = [c for c in LITELLM_KEPT if c in header]
    table = read_text_table(source, [*LITELLM_REQUIRED, *kept], parquet=False)
    spend = check.amounts(table, "spend")
    days = check.days(table, "startTime")
    tokens = (
        check.amounts(table, "total_tokens", required=False) if "total_tokens" in kept else None
    )
    tags = table.column("request_tags") if "request_tags" in kept else None
    if tags is not None:
        for text in pc.unique(tags).to_pylist():
            if text is not None:
                try:
                    _request_tags(text)
                except ValueError as exc:
                    check.add(int(pc.index(tags, text).as_py()), "request_tags", str(exc))
    check.raise_any()
    empty = pa.chunked_array([pa.nulls(table.num_rows, pa.string())])
    columns: dict[str, Any] = {
        "day": days,
        "model": table.column("model") if "model" in kept else empty,
        "provider": table.column("custom_llm_provider") if "custom_llm_provider" in kept else empty,
        "team": table.column("team_id") if "team_id" in kept else empty,
        "tags": tags if tags is not None else empty,
        "spend": spend,
    }
    sums = ["spend"]
    if tokens is not None:
        columns["tokens"] = tokens
        sums.append("tokens")
    lines = []
    for row in grouped(columns, [c for c in columns if c not in sums], sums):
        day = day_of(row["day"])
        attributes = {
            "litellm:team_id": row["team"],
            "litellm:tag": _request_tags(row["tags"] or ""),
            "litellm:model": row["model"],
            "litellm:provider": row["provider"],
        }
        key = LineKey(
            day=day,
            billing_period=month_of(day),
            account="litellm",
            service=row["model"] or "LiteLLM",
            charge_category="Usage",
            currency="USD",
            attributes=attributes_of(attributes),
        )
        lines.append(BillLine(key, row["spend"], row["spend"], row.get("tokens") or None))
    return ReadBill(BillKind.LITELLM, merge_lines(lines), table.num_rows, replaces="day")


def _request_tags(text: str) -> tuple[str, ...]:
    text = text.strip()
    if not text:
        return ()
    try:
        found = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(f"{text[:60]!r} is not a JSON list of tags") from None
    if found is None:
        return ()
    if not isinstance(found, list):
        raise ValueError(f"{text[:60]!r} is not a JSON list of tags")
    return tuple(sorted({str(tag).strip() for tag in found if tag is not None}))


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value) if Decimal(value).is_finite() else None
    if isinstance(value, str):
        try:
            return exact(value)
        except ValueError:
            return None
    return None


def _is_currency(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 3 and value.isalpha() and value.isascii()


def _text(value: Any) -> str | None:
    return None if value is None else str(value).strip() or None


def _unix_day(value: Any) -> date | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


def _iso_day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).date()
    except ValueError:
        return None


__all__ = ["is_litellm", "json_kind", "parse_json", "read_anthropic", "read_litellm", "read_openai"]
