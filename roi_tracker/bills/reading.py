"""One entry for every bill file: the kind is told by the content, never by the file name."""

from __future__ import annotations

from pathlib import Path

from roi_tracker.bills.arrow import PARQUET_MAGIC, Source, csv_header, head, name_of
from roi_tracker.bills.focus import is_focus, read_focus
from roi_tracker.bills.lines import BillKind, BillProblem, ReadBill
from roi_tracker.bills.providers import (
    is_litellm,
    json_kind,
    parse_json,
    read_anthropic,
    read_litellm,
    read_openai,
)


def read_bill(source: Source, name: str | None = None) -> ReadBill:
    """The lines of a bill file (a path or its bytes); BillProblem if it cannot be read."""
    name = name_of(source, name)
    try:
        first = head(source)
    except OSError as exc:
        raise BillProblem([f"{name}:1: file: cannot be read: {exc.strerror or exc}"]) from None
    if first.startswith(PARQUET_MAGIC):
        return _read_parquet(source, name)
    if first.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        document = parse_json(source, name)
        kind = json_kind(document)
        if kind is BillKind.OPENAI:
            return read_openai(document, name)
        if kind is BillKind.ANTHROPIC:
            return read_anthropic(document, name)
        raise BillProblem([
            f"{name}:1: data: is neither an OpenAI costs page nor an Anthropic cost report"
        ])  # fmt: skip
    header = csv_header(first)
    if is_focus(header):
        return read_focus(source, name, header, parquet=False)
    if is_litellm(header):
        return read_litellm(source, name, header)
    raise BillProblem([
        f"{name}:1: header: is neither a FOCUS export (BilledCost, ChargePeriodStart, "
        "BillingCurrency...) nor a LiteLLM spend log (request_id, startTime, spend...)"
    ])  # fmt: skip


def _read_parquet(source: Source, name: str) -> ReadBill:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(
            str(source) if isinstance(source, Path) else pa.BufferReader(source)
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise BillProblem([f"{name}:1: file: is not a readable Parquet file: {exc}"]) from None
    header = list(schema.names)
    if not is_focus(header):
        raise BillProblem([f"{name}:1: header: is not a FOCUS export (BilledCost, ...)"])
    return read_focus(source, name, header, parquet=True)


__all__ = ["read_bill"]
