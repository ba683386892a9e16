"""Access to a shared deployment: which mode the secrets ask for, the password check and
the slowing down of wrong passwords."""

import hashlib

import pytest

from portfolio.access import Throttle, auth_mode, password_matches


@pytest.mark.parametrize(
    ("secrets", "mode"),
    [
        ({}, "open"),
        ({"team": {"password": ""}}, "open"),
        ({"team": {"password": "geheim"}}, "password"),
        ({"team": {"password_sha256": "ab" * 32}}, "password"),
        ({"auth": {"client_id": "x", "client_secret": "y"}}, "oidc"),
        ({"auth": {"redirect_uri": "r", "microsoft": {"client_id": "x"}}}, "oidc"),
        ({"auth": {"redirect_uri": "r"}, "team": {"password": "geheim"}}, "password"),
    ],
)
def test_the_secrets_decide_how_people_get_in(secrets, mode):
    assert auth_mode(secrets) == mode


def test_the_team_password_matches_only_itself():
    assert password_matches("geheim", {"password": "geheim"})
    assert not password_matches("Geheim", {"password": "geheim"})
    assert not password_matches("", {"password": "geheim"})
    hashed = {"password_sha256": hashlib.sha256("één wachtwoord".encode()).hexdigest()}
    assert password_matches("één wachtwoord", hashed)
    assert not password_matches("een wachtwoord", hashed)
    assert not password_matches("x", {"password_sha256": "not hex"})


def test_wrong_passwords_are_slowed_down_per_client_and_forgotten_after_the_window():
    throttle = Throttle(free=3, window=600, delay=5)
    for second in range(3):
        assert throttle.wait_seconds("a", now=1000 + second) == 0
        throttle.failed("a", now=1000 + second)
    assert throttle.wait_seconds("a", now=1003) == pytest.approx(4.0)  # 1002 + 5 - 1003
    assert throttle.wait_seconds("b", now=1003) == 0  # another client is not held up
    throttle.failed("a", now=1008)
    assert throttle.wait_seconds("a", now=1008) == pytest.approx(10.0)  # it grows
    assert throttle.wait_seconds("a", now=1008 + 600) == 0  # the window passed
    throttle.failed("a", now=2000)
    throttle.succeeded("a")
    assert throttle.wait_seconds("a", now=2000) == 0
