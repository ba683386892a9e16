"""Access to a shared deployment: which mode the secrets ask for, the password check, the
slowing down of wrong passwords and the client's address behind a reverse proxy."""

import hashlib

import pytest

from portfolio.access import (
    Throttle,
    auth_mode,
    client_address,
    password_matches,
    trusted_proxies,
)


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


LOCAL_PROXY = ["127.0.0.1", "::1"]


def test_without_a_trusted_proxy_the_peer_is_the_client_whatever_the_header_says():
    spoofed = {"X-Forwarded-For": "10.9.9.9"}  # sent by the client itself, to get a new counter
    assert client_address("203.0.113.7", spoofed, []) == "203.0.113.7"
    assert client_address("203.0.113.7", spoofed, LOCAL_PROXY) == "203.0.113.7"
    assert client_address("203.0.113.7", {}, LOCAL_PROXY) == "203.0.113.7"
    assert client_address("2001:db8::7", spoofed, ["10.0.0.0/8"]) == "2001:db8::7"


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client():
    # Streamlit reports a loopback peer as None: caddy on the same machine
    assert client_address(None, {"X-Forwarded-For": "198.51.100.4"}, LOCAL_PROXY) == "198.51.100.4"
    assert client_address("127.0.0.1", {"x-forwarded-for": "198.51.100.4"}, LOCAL_PROXY) == (
        "198.51.100.4"
    )
    # caddy in its own container, trusted as a network; the client's own guess on the left
    chain = {"X-Forwarded-For": "6.6.6.6, 198.51.100.4"}
    assert client_address("172.30.0.2", chain, ["172.30.0.0/24"]) == "198.51.100.4"
    # a chain of proxies: load balancer 10.0.0.5, then caddy on localhost
    chain = {"X-Forwarded-For": "6.6.6.6, 198.51.100.4, 10.0.0.5"}
    assert client_address(None, chain, ["127.0.0.1", "10.0.0.0/24"]) == "198.51.100.4"
    # the same chain when the load balancer is not trusted: it is the client
    assert client_address(None, chain, LOCAL_PROXY) == "10.0.0.5"
    # ports, brackets, IPv6, IPv4-mapped
    assert client_address(None, {"X-Forwarded-For": "198.51.100.4:5123"}, LOCAL_PROXY) == (
        "198.51.100.4"
    )
    assert client_address("::1", {"X-Forwarded-For": "[2001:db8::9]:443"}, LOCAL_PROXY) == (
        "2001:db8::9"
    )
    assert (
        client_address("::ffff:127.0.0.1", {"X-Forwarded-For": "::ffff:198.51.100.4"}, LOCAL_PROXY)
        == "198.51.100.4"
    )
    # only proxies in the header: the left-most
    assert client_address(None, {"X-Forwarded-For": "127.0.0.1"}, LOCAL_PROXY) == "127.0.0.1"


def test_repeated_headers_count_as_one_list_like_st_context_headers():
    class Headers(dict):
        def get_all(self, key):
            return ["6.6.6.6", "198.51.100.4"] if key.lower() == "x-forwarded-for" else []

    assert client_address(None, Headers(), LOCAL_PROXY) == "198.51.100.4"


@pytest.mark.parametrize(
    "header",
    [
        "",
        " , ",
        "unknown",
        "198.51.100.4, not-an-ip",
        "<script>",
        "1.2.3.4.5",
        "999.1.1.1",
        "fe80::1::2",
        "\x00",
        "a" * 5000,
    ],
)
def test_a_garbage_header_from_a_trusted_proxy_falls_back_to_the_proxy(header):
    assert client_address("10.0.0.5", {"X-Forwarded-For": header}, ["10.0.0.0/8"]) == "10.0.0.5"


def test_garbage_peers_and_proxy_entries_trust_nobody():
    assert client_address("not an ip", {"X-Forwarded-For": "198.51.100.4"}, ["0.0.0.0/0"]) == (
        "not an ip"
    )
    assert client_address("10.0.0.5", {"X-Forwarded-For": "198.51.100.4"}, ["nonsense"]) == (
        "10.0.0.5"
    )


def test_the_trusted_proxies_come_from_the_secrets_and_the_environment():
    assert trusted_proxies({}, {}) == ()
    secrets = {"proxy": {"trusted": ["127.0.0.1", "172.30.0.0/24"]}}
    assert trusted_proxies(secrets, {}) == ("127.0.0.1", "172.30.0.0/24")
    environ = {"PORTFOLIO_TRUSTED_PROXIES": "10.0.0.5, ::1 127.0.0.1"}
    assert trusted_proxies(secrets, environ) == ("127.0.0.1", "172.30.0.0/24", "10.0.0.5", "::1")
    assert trusted_proxies({"proxy": {"trusted": "127.0.0.1"}}, {}) == ("127.0.0.1",)
    with pytest.raises(ValueError, match="localhost"):
        trusted_proxies({"proxy": {"trusted": ["localhost"]}}, {})
