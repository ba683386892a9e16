"""The customer card in AppTest on the demo: the largest customer's figures equal its row
of an independently computed table, its segments come with reasons, and a customer that
only bought before the period, or one named by the address that is not there, gives
words rather than a false 0 or a traceback."""

import pytest

from portfolio import months_ending
from portfolio.formatting import money
from tests.app.conftest import open_page, table_of


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [s.value for s in at.subheader] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def test_the_card_shows_the_largest_customers_figures_and_reasons(app, demo):
    at = open_page(app, "customer")
    table = table_of(demo)
    largest = table.iloc[0]
    assert at.selectbox(key="card_customer").value == largest["customer"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Omzet"] == money(largest["revenue"], "nl", 0)
    assert metrics["Bijdrage"] == money(largest["contribution"], "nl", 0)
    (segments,) = [f.value for f in at.dataframe if "Indeling" in f.value.columns]
    assert segments["Indeling"].tolist() == [
        "Omzet × kwaliteiten",
        "Waarde A/B/C/D",
        "Klanttypes",
        "Fitcode 1/2/3",
    ]
    assert segments["Waarom"].str.len().min() > 5
    assert largest["customer_name"] in _texts(at)
    assert at.query_params["customer"] == largest["customer"]  # the address shares the card


def test_a_customer_lost_in_this_period_shows_unknown_not_zero(app, demo):
    table = table_of(demo)
    lost = table[table["status"] == "lost"].iloc[0]
    at = open_page(app, "customer")
    at.selectbox(key="card_customer")
    at.text_input(key="card_q").input(lost["customer"]).run()
    at.selectbox(key="card_customer").select(lost["customer"]).run()
    assert not at.exception
    texts = _texts(at)
    assert "In deze periode: verloren." in texts
    assert "In geen groep" in texts
    (segments,) = [f.value for f in at.dataframe if "Indeling" in f.value.columns]
    assert segments["Segment"].tolist()[:3] == ["–", "–", "–"]
    assert "nan" not in texts.lower()


@pytest.mark.parametrize("address", ["does-not-exist", "<b>x</b>"])
def test_an_address_naming_an_unknown_customer_says_so_and_shows_another(app, address):
    app.query_params["customer"] = address
    at = open_page(app, "customer")
    warnings = [w.value for w in at.warning]
    assert any("staat niet in deze dataset" in w for w in warnings)
    assert at.selectbox(key="card_customer").value  # a customer is still shown


def test_the_card_gives_the_contribution_of_each_period_the_data_covers(app, demo):
    at = open_page(app, "customer")
    largest = table_of(demo).iloc[0]
    (frame,) = [f.value for f in at.dataframe if "Periode" in f.value.columns]
    assert len(frame) == 3  # 2025 and the two years before it
    last = demo[2]
    for row, back in zip(frame.itertuples(index=False), range(3), strict=True):
        period = months_ending(last, 12).previous(back) if back else months_ending(last, 12)
        table = table_of(demo, period)
        mine = table[table["customer"] == largest["customer"]].iloc[0]
        assert row[0] == period.label()
        assert frame.loc[back, "Bijdrage"] == money(mine["contribution"], "nl", 0)
