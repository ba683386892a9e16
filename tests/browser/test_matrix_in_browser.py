"""Every page on every shape of data unlike the demo, in a real browser (the matrix
of shapes; ``tests/app/test_matrix.py`` is the same in AppTest): one server holding every
shape as a saved dataset, each page opened by its share link."""

import pytest
from playwright.sync_api import expect

from tests.app.test_matrix import BAD, saved
from tests.browser.conftest import _serve, wait_for_app
from tests.shapes import SHAPES

pytestmark = pytest.mark.browser
PATHS = ["", "klanten", "klantbehoud", "segmenten", "prijsscenarios", "stappenplan", "inlezen"]


@pytest.fixture(scope="module")
def shapes_url(tmp_path_factory):
    store = tmp_path_factory.mktemp("shapes") / "store"
    for shape in SHAPES:
        saved(shape, store)
    yield from _serve(store)


@pytest.mark.parametrize("shape", SHAPES)
def test_every_page_of_a_shape_shows_figures_or_unknown_never_an_error(browser, shapes_url, shape):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    try:
        for path in PATHS:
            page.goto(f"{shapes_url}/{path}?dataset={shape}", wait_until="domcontentloaded")
            expect(page.locator("h1").first).to_be_visible(timeout=120_000)  # it ran
            wait_for_app(page, timeout=120_000)
            assert page.locator('[data-testid="stException"]').count() == 0, path
            text = page.locator('[data-testid="stMain"]').inner_text()
            assert "Page not found" not in text, path
            assert not BAD.search(text), (path, BAD.search(text).group(0))
    finally:
        context.close()
