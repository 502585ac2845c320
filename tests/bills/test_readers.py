"""Reading bill files: every format and version, messy values accepted, bad cells named."""

from __future__ import annotations

import gzip
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from roi_tracker.bills import BillKind, BillProblem, read_bill

DATA = Path(__file__).parents[1] / "data" / "bills"


def _by_service(bill, service: str, category: str = "Usage"):
    return [
        line
        for line in bill.lines
        if line.key.service == service and line.key.charge_category == category
    ]


def test_focus_1_0_messy_export_is_read_exactly():
    bill = read_bill(DATA / "focus-1.0.csv")
    assert bill.kind is BillKind.FOCUS and bill.rows == 7
    # two hourly rows of one day, tag keys with stray spaces and other spacing: one line
    (bedrock,) = _by_service(bill, "Amazon Bedrock")
    assert bedrock.key.day == date(2024, 9, 1)
    assert bedrock.effective_cost == Decimal("0.0000024369")
    assert bedrock.tokens == Decimal(2436)
    assert bedrock.key.attribute("tag:project") == "chat"
    assert bedrock.key.attribute("ServiceProviderName") == "AWS"  # 1.0's ProviderName
    assert bedrock.key.attribute("x_UsageType") == "USE1-Tokens"
    # "ADJUSTMENT" is Adjustment; odd tag values kept as text, a null one dropped
    (adjustment,) = _by_service(bill, "Amazon Bedrock", "Adjustment")
    assert adjustment.effective_cost == Decimal("-0.05")
    assert adjustment.key.attribute("tag:cost-center") == "42"
    assert adjustment.key.attribute("tag:owner") is None
    # a Credit with NULL written as text and as empty cells
    (credit,) = _by_service(bill, "Amazon EC2", "Credit")
    assert credit.effective_cost == Decimal("-3.10") and credit.key.attribute("ResourceId") is None
    totals = {(t.currency, t.billing_period): t for t in bill.totals}
    usd = totals["USD", date(2024, 9, 1)]
    assert usd.effective == Decimal("0.0000024369") + Decimal("10.25") - Decimal("3.10") + Decimal(
        "0.40"
    ) - Decimal("0.05")
    assert usd.billed == Decimal("0.0000024369") + Decimal("12.5") - Decimal("3.10") + Decimal(
        "0.40"
    ) - Decimal("0.05")
    assert totals["EUR", date(2024, 9, 1)].effective == Decimal("7.123456789012")


def test_focus_1_3_prefers_the_service_provider():
    bill = read_bill(DATA / "focus-1.3.csv")
    (claude,) = _by_service(bill, "Claude on Vertex AI")
    assert claude.key.attribute("ServiceProviderName") == "Anthropic"
    assert claude.key.attribute("ServiceSubcategory") == "Generative AI"
    assert claude.key.attribute("x_Project") == "SUP"
    assert claude.effective_cost == 80 and claude.billed_cost == 100


def test_gzip_and_parquet_give_the_same_lines_as_csv(tmp_path):
    source = DATA / "focus-1.0.csv"
    zipped = tmp_path / "export.bin"  # the kind is told by content, not by the name
    zipped.write_bytes(gzip.compress(source.read_bytes()))
    table = pacsv.read_csv(
        source, convert_options=pacsv.ConvertOptions(column_types={"Tags": pa.string()})
    )
    parquet = tmp_path / "export.parquet"
    pq.write_table(table, parquet)
    expected = read_bill(source)
    for other in (read_bill(zipped), read_bill(parquet.read_bytes(), "upload.parquet")):
        assert other.kind is BillKind.FOCUS
        assert other.totals == expected.totals


def test_a_utf8_byte_order_mark_is_ignored(tmp_path):
    file = tmp_path / "azure.csv"
    file.write_bytes(b"\xef\xbb\xbf" + (DATA / "focus-1.3.csv").read_bytes())
    assert read_bill(file).totals == read_bill(DATA / "focus-1.3.csv").totals


