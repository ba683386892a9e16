"""The deployment files keep the app behind the proxy: only caddy is published, the app
listens on loopback (systemd) or on an internal network (compose)."""

from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_compose_publishes_caddy_only_and_keeps_the_app_on_an_internal_network():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    app, caddy = compose["services"]["app"], compose["services"]["caddy"]
    assert "ports" not in app and "network_mode" not in app
    assert app["networks"] == ["backend"]
    assert compose["networks"]["backend"]["internal"] is True
    assert caddy["ports"] and "backend" in caddy["networks"]
    assert caddy["environment"]["PORTFOLIO_UPSTREAM"] == "app:8501"
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    # the throttle trusts the network caddy comes from, the same one compose creates
    subnet = compose["networks"]["backend"]["ipam"]["config"][0]["subnet"]
    assert app["environment"]["PORTFOLIO_TRUSTED_PROXIES"] == subnet


def _settings(unit: str) -> list[str]:
    return [
        line.strip()
        for line in (DEPLOY / unit).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_systemd_keeps_the_app_on_loopback_and_the_hash_out_of_the_journal():
    app = _settings("portfolio.service")
    assert "Environment=PORTFOLIO_ADDRESS=127.0.0.1" in app
    assert "Environment=PORTFOLIO_TRUSTED_PROXIES=127.0.0.1" in app
    proxy = _settings("portfolio-proxy.service")
    assert "Environment=PORTFOLIO_UPSTREAM=127.0.0.1:8501" in proxy
    assert any(line.startswith("EnvironmentFile=/etc/klantportfolio/") for line in proxy)
    start = next(line for line in proxy if line.startswith("ExecStart="))
    assert "deploy/Caddyfile" in start and "--environ" not in start
