"""The web fonts in a real browser: an Urdu or Farsi page draws its text with the
font the site serves (so a phone without one shows letters, not boxes), and a
page in another language never downloads it."""

from __future__ import annotations

import pytest
from pages_public import PublicScreen

FACES = {"ur": "SafeReport Urdu", "fa": "SafeReport Farsi"}

# The faces the page uses, once the browser has loaded what the text needs.
LOADED_FACES = """async () => {
  await document.fonts.ready;
  return [...document.fonts]
    .filter(face => face.status === 'loaded')
    .map(face => face.family.replace(/"/g, '') + ' ' + face.weight);
}"""


# Each served font file, loaded by the browser on its own: Chromium's font
# sanitiser (OTS) refuses a broken subset, so "loaded" means it can be drawn.
LOAD_SERVED_FILES = """async () => {
  const urls = [];
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      if (!(rule instanceof CSSFontFaceRule)) { continue; }
      const found = rule.style.getPropertyValue('src').match(/url\\("?([^")]+)"?\\)/);
      if (found) { urls.push(new URL(found[1], sheet.href).href); }
    }
  }
  const results = [];
  for (const url of urls) {
    const face = new FontFace('probe ' + results.length, `url(${url})`);
    try { await face.load(); results.push([url, face.status]); }
    catch (error) { results.push([url, String(error)]); }
  }
  return results;
}"""


@pytest.mark.parametrize("language", sorted(FACES))
def test_the_page_draws_its_script_with_the_served_font(browser_page, language):
    page, visits = browser_page
    fonts: list[str] = []
    page.on(
        "request",
        lambda request: fonts.append(request.url) if request.resource_type == "font" else None,
    )
    screen = PublicScreen(page, visits)
    screen.open(f"/{language}/")
    # The face is in use: from the device when it has the font (local(), as on
    # this machine with Debian's fonts-noto-core), else downloaded from the site.
    loaded = page.evaluate(LOADED_FACES)
    assert f"{FACES[language]} 400" in loaded, loaded
    heading = page.get_by_role("heading", level=1).inner_text()
    assert page.evaluate(
        '([family, text]) => document.fonts.check(`16px "${family}"`, text)',
        [FACES[language], heading],
    )
    # A phone without the font downloads these: each one loads in Chromium.
    results = page.evaluate(LOAD_SERVED_FILES)
    assert results and all(status == "loaded" for _, status in results), results
    urls = [url for url, _ in results]
    assert all(url.startswith(visits.server + "/static/safereport/fonts/") for url in urls)
    assert all(url.endswith(".woff2") for url in urls)
    assert sorted(fonts) == sorted(urls)  # fetched from the site, nothing else


FONT_FACE_RULES = """() => [...document.styleSheets]
  .flatMap(sheet => [...sheet.cssRules])
  .filter(rule => rule instanceof CSSFontFaceRule).length"""


def test_pages_in_other_languages_declare_and_download_no_font(browser_page):
    page, visits = browser_page
    fonts: list[str] = []
    page.on(
        "request",
        lambda request: fonts.append(request.url) if request.resource_type == "font" else None,
    )
    screen = PublicScreen(page, visits)
    for language in ("en", "pl", "ar"):
        screen.open(f"/{language}/")
        page.evaluate("async () => { await document.fonts.ready; }")
        assert page.evaluate(FONT_FACE_RULES) == 0, language
    assert fonts == []
