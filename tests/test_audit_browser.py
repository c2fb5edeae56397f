"""The HTML audit report in a real browser: headless Chromium through selenium, with no network.

Skips with its reason where chromium, chromedriver or selenium is missing.
Set BOTLINT_SCREENSHOT=path.png to keep a screenshot of the report.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from linter.cli import main

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not (Path(binary).is_file() and os.access(binary, os.X_OK)):
            pytest.skip(f"{binary} is not installed (Debian: apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--hide-scrollbars", "--window-size=1280,2000",
                     "--host-resolver-rules=MAP * ~NOTFOUND",  # any host lookup fails: nothing can be fetched
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(1280, 2000)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("audit") / "audit-examples.html"
    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        assert main(["audit", "examples/", "--format", "html", "-o", str(out)]) == 0
    finally:
        os.chdir(cwd)
    return out


@pytest.fixture(scope="module")
def page(browser, report):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(report.as_uri())
    # On a loaded machine `get` has returned with the page still being parsed (20 of 55 diagrams
    # there, then 55 articles a moment later): wait for the whole document.
    WebDriverWait(browser, 60).until(lambda driver: driver.execute_script("return document.readyState") == "complete")
    return browser


def css(page, selector: str):
    from selenium.webdriver.common.by import By

    return page.find_elements(By.CSS_SELECTOR, selector)


def test_diagrams_are_displayed_with_their_step_boxes(page):
    diagrams = css(page, "svg.flow-diagram")
    assert len(diagrams) == len(css(page, "article.flow")) > 20
    first = diagrams[0]
    assert first.is_displayed() and first.size["width"] > 50 and first.size["height"] > 50
    welcome = css(page, "#examples-messenger-welcome-flow-welcome svg.flow-diagram g.step")
    names = {step.get_attribute("data-step") for step in welcome}
    assert {"greet", "coffee", "wrap_up", "goodbye"} <= names
    box = welcome[0].find_element("css selector", "rect")
    assert box.size["width"] > 60 and box.size["height"] > 30
    assert "greet" in page.execute_script(
        "return document.querySelector('#examples-messenger-welcome-flow-welcome g.step text').textContent")


def test_flagged_steps_are_styled_by_severity(page):
    def fill(selector: str) -> str:
        return page.execute_script(f"return getComputedStyle(document.querySelector({selector!r})).fill")

    flagged = "#examples-everything-wrong-flow-promo g.step-error rect"
    plain = "#examples-messenger-welcome-flow-welcome g.step rect"
    assert fill(flagged) == "rgb(253, 231, 233)"
    assert fill(plain) == "rgb(255, 255, 255)"
    stroke = page.execute_script(f"return getComputedStyle(document.querySelector({flagged!r})).stroke")
    assert stroke == "rgb(197, 34, 31)"


def test_findings_are_visible_with_the_offending_text_marked(page):
    findings = css(page, "#examples-everything-wrong-flow-promo .finding")
    assert len(findings) == 9
    undefined = next(f for f in findings if f.get_attribute("data-code") == "BL001")
    page.execute_script("arguments[0].scrollIntoView()", undefined)
    assert undefined.is_displayed()
    assert "'goto' names step 'checkout', which flow 'promo' does not define" in undefined.text
    mark = undefined.find_element("css selector", "mark")
    assert mark.text == "goto checkout" and mark.is_displayed()
    background = page.execute_script("return getComputedStyle(arguments[0]).backgroundColor", mark)
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_timeline_and_scores_render(page):
    events = css(page, "#examples-linkedin-followup-flow-linkedin_followup ol.timeline li.event")
    assert [event.find_element("css selector", ".when").text for event in events][:3] == ["+0–16h", "+0", "+4d"]
    badge = css(page, "#examples-everything-wrong-flow-promo .score-badge b")[0]
    assert badge.text == "9"


def test_no_network_was_needed(page):
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert page.execute_script("return document.scripts.length + document.styleSheets.length") == 1  # the inline style


def test_screenshot(page, tmp_path):
    page.execute_script("window.scrollTo(0, 0)")
    shot = tmp_path / "audit-examples.png"
    assert page.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    wanted = os.environ.get("BOTLINT_SCREENSHOT")
    if wanted:
        shutil.copyfile(shot, wanted)
