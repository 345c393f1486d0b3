"""The review web app in real headless Chromium (Debian's chromium + chromium-driver, driven by Selenium):
curators accept, reject and edit with the mouse and with the keyboard, hostile paper text stays text,
the paper view's screenshot shows the report's highlight colours, and the demo's own records can be
reviewed end to end.

The app runs in this process under uvicorn on a loopback port; the store is a real SQLite file.
"""
from __future__ import annotations

import os

import socket
import struct
import subprocess
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from cli_harness import GENELIT
from genelit.flows.web import create_app
from genelit.flows.web.security import LOOPBACK_NAMES
from genelit.models.evidence import RecordStatus
from genelit.models.store import Store
from genelit.outputs.report import HIGHLIGHT_KINDS
from review_app_data import (
    HOSTILE_PMID,
    IGF1_PMID,
    fill_store,
    hostile_records,
    igf1_records,
)
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WINDOW = (1400, 1000)
WAIT_S = 30
DEMO_TIMEOUT_S = 600

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="needs Debian's headless Chromium and its driver: apt-get install -y chromium chromium-driver"),
]
DELETION, GENE_LEVEL = (r.record_id for r in igf1_records())
[HOSTILE] = (r.record_id for r in hostile_records())


class Server:
    """uvicorn serving the app on a free loopback port, in a thread of this process."""

    def __init__(self, store: Store) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(create_app(store, allowed_hosts=LOOPBACK_NAMES), log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + WAIT_S
        while not self.server.started:
            assert time.monotonic() < deadline, "the review app did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(WAIT_S)
        self.socket.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'review.db'}") as s:
        fill_store(s)
        yield s


@pytest.fixture
def server(store: Store) -> Iterator[Server]:
    with Server(store) as running:
        yield running


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT_S)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver: WebDriver) -> WebDriverWait:
    """Waits that survive the page being replaced under them (a decision reloads the paper view)."""
    return WebDriverWait(driver, WAIT_S, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException))


def card(driver: WebDriver, record_id: str) -> WebElement:
    return driver.find_element(By.ID, f"record-{record_id}")


def status_of(driver: WebDriver, record_id: str) -> str:
    return card(driver, record_id).find_element(By.CSS_SELECTOR, "header .status").text


def wait_for_status(driver: WebDriver, record_id: str, status: str) -> None:
    wait(driver).until(lambda d: status_of(d, record_id) == status)


def press(driver: WebDriver, *keys: str) -> None:
    for key in keys:
        driver.find_element(By.TAG_NAME, "body").send_keys(key)


def test_mouse_accept_reject_and_edit(server: Server, store: Store, browser: WebDriver) -> None:
    browser.get(f"{server.url}/paper/{IGF1_PMID}")
    deletion = card(browser, DELETION)
    deletion.find_element(By.CSS_SELECTOR, ".curator-input").send_keys("alice")
    deletion.find_element(By.CSS_SELECTOR, ".note-input").send_keys("Table 2")
    deletion.find_element(By.CSS_SELECTOR, "button.accept").click()
    wait_for_status(browser, DELETION, "accepted")
    assert browser.current_url.endswith(f"#record-{DELETION}")
    # the name is remembered for the next record
    gene_level = card(browser, GENE_LEVEL)
    assert gene_level.find_element(By.CSS_SELECTOR, ".curator-input").get_attribute("value") == "alice"
    gene_level.find_element(By.CSS_SELECTOR, "button.reject").click()
    wait_for_status(browser, GENE_LEVEL, "rejected")

    browser.get(f"{server.url}/paper/{HOSTILE_PMID}")
    hostile = card(browser, HOSTILE)
    hostile.find_element(By.CSS_SELECTOR, "details.edit summary").click()
    Select(hostile.find_element(By.NAME, "zygosity")).select_by_visible_text("homozygous")
    hgvs_p = hostile.find_element(By.NAME, "hgvs_p")
    hgvs_p.clear()
    hgvs_p.send_keys("p.M1V")
    hostile.find_element(By.CSS_SELECTOR, "button.save").click()
    wait_for_status(browser, HOSTILE, "edited")
    stored = [store.get_record(i) for i in (DELETION, GENE_LEVEL, HOSTILE)]
    assert [(r.status, r.curator) for r in stored] == [
        (RecordStatus.ACCEPTED, "alice"), (RecordStatus.REJECTED, "alice"), (RecordStatus.EDITED, "alice")]
    assert stored[0].note == "Table 2"
    assert (stored[2].zygosity, stored[2].hgvs_p) == ("homozygous", "p.Met1Val")
    history = card(browser, HOSTILE).find_element(By.CSS_SELECTOR, "details.history")
    history.find_element(By.TAG_NAME, "summary").click()
    assert "zygosity heterozygous → homozygous" in history.text


