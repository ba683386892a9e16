"""Every page, in Dutch and in English, in a real browser, every tab opened: no number,
amount, date or word in the other language's format (a regular expression over the
page's text, the charts' axis labels included), nor in any file the page hands out
(every download button pressed: CSV, xlsx, HTML, PDF, ics); and every chart readable
(no bar drawn outside it, no axis label on its side)."""

import time
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import screenshot, wait_for_app
from tests.language_formats import FILE_WRONG, WRONG, file_texts, wrong_formats

pytestmark = pytest.mark.browser

PAGES = ("overzicht", "klanten", "klant", "klantbehoud", "segmenten", "prijsscenarios")
PAGES += ("stappenplan", "inlezen")
TEXT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const axes = [...main.querySelectorAll('svg text')].map(e => e.textContent);
  return main.innerText + '\\n' + axes.join('\\n');
}"""
# a chart read at a glance: no bar drawn outside the chart (a bar top cut off), no axis
# label on its side (`12-2023` turned under a bar)
MISDRAWN = """() => {
  const found = [];
  for (const svg of document.querySelectorAll('[data-testid="stMain"] svg.marks')) {
    const frame = svg.getBoundingClientRect();
    for (const mark of svg.querySelectorAll('.role-mark path, .role-mark rect')) {
      const box = mark.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.top < frame.top - 1 || box.bottom > frame.bottom + 1 ||
          box.left < frame.left - 1 || box.right > frame.right + 1) {
        found.push('a mark outside its chart, px over top/bottom: ' +
                   [frame.top - box.top, box.bottom - frame.bottom]);
      }
    }
    for (const label of svg.querySelectorAll('.role-axis-label text')) {
      const turn = (label.getAttribute('transform') || '').match(/rotate\\((-?[\\d.]+)/);
      if (turn && Math.abs(parseFloat(turn[1])) > 1) {
        found.push('an axis label on its side: ' + label.textContent);
      }
    }
  }
  return found;
}"""
DOWNLOADS = '[data-testid="stMain"] [data-testid="stDownloadButton"] button'
# the sample files on the import page are examples of the input (a Dutch export), not output
SAMPLE = "button => button.closest('[class*=\"st-key-sample_\"]') !== null"


def _download(page, button, attempts: int = 3):
    """The file ``button`` hands out. A click while the run of the click before is still
    starting (a download button reruns the page) can be lost: then it is clicked again."""
    for attempt in range(attempts):
        wait_for_app(page)
        try:
            with page.expect_download(timeout=15_000) as download:
                button.click()
            wait_for_app(page)
            return download.value
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


@dataclass
class Reading:
    """What a reader sees on the pages: their text, the files they hand out, the charts
    that are hard to read."""

    texts: list[tuple[str, str]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    misdrawn: list[tuple[str, str]] = field(default_factory=list)

    def read(self, page, path: str) -> None:
        self.texts.append((path, page.evaluate(TEXT)))
        self.misdrawn += [(path, what) for what in page.evaluate(MISDRAWN)]
        buttons = page.locator(DOWNLOADS)
        for i in range(buttons.count()):
            if not buttons.nth(i).is_visible() or buttons.nth(i).evaluate(SAMPLE):
                continue
            download = _download(page, buttons.nth(i))
            self.files.setdefault(download.suggested_filename, download.path().read_bytes())

    def read_every_tab(self, page, path: str) -> None:
        self.read(page, path)
        tabs = page.get_by_test_id("stMain").get_by_role("tab")
        for i in range(tabs.count()):
            tabs.nth(i).click()
            time.sleep(0.3)
            wait_for_app(page)
            time.sleep(0.7)  # the charts draw after the run
            self.read(page, path)


@pytest.fixture(scope="module")
def readings(browser, app_url) -> dict[str, Reading]:
    """Every page read once per language (the three tests below share the reading), in a
    browser set to the other language: the page's language decides, not the browser's."""
    found = {}
    for lang, browser_locale in (("nl", "en-US"), ("en", "nl-NL")):
        viewport = {"width": 1400, "height": 1000}
        context = browser.new_context(viewport=viewport, locale=browser_locale)
        page = context.new_page()
        reading = found[lang] = Reading()
        for path in PAGES:
            page.goto(f"{app_url}/{path}?lang={lang}")
            wait_for_app(page)
            time.sleep(1.0)
            reading.read_every_tab(page, path)
            screenshot(page, f"formats-{path}-{lang}")
        context.close()
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_page_writes_in_the_other_languages_format(readings, lang):
    found = []
    for path, text in readings[lang].texts:
        assert len(text) > 200, (path, text)  # the page was drawn
        found += wrong_formats(text, lang, where=path)
    assert found == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_download_writes_in_the_other_languages_format(readings, lang):
    files = readings[lang].files
    kinds = {name.rsplit(".", 1)[-1] for name in files}
    assert kinds == {"csv", "xlsx", "html", "pdf", "ics"}, sorted(files)
    found = []
    for name, data in files.items():
        texts = file_texts(name, data, lang)
        assert texts, name  # the file holds text
        patterns = WRONG[lang] | FILE_WRONG[lang]
        found += wrong_formats("\n".join(texts), lang, where=name, patterns=patterns)
    assert found == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_chart_is_drawn_within_its_frame_with_level_labels(readings, lang):
    assert readings[lang].misdrawn == []
