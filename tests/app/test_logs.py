"""The server log: one line per upload, save and error, and never customer data."""

import logging

import pytest

from tests.app.conftest import open_page
from tests.app.test_upload_page import upload

LINES = (
    "Klant;Factuurdatum;Bedrag excl. btw\r\n"
    "Bakkerij Geheim BV;15-01-2025;1.000,00\r\n"
    "Slagerij Verborgen;16-01-2025;veel\r\n"
)


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def log_lines():
    handler = Lines()
    logger = logging.getLogger("portfolio")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def test_an_upload_a_save_and_an_error_each_log_one_line_without_customer_data(app, log_lines):
    at = open_page(app, "upload")
    upload(at, LINES.encode("cp1252"), "verkoop.csv")
    at.text_input(key="dataset_name").set_value("Eigen").run()
    at.button[-1].click().run()
    at = open_page(at, "upload")
    upload(at, bytes(range(256)) * 50, "kapot.csv")
    uploads = [line for line in log_lines if line.startswith("upload ")]
    size = len(LINES.encode("cp1252"))
    assert uploads == [
        f"upload kind=lines kind_of_file=csv bytes={size} rows=2 rejected=1 "
        f"seconds={uploads[0].rsplit('=', 1)[1]}"
    ]
    assert "save what=dataset dataset=Eigen rows=1" in log_lines
    assert "error key=file_binary" in log_lines
    text = "\n".join(log_lines)
    assert "Geheim" not in text and "Verborgen" not in text and "veel" not in text
