"""A whole round in a real browser: Debian's Chromium driven through chromedriver (Selenium),
against ``camket serve`` on a local port. Nothing is downloaded at test time.

Skipped with a notice where Chromium or chromedriver is missing; failed instead when ``CI``
is set (``.ci/run`` installs ``chromium`` and ``chromium-driver``). Screenshots of the
dashboard and the office page are written to ``$CAMKET_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from camket import Workspace

from .webtools import RETURNED, ROUND, TOKEN, fixture_workspace, office_path, running_server

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1000", "--lang=vi-VN")


def _require_chromium() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install '.[dev]')")
    if missing:
        hint = f"not installed: {', '.join(missing)}; apt-get install chromium chromium-driver"
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{hint}, and CI is set", pytrace=False)
        pytest.skip(hint)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    _require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    downloads = tmp_path / "tai-ve"
    downloads.mkdir()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def _wait(condition: Callable[[], Any], seconds: float = 30, what: str = "") -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _screenshot(driver: Any, path: Path) -> None:
    """The whole page, as tall as it is."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(int(height) + 120, 6000))
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    shots = os.environ.get("CAMKET_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(shots) / path.name)


def _send(driver: Any, *names: str) -> str:
    """Choose files in the page's upload form, send them, and return what the page answered."""
    from selenium.webdriver.common.by import By

    picker = driver.find_element(By.CSS_SELECTOR, "form[data-drop] input[type=file]")
    picker.send_keys("\n".join(str(RETURNED / name) for name in names))
    driver.find_element(By.CSS_SELECTOR, "form[data-drop] button[type=submit]").click()
    def answered() -> str:
        text = str(driver.find_element(By.ID, "ket-qua").text.strip())
        return "" if text.startswith("Đang gửi") else text

    return str(_wait(answered, what="the answer"))


def test_login_with_a_wrong_then_the_right_token(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    with running_server(fixture_workspace(tmp_path)) as base:
        browser.get(f"{base}/ky/{ROUND}")
        assert "/dang-nhap" in browser.current_url
        browser.find_element(By.ID, "token").send_keys("sai")
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        assert "Mã truy cập không đúng" in browser.find_element(By.CSS_SELECTOR, ".alert").text
        browser.find_element(By.ID, "token").send_keys(TOKEN)
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        _wait(lambda: browser.current_url.endswith(f"/ky/{ROUND}"), what="the dashboard")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Kỳ báo cáo 6 tháng đầu năm 2022"


def test_a_round_in_the_browser(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    root = fixture_workspace(tmp_path)
    Workspace.open(root).templates(ROUND)
    with running_server(root) as base:
        # an office clerk opens the unit's link: a filled template, then a broken file
        browser.get(base + office_path(root, "VPC"))
        assert "Vụ Pháp chế (mã VPC)" in browser.find_element(By.CSS_SELECTOR, ".who").text
        answer = _send(browser, "returned_date_31_02.xlsx", "returned_truncated.xlsx")
        assert "returned_date_31_02.xlsx Được tính" in answer
        assert 'sheet "Báo cáo", ô K8' in answer
        assert "returned_truncated.xlsx Không tính" in answer and "Tệp bị hỏng" in answer
        _screenshot(browser, tmp_path / "trang-don-vi.png")
        # a file of another unit sent through this link is counted for neither
        answer = _send(browser, "returned_clean_other_unit.xlsx")
        assert "Chờ xử lý" in answer

        # the department logs in with the printed URL and sees the round
        browser.get(f"{base}/dang-nhap?token={TOKEN}")
        browser.get(f"{base}/ky/{ROUND}")
        figures = browser.find_element(By.CSS_SELECTOR, ".figures").text
        assert "1/3\nđơn vị đã báo cáo" in figures and "1\ntệp chờ xử lý" in figures
        pending = browser.find_element(By.ID, "cho-xu-ly")
        assert "returned_clean_other_unit.xlsx" in pending.text
        _screenshot(browser, tmp_path / "bang-theo-doi.png")

        # it settles the chờ xử lý case: the file counts for its unit
        pending.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        browser.switch_to.alert.accept()
        _wait(lambda: "Đã chọn dùng tệp số" in browser.find_element(By.TAG_NAME, "main").text, what="the choice")
        browser.get(f"{base}/ky/{ROUND}")
        assert "2/3\nđơn vị đã báo cáo" in browser.find_element(By.CSS_SELECTOR, ".figures").text
        assert not browser.find_elements(By.ID, "cho-xu-ly")

        # it makes the report, watches it progress, and downloads the Word report
        browser.find_element(By.XPATH, "//button[normalize-space()='Lập báo cáo tổng hợp']").click()
        job = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#viec-moi .job.done"), 60, "the report")[0]
        assert "Đã hoàn thành" in job.text
        job.find_element(By.PARTIAL_LINK_TEXT, "_bao-cao.docx").click()
        word = browser.downloads / "2022-6T_bao-cao.docx"
        _wait(word.exists, what="the download")
        assert word.read_bytes() == (root / "out" / ROUND / "2022-6T_bao-cao.docx").read_bytes()
