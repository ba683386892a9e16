"""The command line, run as a real subprocess: JSON figures, exit codes, outputs, no Streamlit."""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTFOLIO = [sys.executable, "-m", "portfolio"]

LINES = (
    "Debiteurnummer;Debiteur;Factuurdatum;Bedrag excl. btw;Kostprijs\r\n"
    '001;=HYPERLINK("http://x");15-01-2024;1.000,00;600,00\r\n'
    '001;=HYPERLINK("http://x");15-01-2025;1.200,00;700,00\r\n'
    "002;Bakkerij Één;20-03-2025;-50,00;-30,00\r\n"
    "002;Bakkerij Één;21-03-2025;500,00;300,00\r\n"
    "Totaal;;;2.650,00;1.570,00\r\n"
)


@pytest.fixture
def lines_file(tmp_path) -> Path:
    path = tmp_path / "verkoop.csv"
    path.write_bytes(LINES.encode("cp1252"))
    return path


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PORTFOLIO, *args], capture_output=True, text=True, cwd=ROOT)


def test_summary_json_has_the_promised_keys_and_figures(lines_file):
    result = run("summary", str(lines_file), "--year", "2025", "--json")
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    promised = {
        "rows_read",
        "rows_used",
        "rows_rejected",
        "customers",
        "revenue",
        "gross_margin",
        "contribution",
        "top20_revenue_share",
        "customers_for_80pct_revenue_share",
        "customer_retention",
        "net_revenue_retention",
        "gross_revenue_retention",
        "new_customers",
        "lost_customers",
        "period_start",
        "period_end",
    }
    assert promised <= set(got)
    # by hand: 2025 revenue 1200 + (-50 + 500) = 1650; margin 500 + (−20 + 200) = 680
    assert (got["rows_read"], got["rows_used"], got["rows_rejected"]) == (5, 4, 1)
    assert got["revenue"] == 1650.00
    assert got["gross_margin"] == 680.00
    assert got["customers"] == 2
    assert got["customer_retention"] == 1.0  # 001 bought in 2024 and in 2025
    assert got["new_customers"] == 1  # 002
    assert (got["period_start"], got["period_end"]) == ("2025-01-01", "2025-12-31")


def test_bad_input_exits_2_with_one_line_in_the_chosen_language(tmp_path):
    empty = tmp_path / "leeg.csv"
    empty.write_bytes(b"")
    result = run("summary", str(empty), "--json")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "leeg.csv" in result.stderr
    assert "Traceback" not in result.stderr
    english = run("summary", str(empty), "--lang", "en")
    assert "is empty" in english.stderr


def test_missing_file_exits_2(tmp_path):
    result = run("check", str(tmp_path / "bestaat-niet.csv"))
    assert result.returncode == 2 and "bestaat-niet.csv" in result.stderr


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_metrics_writes_the_customer_table(lines_file, tmp_path, suffix):
    out = tmp_path / f"klanten{suffix}"
    result = run("metrics", str(lines_file), "--year", "2025", "-o", str(out))
    assert result.returncode == 0, result.stderr
    if suffix == ".csv":
        table = pd.read_csv(
            out, sep=";", decimal=",", encoding="utf-8-sig", dtype={"customer": str}
        )
    elif suffix == ".xlsx":
        table = pd.read_excel(out, dtype={"customer": str})
    else:
        table = pd.read_parquet(out)
    assert list(table["customer"]) == ["001", "002"]
    assert table["revenue"].tolist() == [1200.0, 450.0]


def test_metrics_xlsx_holds_no_formulas_from_customer_names(lines_file, tmp_path):
    out = tmp_path / "klanten.xlsx"
    assert run("metrics", str(lines_file), "-o", str(out)).returncode == 0
    sheet = openpyxl.load_workbook(out).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(str(c.value).startswith("'=HYPERLINK") for c in cells)


