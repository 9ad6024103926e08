"""The department's pages and the offices' pages of ``camket serve``, through the test client:
what they show comes from the library as it is (figures, states, findings with their cells),
and their buttons do what the command line does."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from camket import Workspace
from camket.cli import cli
from camket.links import verify_signature
from camket.templates import GUIDE_SHEET
from camket.vi import format_number

from .conftest import write_master_xlsx
from .webtools import RETURNED, ROUND, TOKEN, client, csrf, fixture_workspace, office_path, signed_in


def _files(*names: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, (RETURNED / name).read_bytes(), "application/octet-stream")) for name in names]


def _text(page: str) -> str:
    """A page's visible text: inline tags removed, block tags as spaces, spaces collapsed."""
    inline = re.sub(r"</?(strong|em|code|a)\b[^>]*>", "", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def _wait_for_job(web: object, job_id: str) -> str:
    deadline = time.monotonic() + 60
    while True:
        page = web.get(f"/viec/{job_id}").text  # type: ignore[attr-defined]
        if 'hx-trigger="every 1s"' not in page:
            return page
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_the_dashboard_shows_the_figures_exactly_as_status_gives_them(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    ws = Workspace.open(root)
    ws.ingest([RETURNED / "returned_clean.xlsx", RETURNED / "returned_date_31_02.xlsx"], ROUND,
              now=dt.datetime(2022, 7, 8, 9))
    status = ws.reconcile(ROUND).status_json()
    page = _text(signed_in(root).get(f"/ky/{ROUND}").text)
    units, tasks = status["units"], status["tasks"]
    assert isinstance(units, dict) and isinstance(tasks, dict)
    assert f"{units['answered']}/{units['expected']} đơn vị đã báo cáo" in page
    assert f"{len(units['missing'])} đơn vị chưa báo cáo" in page
    assert f"{len(units['late'])} đơn vị gửi muộn" in page
    sentences = status["sentences"]
    assert isinstance(sentences, dict)
    assert f"Đã hoàn thành {sentences['completed']}; {sentences['heads']}." in page
    assert f"Chưa báo cáo {format_number(tasks['not_reported'])}" in page
    for code in units["missing"]:
        assert code in page
    assert "VPC Vụ Pháp chế — gửi lúc 08/07/2022 09:00" in page  # late: due 05/07/2022


def test_received_files_show_their_state_and_findings_with_file_sheet_and_cell(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    ws = Workspace.open(root)
    result = ws.ingest([RETURNED / "returned_date_31_02.xlsx", RETURNED / "returned_truncated.xlsx"], ROUND)
    web = signed_in(root)
    listing = _text(web.get(f"/ky/{ROUND}/tep").text)
    assert "returned_date_31_02.xlsx" in listing and "Được tính" in listing
    assert "returned_truncated.xlsx" in listing and "Không tính" in listing
    number = next(o.submission_id for o in result.files if o.name == "returned_date_31_02.xlsx")
    page = _text(web.get(f"/ky/{ROUND}/tep/{number}").text)
    finding = next(f for f in result.findings if f.code == "date-invalid")
    assert f'returned_date_31_02.xlsx sheet "Báo cáo", ô K8 {finding.task}' in page
    assert finding.text in page
    filtered = _text(web.get(f"/ky/{ROUND}/tep?trang_thai=rejected").text)
    assert "returned_truncated.xlsx" in filtered and "returned_date_31_02.xlsx" not in filtered


def test_the_department_chooses_which_file_counts(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    ws = Workspace.open(root)
    first, second = (ws.ingest([RETURNED / name], ROUND).files[0]
                     for name in ("returned_clean.xlsx", "returned_date_31_02.xlsx"))
    web = signed_in(root)
    assert first.submission_id is not None
    listing = web.get(f"/ky/{ROUND}/tep").text
    assert f'action="/ky/{ROUND}/tep/{first.submission_id}/chon"' in listing      # superseded: may be chosen
    assert f'action="/ky/{ROUND}/tep/{second.submission_id}/chon"' not in listing  # already counted
    answer = web.post(f"/ky/{ROUND}/tep/{first.submission_id}/chon", data={"csrf": csrf(web)})
    assert answer.status_code == 303
    states = {s.id: s.state for s in ws.submissions(ROUND)}
    assert states == {first.submission_id: "accepted", second.submission_id: "superseded"}
    assert f"Đã chọn dùng tệp số {first.submission_id}" in web.get(answer.headers["location"]).text


def test_report_runs_as_a_job_with_progress_and_its_files_download(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    Workspace.open(root).ingest([RETURNED / "returned_clean.xlsx"], ROUND)
    web = signed_in(root)
    started = web.post(f"/ky/{ROUND}/viec/bao-cao", data={"csrf": csrf(web)}, headers={"HX-Request": "true"})
    job = re.search(r'id="viec-(\d+)"', started.text)
    assert job, started.text
    done = _wait_for_job(web, job.group(1))
    assert "Đã hoàn thành" in done
    links = re.findall(r'href="(/ky/2022-6T/tai/[^"]+)"', done)
    assert [link.rsplit("/", 1)[-1] for link in links] == ["2022-6T_tong-hop.xlsx", "2022-6T_bao-cao.docx"]
    word = web.get(links[1])
    assert word.status_code == 200
    assert word.content == (root / "out" / ROUND / "2022-6T_bao-cao.docx").read_bytes()
    assert 'filename="2022-6T_bao-cao.docx"' in word.headers["content-disposition"]
    assert "Báo cáo (Word)" in web.get(f"/ky/{ROUND}").text


def test_templates_and_feedback_buttons(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    web = signed_in(root)
    started = web.post(f"/ky/{ROUND}/viec/mau", data={"csrf": csrf(web)}, headers={"HX-Request": "true"})
    done = _wait_for_job(web, re.search(r'id="viec-(\d+)"', started.text).group(1))  # type: ignore[union-attr]
    assert "Đã lập 3 mẫu báo cáo." in done
    Workspace.open(root).ingest([RETURNED / "returned_date_31_02.xlsx"], ROUND)
    started = web.post(f"/ky/{ROUND}/viec/phan-hoi", data={"csrf": csrf(web)}, headers={"HX-Request": "true"})
    done = _wait_for_job(web, re.search(r'id="viec-(\d+)"', started.text).group(1))  # type: ignore[union-attr]
    made = sorted(p.name for p in (root / "out" / ROUND / "phan-hoi").glob("phan-hoi_*.xlsx"))
    assert f"Đã lập {len(made)} tệp phản hồi." in done and len(made) == 3  # VPC to fix, two never answered
    assert "2022-6T_phan-hoi.zip" in done


def test_a_failing_job_says_why_in_vietnamese(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    config = (root / "camket.toml").read_text(encoding="utf-8")
    (root / "camket.toml").write_text(config + '\n[report]\ndocx_template = "khong-co.docx"\n', encoding="utf-8")
    web = signed_in(root)
    started = web.post(f"/ky/{ROUND}/viec/bao-cao", data={"csrf": csrf(web)}, headers={"HX-Request": "true"})
    done = _wait_for_job(web, re.search(r'id="viec-(\d+)"', started.text).group(1))  # type: ignore[union-attr]
    assert "Không tìm thấy mẫu văn bản" in done


def test_the_office_page_answers_at_once_cell_by_cell(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    Workspace.open(root).templates(ROUND)
    web = client(root)
    link = office_path(root, "VPC")
    page = _text(web.get(link).text)
    assert "Vụ Pháp chế (mã VPC)" in page and "6 tháng đầu năm 2022" in page and "05/07/2022" in page
    assert web.get(f"{link}/mau").content.startswith(b"PK")
    answer = web.post(link, files=_files("returned_date_31_02.xlsx", "returned_truncated.xlsx"),
                      data={"csrf": csrf(web, link)})
    assert answer.status_code == 200
    shown = _text(answer.text)
    assert "returned_date_31_02.xlsx Được tính" in shown
    assert "Đã tiếp nhận. Báo cáo được tính vào kết quả tổng hợp của kỳ, nhưng còn 1 lỗi cần sửa" in shown
    assert 'Lỗi sheet "Báo cáo", ô K8' in shown
    assert "returned_truncated.xlsx Không tính" in shown and "Tệp bị hỏng" in shown
    feedback = web.get(f"{link}/phan-hoi")
    assert feedback.status_code == 200 and feedback.content.startswith(b"PK")
    book = openpyxl.load_workbook(io.BytesIO(feedback.content))
    assert book.sheetnames[0] == "Cần sửa"
    assert any("K8" in str(c.value) for row in book["Cần sửa"].iter_rows() for c in row)
    history = _text(web.get(link).text)
    assert "Các tệp đơn vị đã gửi kỳ này" in history and "returned_date_31_02.xlsx" in history


def test_the_master_list_is_checked_before_it_replaces_the_old_one(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    web = signed_in(root)
    assert "3 đơn vị, 6 nhiệm vụ, 2 kỳ báo cáo; không có lỗi" in _text(web.get("/danh-muc").text)
    broken = tmp_path / "danh-muc-loi.xlsx"
    write_master_xlsx(broken, tasks=[["VP-01", "KHONGCO", "Nhiệm vụ của đơn vị không có", "", "", "", "", "",
                                      "", ""]])
    token = csrf(web, "/danh-muc")
    shown = web.post("/danh-muc/tai-len", data={"csrf": token},
                     files=[("files", ("danh-muc-loi.xlsx", broken.read_bytes(), "application/octet-stream"))])
    assert "chưa dùng được danh mục này" in _text(shown.text)
    assert "/danh-muc/dung" not in shown.text
    good = tmp_path / "danh-muc-moi.xlsx"
    write_master_xlsx(good)
    shown = web.post("/danh-muc/tai-len", data={"csrf": token},
                     files=[("files", ("danh-muc-moi.xlsx", good.read_bytes(), "application/octet-stream"))])
    candidate = re.search(r'name="candidate" value="([^"]+)"', shown.text)
    assert candidate and "Không có lỗi" in shown.text
    old = (root / "danh-muc.xlsx").read_bytes()
    used = web.post("/danh-muc/dung", data={"csrf": token, "candidate": candidate.group(1)})
    assert used.status_code == 303
    assert (root / "danh-muc.xlsx").read_bytes() == good.read_bytes()
    assert [p.read_bytes() for p in (root / ".camket" / "danh-muc-cu").iterdir()] == [old]
    assert web.post("/danh-muc/dung", data={"csrf": token, "candidate": "../../x"}).status_code == 404


def test_links_page_and_command_list_every_unit_with_a_valid_signature(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    ws = Workspace.open(root)
    result = CliRunner().invoke(cli, ["-w", str(root), "links", "--round", ROUND, "--json",
                                      "--base-url", "http://10.0.0.5:8765/"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [(x["unit"], x["name"]) for x in listed] == [(u.code, u.name) for u in ws.units()]
    for item in listed:
        prefix, round_id, unit, signature = item["url"].rsplit("/", 3)
        assert prefix == "http://10.0.0.5:8765/nop" and round_id == ROUND and unit == item["unit"]
        assert verify_signature(ws.secret, ws.id, ROUND, unit, signature)
        assert not verify_signature(ws.secret, ws.id, "2022-9T", unit, signature)
    plain = CliRunner().invoke(cli, ["-w", str(root), "links", "--round", ROUND])
    assert "chỉ mở được trên máy này" in plain.stderr
    web = signed_in(root)
    page = web.get(f"/ky/{ROUND}/duong-dan").text
    assert all(f"/nop/{ROUND}/{u.code}/" in page for u in ws.units())
    rows = list(csv.reader(io.StringIO(web.get(f"/ky/{ROUND}/duong-dan?dang=csv").text.lstrip("\ufeff"))))
    assert rows[0] == ["Mã đơn vị", "Tên đơn vị", "Đường dẫn nộp báo cáo"] and len(rows) == 1 + len(ws.units())


def test_the_template_guide_shows_the_units_link_when_a_base_url_is_configured(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    plain = Workspace.open(root).templates(ROUND, units=["VPC"]).files[0]
    texts = [c.value for row in openpyxl.load_workbook(plain)[GUIDE_SHEET].iter_rows() for c in row if c.value]
    assert not any("/nop/" in str(t) for t in texts)
    config = (root / "camket.toml").read_text(encoding="utf-8")
    (root / "camket.toml").write_text(config + '\n[web]\nbase_url = "http://10.0.0.5:8765"\n', encoding="utf-8")
    ws = Workspace.open(root)
    made = ws.templates(ROUND).files
    for path in made:
        unit = path.name.split("_")[1]
        rows = [[c.value for c in row] for row in openpyxl.load_workbook(path)[GUIDE_SHEET].iter_rows()]
        line = next(r for r in rows if r[0] == "Gửi qua mạng")
        assert line[1].endswith(f"http://10.0.0.5:8765{office_path(root, unit)}")


@pytest.mark.skipif(sys.platform == "win32", reason="signals")
def test_camket_serve_prints_the_login_url_and_serves(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    env = {**os.environ, "CAMKET_TOKEN": TOKEN}
    with subprocess.Popen([sys.executable, "-m", "camket", "-w", str(root), "serve", "--port", "0"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as process:
        assert process.stdout is not None and process.stderr is not None
        try:
            line = process.stdout.readline().strip()
            assert re.fullmatch(rf"http://127\.0\.0\.1:\d+/dang-nhap\?token={TOKEN}", line), line
            base = line.split("/dang-nhap")[0]
            with urllib.request.urlopen(f"{base}/api/health", timeout=10) as answer:
                assert json.load(answer)["status"] == "ok"
            browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
            with browser.open(line, timeout=10) as answer:  # the printed URL logs in
                assert "Các kỳ báo cáo" in answer.read().decode("utf-8")
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(20)
        assert "Nhấn Ctrl+C để dừng" in process.stderr.read()


def test_camket_serve_says_when_its_port_is_taken(tmp_path: Path) -> None:
    import socket

    root = fixture_workspace(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["-w", str(root), "serve", "--port", str(port), "--token", TOKEN])
    assert result.exit_code == 1
    assert f"Không mở được cổng {port}" in result.stderr


def test_a_file_of_another_unit_sent_through_a_link_counts_for_neither(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    web = client(root)
    link = office_path(root, "VPC")
    token = csrf(web, link)
    mine = web.post(link, files=_files("returned_clean.xlsx"), data={"csrf": token},
                    headers={"Accept": "application/json"}).json()
    assert [f["state"] for f in mine["files"]] == ["accepted"]
    (sub,) = Workspace.open(root).submissions(ROUND)
    assert sub.arrived_source == "upload" and sub.file_time == ""  # arrived when uploaded; no time of its own
    other = web.post(link, files=_files("returned_clean_other_unit.xlsx"), data={"csrf": token},
                     headers={"Accept": "application/json"}).json()
    assert [(f["state"], f["unit"]) for f in other["files"]] == [("pending", "VP")]
    status = Workspace.open(root).reconcile(ROUND).status_json()
    assert status["units"]["answered"] == 1 and "VP" in status["units"]["missing"]  # type: ignore[index]
    assert [p["file"] for p in status["pending"]] == ["returned_clean_other_unit.xlsx"]  # type: ignore[attr-defined]
    page = _text(web.post(link, files=_files("returned_clean_other_unit.xlsx"), data={"csrf": token}).text)
    assert "Đã nhận trước đây" in page  # the same bytes again: told so, not counted twice


def test_an_office_is_never_shown_another_units_file_it_sends_again(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    web = client(root)
    theirs, mine = office_path(root, "VP"), office_path(root, "VPC")
    web.post(theirs, files=_files("returned_clean_other_unit.xlsx"), data={"csrf": csrf(web, theirs)})
    page = _text(web.post(mine, files=_files("returned_clean_other_unit.xlsx"), data={"csrf": csrf(web, mine)}).text)
    assert "là báo cáo của đơn vị khác, không phải của Vụ Pháp chế" in page
    assert "tệp số" not in page and "Văn phòng" not in page  # nothing of VP's file: no number, no findings
    assert Workspace.open(root).reconcile(ROUND).status_json()["units"]["answered"] == 1  # type: ignore[index]


def test_the_offices_list_of_files_comes_with_each_answer_and_holds_what_was_not_counted(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    web = client(root)
    link = office_path(root, "VPC")
    fetched = web.post(link, files=_files("returned_clean.xlsx", "returned_truncated.xlsx"),
                       data={"csrf": csrf(web, link)}, headers={"X-Requested-With": "fetch"})
    shown = _text(fetched.text)  # the fragment that replaces the answer on the page
    assert "Kết quả kiểm tra tệp vừa gửi" in shown and "Các tệp đơn vị đã gửi kỳ này" in shown
    listed = shown.split("Các tệp đơn vị đã gửi kỳ này", 1)[1]
    assert "returned_clean.xlsx" in listed and "returned_truncated.xlsx" in listed  # the unreadable one too
    assert "Tệp gửi sau hạn 05/7/2022 nên được ghi là gửi muộn" in shown  # the fixture round is long past due
    [truncated] = [s for s in Workspace.open(root).submissions(ROUND) if s.name == "returned_truncated.xlsx"]
    assert (truncated.state, truncated.unit) == ("rejected", "VPC")  # told to VPC: it came through VPC's link


def test_the_department_settles_or_dismisses_a_pending_file(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    ws = Workspace.open(root)
    sent = (("returned_clean_other_unit.xlsx", "VPC"), ("returned_date_31_02.xlsx", "VP"))  # the other's link
    vp_file, vpc_file = (ws.ingest([RETURNED / name], ROUND, expected_unit=link).files[0] for name, link in sent)
    assert (vp_file.state, vpc_file.state) == ("pending", "pending")
    web = signed_in(root)
    dashboard = _text(web.get(f"/ky/{ROUND}").text)
    assert "Chờ xử lý (2)" in dashboard and "VP Văn phòng Bộ — Lê Văn An có 1 tệp chờ xử lý" in dashboard
    token = csrf(web)
    answer = web.post(f"/ky/{ROUND}/tep/{vp_file.submission_id}/chon", data={"csrf": token, "unit": "VP"})
    assert answer.status_code == 303
    assert web.post(f"/ky/{ROUND}/tep/{vpc_file.submission_id}/loai", data={"csrf": token}).status_code == 303
    states = {s.id: (s.state, s.unit) for s in ws.submissions(ROUND)}
    assert states[vp_file.submission_id] == ("accepted", "VP")
    assert states[vpc_file.submission_id][0] == "dismissed"
    assert ws.reconcile(ROUND).status_json()["units"]["answered"] == 1  # type: ignore[index]
    refused = web.post(f"/ky/{ROUND}/tep/{vp_file.submission_id}/loai", data={"csrf": token})
    assert refused.status_code == 400 and "Chỉ loại được tệp đang chờ xử lý" in refused.text


def test_the_department_can_say_when_dropped_files_arrived(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    web = signed_in(root)
    token = csrf(web)
    late = web.post(f"/ky/{ROUND}/nhan", files=_files("returned_clean.xlsx"), headers={"HX-Request": "true"},
                    data={"csrf": token, "ngay_nhan": "01/01/2099"})
    assert late.status_code == 400 and "ở sau hôm nay" in late.text
    wrong = web.post(f"/ky/{ROUND}/nhan", files=_files("returned_clean.xlsx"), headers={"HX-Request": "true"},
                     data={"csrf": token, "ngay_nhan": "31/02/2022"})
    assert wrong.status_code == 400 and "ngày/tháng/năm" in wrong.text
    answer = web.post(f"/ky/{ROUND}/nhan", files=_files("returned_clean.xlsx"), headers={"HX-Request": "true"},
                      data={"csrf": token, "ngay_nhan": "4/7/2022"})
    _wait_for_job(web, re.search(r'id="viec-(\d+)"', answer.text).group(1))  # type: ignore[union-attr]
    (sub,) = Workspace.open(root).submissions(ROUND)
    assert (sub.arrived, sub.arrived_source) == ("2022-07-04", "given")
    assert "04/07/2022 (ngày nhận do người tiếp nhận ghi)" in _text(web.get(f"/ky/{ROUND}/tep/{sub.id}").text)
    assert not Workspace.open(root).reconcile(ROUND).late  # due 05/07/2022: on time