def test_keyboard_moves_accepts_rejects_and_edits(server: Server, store: Store, browser: WebDriver) -> None:
    browser.get(f"{server.url}/paper/{IGF1_PMID}")
    first, second = (c.get_attribute("data-record") for c in browser.find_elements(By.CSS_SELECTOR, ".record"))
    assert {first, second} == {DELETION, GENE_LEVEL}
    press(browser, "a")  # acts on the first record; no name yet: nothing is sent, the name field asks for it
    assert browser.switch_to.active_element.get_attribute("class") == "curator-input"
    browser.switch_to.active_element.send_keys("bob", Keys.ESCAPE)
    assert store.get_record(first).status == RecordStatus.DRAFT
    press(browser, "j")
    assert "selected" in card(browser, second).get_attribute("class")
    focused = browser.find_elements(By.CSS_SELECTOR, ".evidence.focus")
    assert focused and all(second in e.get_attribute("data-records") for e in focused)
    press(browser, "a")
    wait_for_status(browser, second, "accepted")
    press(browser, "k")  # the page came back on the accepted record: k goes to the one before it
    assert "selected" in card(browser, first).get_attribute("class")
    press(browser, "r")
    wait_for_status(browser, first, "rejected")
    press(browser, "e")
    field = browser.switch_to.active_element
    assert field.get_attribute("name") == "gene_symbol"  # the first field of the open edit form
    family = card(browser, first).find_element(By.NAME, "family_count")
    family.send_keys("2", Keys.ENTER)  # Enter in a field saves the edit, never accepts
    wait_for_status(browser, first, "edited")
    assert [(store.get_record(i).status, store.get_record(i).curator) for i in (first, second)] == [
        (RecordStatus.EDITED, "bob"), (RecordStatus.ACCEPTED, "bob")]
    assert store.get_record(first).family_count == 2


def test_queue_keyboard_and_evidence_link(server: Server, browser: WebDriver) -> None:
    browser.get(f"{server.url}/queue?sort=confidence&order=desc")
    press(browser, "j")
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.item")
    assert len(rows) == 3 and "selected" in rows[0].get_attribute("class")
    press(browser, Keys.ENTER)
    wait(browser).until(expected_conditions.url_contains(f"/paper/{IGF1_PMID}"))
    card(browser, GENE_LEVEL).find_element(By.CSS_SELECTOR, "a.to-evidence").click()
    focused = browser.find_elements(By.CSS_SELECTOR, ".evidence.focus")
    assert focused and all(GENE_LEVEL in e.get_attribute("data-records") for e in focused)


def test_hostile_text_stays_text(server: Server, browser: WebDriver) -> None:
    browser.get(f"{server.url}/paper/{HOSTILE_PMID}")
    assert browser.title == f"PMID {HOSTILE_PMID} — genelit review"  # no injected script ran
    assert "<script>document.title='pwned'</script>" in browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main svg, main i") == []
    assert '"><img src=x onerror=' in browser.find_element(By.CSS_SELECTOR, ".abstract").text


# -- screenshot ---------------------------------------------------------------------------------


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Width, height and RGB pixels of an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        header = chunk if kind == b"IHDR" else header
        idat += chunk if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    previous, pixels = bytearray(stride), []
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                best = min((abs(p - left), 0, left), (abs(p - up), 1, up), (abs(p - corner), 2, corner))[2]
                line[i] = (line[i] + best) & 0xFF
        pixels += [tuple(line[i:i + 3]) for i in range(0, stride, channels)]
        previous = line
    return width, height, pixels


def test_paper_view_screenshot_is_a_real_picture(server: Server, browser: WebDriver, tmp_path: Path) -> None:
    browser.get(f"{server.url}/paper/{IGF1_PMID}#record-{DELETION}")
    wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".evidence.focus"))
    shot = tmp_path / "paper-view.png"
    assert browser.save_screenshot(str(shot))
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == tuple(browser.execute_script("return [window.innerWidth, window.innerHeight]"))
    colours = Counter(pixels)
    most = colours.most_common(1)[0][1]
    assert len(colours) > 200 and most / len(pixels) < 0.9, "the screenshot is (nearly) blank"
    for cls, hex_colour, _ in HIGHLIGHT_KINDS.values():
        if cls in ("hl-gene", "hl-zygosity", "hl-variant", "hl-phenotype"):
            rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
            assert colours[rgb] > 50, f"no {cls} highlight ({hex_colour}) in the screenshot"


# -- the demo, end to end -------------------------------------------------------------------------


@pytest.mark.slow
def test_the_demos_records_are_reviewed_in_the_browser(tmp_path: Path, browser: WebDriver) -> None:
    """`genelit demo --offline` (the real pipeline on the bundled PubMed record), then its store in the app."""
    out = tmp_path / "demo"
    db_url = f"sqlite:///{tmp_path / 'genelit.db'}"  # the demo drafts into the configured store
    done = subprocess.run([GENELIT, "demo", "--offline", "--engine", "local", "--out", str(out)],
                          capture_output=True, text=True, timeout=DEMO_TIMEOUT_S, check=False,
                          env={**os.environ, "GENELIT_DB_URL": db_url})
    assert done.returncode == 0, done.stderr[-2000:]
    with Store(db_url) as store, Server(store) as running:
        assert store.list_records(), "the demo drafted no records"
        browser.get(f"{running.url}/queue")
        press(browser, "j", Keys.ENTER)
        wait(browser).until(expected_conditions.url_contains("/paper/"))
        records = store.list_records(pmid=browser.current_url.split("/paper/")[1].split("#")[0])
        first = browser.find_element(By.CSS_SELECTOR, ".record")
        assert first.find_elements(By.CSS_SELECTOR, ".sentence mark"), "evidence sentences are not highlighted"
        assert browser.find_elements(By.CSS_SELECTOR, ".abstract mark.hl-zygosity")
        first.find_element(By.CSS_SELECTOR, ".curator-input").send_keys("demo curator", Keys.ESCAPE)
        for record in records:
            press(browser, "j", "a")
            wait_for_status(browser, record.record_id, "accepted")
        assert {(r.status, r.curator) for r in store.list_records(pmid=records[0].pmid)} == {
            (RecordStatus.ACCEPTED, "demo curator")}
        browser.get(f"{running.url}/gene/{records[0].gene_symbol}")
        assert "Draft classification" in browser.find_element(By.CSS_SELECTOR, ".classification").text
