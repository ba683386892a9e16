"""Share links: the view goes into query parameters and comes back the same; a tampered
link is checked like any other input."""

from datetime import date

from portfolio.links import from_params, to_params


def test_a_view_goes_into_the_link_and_comes_back_the_same():
    state = {
        "lang": "en",
        "dataset": "Verkoop 2025",
        "period_kind": "range",
        "range": (date(2025, 1, 1), date(2025, 6, 30)),
        "months": 12,
        "sc_split": "profit",
        "sc_profit_loss_making_price_change": 10,
        "sc_profit_loss_making_leaving": 15,
        "fn_strategic_from": 3.5,
        "search": "bakkerij",
        "fn_remediate": {"edited_rows": {}},
        "door_password": "x",
        "_admitted": True,
    }
    params = to_params(state)
    assert "door_password" not in params and "_admitted" not in params
    assert "fn_remediate" not in params and "search" not in params
    assert params["range"] == "2025-01-01..2025-06-30"
    back, refused = from_params(params)
    assert refused == []
    assert back == {k: v for k, v in state.items() if k in params}


def test_a_tampered_link_keeps_what_is_valid_and_names_the_rest():
    back, refused = from_params(
        {
            "lang": "fr",
            "months": "120",
            "year": "2025",
            "range": "2025-06-30..2025-01-01",
            "sc_grid_C_price_change": "99",
            "sc_grid_C_leaving": "__import__('os')",
            "fn_acceptance": "70",
            "utm_source": "mail",
            "dataset": "x" * 500,
        }
    )
    assert back == {"year": 2025, "fn_acceptance": 70}
    assert sorted(refused) == [
        "dataset",
        "lang",
        "months",
        "range",
        "sc_grid_C_leaving",
        "sc_grid_C_price_change",
    ]