def test_check_reports_rejects_and_writes_them(lines_file, tmp_path):
    out = tmp_path / "afgekeurd.csv"
    result = run("check", str(lines_file), "--rejects", str(out))
    assert result.returncode == 0, result.stderr
    assert "5 regels gelezen, 4 gebruikt, 1 afgekeurd" in result.stdout
    rejected = pd.read_csv(out, sep=";", encoding="utf-8-sig", dtype=str)
    assert rejected.loc[0, "rij"] == "6" and rejected.loc[0, "waarde"] == "Totaal"


def test_command_line_never_imports_streamlit():
    code = "import sys, portfolio.cli; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


@pytest.mark.parametrize(
    ("margin", "price", "printed"),
    [
        ("0.30", "0.10", "-0.25"),  # +10 % at 30 % margin: a quarter may go
        ("0.30", "-0.10", "0.5"),
        ("0.40", "0.10", "-0.2"),
        ("0.30", "0", "0"),  # no price change: 0, never -0
        ("0.30", "-0.0", "0"),
    ],
)
def test_breakeven_prints_the_signed_volume_change(margin, price, printed):
    done = subprocess.run(
        [*PORTFOLIO, "breakeven", "--margin", margin, "--price-change", price],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == printed + "\n"


def test_breakeven_without_a_solution_says_why_and_exits_2():
    done = subprocess.run(
        [*PORTFOLIO, "breakeven", "--margin", "0.3", "--price-change", "-0.3", "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "no break-even" in done.stderr


def breakeven(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*PORTFOLIO, "breakeven", *args], capture_output=True, text=True, cwd=ROOT
    )


@pytest.mark.parametrize(
    ("margin", "price", "says"),
    [
        # a cut larger than the margin printed -3 (lose 300 % of the volume)
        ("0.30", "-0.45", "the price cut takes the whole margin"),
        # a loss-making margin printed -2 (lose 200 %)
        ("-0.05", "0.10", "there is no contribution to protect"),
        ("0", "0.10", "there is no contribution to protect"),
    ],
)
def test_breakeven_says_there_is_none_instead_of_an_impossible_volume(margin, price, says):
    done = breakeven("--margin", margin, "--price-change", price, "--lang", "en")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "no break-even" in done.stderr and says in done.stderr


def test_breakeven_as_json_gives_the_value_or_null_with_the_reason():
    done = breakeven("--margin", "0.30", "--price-change", "0.10", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"breakeven": -0.25}
    none = breakeven("--margin", "0.30", "--price-change", "-0.45", "--json", "--lang", "en")
    assert none.returncode == 2
    answer = json.loads(none.stdout)
    assert answer["breakeven"] is None and answer["reason"] == "no_margin_left"
    assert "no break-even" in answer["message"]
    zero = breakeven("--margin", "0.30", "--price-change", "0", "--json")
    assert zero.stdout.strip() == '{"breakeven": 0.0}'


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "dertig"])
def test_breakeven_refuses_a_margin_that_is_not_a_number(value):
    done = breakeven("--margin", value, "--price-change", "0.10")
    assert done.returncode == 2
    assert "--margin" in done.stderr


def test_summary_estimates_margin_from_a_product_file_and_an_average_and_says_so(tmp_path):
    lines = tmp_path / "verkoop.csv"
    lines.write_text(
        "Klant;Factuurdatum;Artikel;Bedrag excl. btw\n"
        "Alfa;01-03-2025;A-1;1.000,00\nBeta;02-03-2025;B-2;500,00\n",
        encoding="utf-8",
    )
    products = tmp_path / "marges.csv"
    products.write_text("Artikelcode;Marge %\nA-1;30\n", encoding="utf-8")
    plain = json.loads(run("summary", str(lines), "--json").stdout)
    assert plain["gross_margin"] is None and "margin_estimated_customers" not in plain
    out = run("summary", str(lines), "--products", str(products), "--margin", "10", "--json")
    summary = json.loads(out.stdout)
    # by hand: 30 % of 1.000 from the file, the average 10 % of 500 for B-2
    assert summary["gross_margin"] == pytest.approx(350.0)
    assert summary["margin_estimated_customers"] == 2
    assert summary["margin_estimated_revenue_share"] == pytest.approx(1.0)
