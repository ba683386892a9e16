"""``make serve``'s launcher: a shared address only with a password or single sign-on."""

import pytest

from deploy.serve import command


def test_without_credentials_it_listens_on_localhost_only(tmp_path):
    env = {"PORTFOLIO_SECRETS": str(tmp_path / "missing.toml"), "PORTFOLIO_PORT": "8600"}
    cmd = command(env)
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--server.port") + 1] == "8600"
    assert cmd[cmd.index("--server.enableXsrfProtection") + 1] == "true"
    assert cmd[cmd.index("--browser.gatherUsageStats") + 1] == "false"
    with pytest.raises(SystemExit, match="Not starting on 0.0.0.0"):
        command({**env, "PORTFOLIO_ADDRESS": "0.0.0.0"})


def test_a_team_password_allows_a_shared_address_and_the_secret_stays_out(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[team]\npassword = "Zomer2026!"\n', encoding="utf-8")
    cmd = command({"PORTFOLIO_SECRETS": str(secrets), "PORTFOLIO_ADDRESS": "0.0.0.0"})
    assert cmd[cmd.index("--server.address") + 1] == "0.0.0.0"
    assert cmd[cmd.index("--secrets.files") + 1] == str(secrets)
    assert not any("Zomer2026" in part for part in cmd)  # never on a command line (ps)


def test_an_unreadable_secrets_file_stops_with_its_name_not_its_content(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[team\npassword = "Zomer2026!"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        command({"PORTFOLIO_SECRETS": str(secrets)})
    assert "secrets.toml" in str(stopped.value) and "Zomer" not in str(stopped.value)


def test_a_trusted_proxy_without_a_door_or_with_a_typo_does_not_start(tmp_path):
    missing = str(tmp_path / "missing.toml")
    with pytest.raises(SystemExit, match="trusted proxy is configured"):
        command({"PORTFOLIO_SECRETS": missing, "PORTFOLIO_TRUSTED_PROXIES": "127.0.0.1"})
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[team]\npassword = "x"\n[proxy]\ntrusted = ["127.0.0.l"]\n')
    with pytest.raises(SystemExit, match="127.0.0.l"):
        command({"PORTFOLIO_SECRETS": str(secrets)})


def test_no_stack_trace_or_server_path_reaches_a_browser(tmp_path):
    cmd = command({"PORTFOLIO_SECRETS": str(tmp_path / "missing.toml")})
    assert cmd[cmd.index("--client.showErrorDetails") + 1] == "none"
