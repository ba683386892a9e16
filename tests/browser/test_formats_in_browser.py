"""Every page, in Dutch and in English, in a real browser: no number, amount, date or
word in the other language's format (a regular expression over the page's text, the
charts' axis labels included, every tab opened)."""

import re
import time

import pytest

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

PAGES = ("overzicht", "klanten", "klantbehoud", "segmenten", "prijsscenarios")
PAGES += ("stappenplan", "inlezen")
COMMON = {
    "a timestamp as Python prints it": r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}",
    "a missing value as Python prints it": r"\b(?:None|nan|NaN|NaT)\b",
}
WRONG = {
    "nl": {
        **COMMON,
        "an English amount": r"€\s?-?\d{1,3}(?:,\d{3})+(?:\.\d+)?",
        "a sign before the euro": r"[-−]\s?€",
        "a decimal point": r"(?<![\d.,])\d+\.\d{1,2}(?!\d)",
        "a plural after one": r"(?<![\d.,])1 (?:klanten|regels|dagen|maanden|weken)\b",
        "Streamlit's English placeholder": r"Choose an? option",
    },
    "en": {
        **COMMON,
        "a Dutch amount": r"€\s?-?\d{1,3}(?:\.\d{3})+(?:,\d+)?",
        "a decimal comma": r"(?<![\d.,])\d+,\d{1,2}(?!\d)",
        "a plural after one": r"(?<![\d.,])1 (?:customers|lines|days|months|weeks)\b",
    },
}
TEXT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const axes = [...main.querySelectorAll('svg text')].map(e => e.textContent);
  return main.innerText + '\\n' + axes.join('\\n');
}"""


def _texts(page) -> str:
    """The page's text with every one of its tabs opened in turn."""
    texts = [page.evaluate(TEXT)]
    tabs = page.locator('[data-testid="stMain"] [data-baseweb="tab"]')
    for i in range(tabs.count()):
        tabs.nth(i).click()
        time.sleep(0.3)
        wait_for_app(page)
        time.sleep(0.7)  # the charts draw after the run
        texts.append(page.evaluate(TEXT))
    return "\n".join(texts)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_page_writes_in_the_other_languages_format(page, app_url, lang):
    found = []
    for path in PAGES:
        page.goto(f"{app_url}/{path}?lang={lang}")
        wait_for_app(page)
        time.sleep(1.0)
        text = _texts(page)
        assert len(text) > 200, (path, text)  # the page was drawn
        for what, pattern in WRONG[lang].items():
            for match in re.finditer(pattern, text):
                at = match.start()
                found.append((path, what, text[max(0, at - 40) : at + 30]))
        screenshot(page, f"formats-{path}-{lang}")
    assert found == []
