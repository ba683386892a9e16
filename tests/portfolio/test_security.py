"""The DuckDB from ``connect(data_dir)`` touches nothing outside ``data_dir``.

Uploaded files are untrusted and queries are built by the product; this proves
the connection itself refuses to read or write elsewhere, to load code, or to
be unlocked again.
"""

from __future__ import annotations

import os

import duckdb
import pytest

from portfolio import connect


@pytest.fixture
def outside(tmp_path_factory):
    """A folder next to the data folder, with a file in it."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.csv").write_text("secret\n42\n", encoding="utf-8")
    return folder


@pytest.fixture
def locked(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "ok.csv").write_text("a\n1\n", encoding="utf-8")
    con = connect(data)
    yield con, data
    con.close()


def test_files_inside_the_data_folder_can_be_read_and_written(locked):
    con, data = locked
    assert con.execute("SELECT a FROM read_csv(?)", [str(data / "ok.csv")]).fetchall() == [(1,)]
    con.execute(f"COPY (SELECT 2 AS b) TO '{data / 'out.csv'}'")
    assert (data / "out.csv").read_text(encoding="utf-8").split() == ["b", "2"]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_blob('/etc/passwd')",
        "SELECT * FROM read_csv('{data}/../../../../etc/passwd')",
        "SELECT * FROM read_csv('{outside}/secret.csv')",
        "SELECT * FROM read_csv('{data}/link.csv')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_csv('https://example.com/x.csv')",
        "ATTACH '{outside}/other.duckdb'",
    ],
    ids=[
        "read_csv",
        "read_text",
        "read_blob",
        "dot-dot",
        "sibling folder",
        "symlink out",
        "glob",
        "url",
        "attach",
    ],
)
def test_files_outside_the_data_folder_cannot_be_read(locked, outside, query):
    con, data = locked
    os.symlink("/etc/passwd", data / "link.csv")
    with pytest.raises(duckdb.PermissionException):
        con.execute(query.format(data=data, outside=outside)).fetchall()


@pytest.mark.parametrize(
    "target",
    ["/tmp/portfolio-escape.csv", "{outside}/out.csv", "{data}/../out.csv"],
    ids=["tmp", "sibling folder", "dot-dot"],
)
def test_copy_to_outside_the_data_folder_is_refused(locked, outside, target):
    con, data = locked
    path = target.format(data=data, outside=outside)
    with pytest.raises(duckdb.PermissionException):
        con.execute(f"COPY (SELECT 1 AS x) TO '{path}'")
    assert not os.path.exists(path)


@pytest.mark.parametrize(
    "statement",
    ["INSTALL httpfs", "LOAD httpfs", "INSTALL excel", "LOAD '{data}/evil.duckdb_extension'"],
)
def test_extensions_cannot_be_installed_or_loaded(locked, statement):
    con, data = locked
    (data / "evil.duckdb_extension").write_bytes(b"\x7fELF" + b"junk" * 64)
    with pytest.raises(duckdb.PermissionException):
        con.execute(statement.format(data=data))


@pytest.mark.parametrize(
    "statement",
    [
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "SET allowed_directories = ['/']",
        "RESET allowed_directories",
        "SET allowed_paths = ['/etc/passwd']",
        "SET lock_configuration = false",
        "RESET lock_configuration",
        "SET autoinstall_known_extensions = true",
        "SET autoload_known_extensions = true",
        "SET memory_limit = '64GB'",
    ],
)
@pytest.mark.parametrize("via", ["connection", "cursor"])
def test_settings_are_locked_for_the_connection_and_its_cursors(locked, statement, via):
    con, _data = locked
    target = con.cursor() if via == "cursor" else con
    with pytest.raises(duckdb.InvalidInputException, match="locked"):
        target.execute(statement)
    assert con.execute("SELECT current_setting('enable_external_access')").fetchone() == (False,)
    assert con.execute("SELECT current_setting('lock_configuration')").fetchone() == (True,)