def test_every_bad_cell_is_named_by_file_line_and_column():
    with pytest.raises(BillProblem) as caught:
        read_bill(DATA / "focus-broken.csv", "broken.csv")
    assert caught.value.problems == [
        "broken.csv:2: EffectiveCost: 'abc' is not a number",
        "broken.csv:3: ChargePeriodStart: '2025-11-31' is not a date or date-time",
        "broken.csv:3: ChargeCategory: 'Refund' is not one of: Usage, Purchase, Tax, Credit, "
        "Adjustment",
        "broken.csv:3: BillingCurrency: 'DOLLARS' is not a currency code (ISO 4217, e.g. USD)",
        "broken.csv:3: Tags: '[1,2]' is not a JSON object of tags",
        "broken.csv:4: EffectiveCost: is empty",
        "broken.csv:4: Tags: '{not json' is not JSON (a JSON object of tags)",
    ]


def test_a_missing_required_column_is_named(tmp_path):
    file = tmp_path / "short.csv"
    file.write_text("BilledCost,ChargePeriodStart,BillingCurrency\n1,2025-01-01,USD\n")
    with pytest.raises(BillProblem) as caught:
        read_bill(file, "short.csv")
    assert "short.csv:1: EffectiveCost: is missing: the file has no such column" in (
        caught.value.problems
    )


def test_an_unknown_file_is_refused(tmp_path):
    file = tmp_path / "other.csv"
    file.write_text("a,b\n1,2\n")
    with pytest.raises(BillProblem, match="1 problem"):
        read_bill(file, "other.csv")


def test_openai_costs_pages():
    bill = read_bill(DATA / "openai-costs.json")
    assert bill.kind is BillKind.OPENAI
    assert [t.effective for t in bill.totals] == [Decimal("1.394567890123")]
    assert {line.key.attribute("openai:project_id") for line in bill.lines} == {
        "proj_abc",
        "proj_xyz",
    }
    assert {line.key.day for line in bill.lines} == {date(2024, 11, 1), date(2024, 11, 2)}
    assert {line.key.currency for line in bill.lines} == {"USD"}


def test_openai_pages_in_one_list_and_bad_values(tmp_path):
    page = json.loads((DATA / "openai-costs.json").read_text())
    both = tmp_path / "pages.json"
    both.write_text(json.dumps([page, page]))
    assert read_bill(both).totals[0].effective == Decimal("2.789135780246")
    page["data"][0]["results"][1]["amount"]["value"] = "lots"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(page))
    with pytest.raises(BillProblem) as caught:
        read_bill(bad, "bad.json")
    assert caught.value.problems == ["bad.json:1: data[0].results[1].amount.value: is not a number"]


def test_anthropic_amounts_are_cents():
    bill = read_bill(DATA / "anthropic-cost-report.json")
    assert bill.kind is BillKind.ANTHROPIC
    amounts = {
        line.key.attribute("anthropic:workspace_id"): line.effective_cost for line in bill.lines
    }
    assert amounts == {"wrkspc_support": Decimal("123.456789"), None: Decimal("0.50")}


def test_litellm_spend_logs():
    bill = read_bill(DATA / "litellm-spend.csv")
    assert bill.kind is BillKind.LITELLM and bill.rows == 3
    assert bill.totals[0].effective == Decimal("0.30375")
    tags = {line.key.attribute("litellm:tag") for line in bill.lines}
    assert tags == {("chat", "prod"), ("chat",), None}
    assert sum(line.tokens or 0 for line in bill.lines) == 1950


def test_not_json_is_refused_with_its_line(tmp_path):
    file = tmp_path / "x.json"
    file.write_text('{"data": [\n  {"starting_at": oops}]}')
    with pytest.raises(BillProblem) as caught:
        read_bill(file, "x.json")
    assert caught.value.problems[0].startswith("x.json:2: json: is not JSON")
