"""Reports that come by e-mail: saved .eml and Outlook .msg messages, mbox files and Maildir
folders, with hostile ones (nested too deep, oversized, names in odd encodings)."""

from __future__ import annotations

import datetime as dt
import email.policy
import os
import sqlite3
import zipfile
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

from camket import Workspace
from camket.ingest import IngestResult, Limits
from camket.ledger import Ledger, Submission
from camket.templates import write_template

from .conftest import SAMPLE_TIME

RECEIVED = dt.datetime(2022, 7, 20, 9, 0)
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def filled(ws: Workspace, unit: str, folder: Path, progress: float = 50) -> Path:
    """``unit``'s template of 2022-6T, filled in (every task in progress)."""
    job = ws.template_jobs("2022-6T", units=[unit], generated=SAMPLE_TIME)[0]
    answers = {t.code: {"status": "Đang thực hiện", "progress": progress, "self_score": 0} for t in job.tasks}
    path = folder / f"{unit}-{int(progress)}.xlsx"
    write_template(replace(job, path=path, prefill=answers))
    return path


def message(sender: str, date: str, subject: str, attachments: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
            nested: EmailMessage | None = None) -> EmailMessage:
    m = EmailMessage(policy=email.policy.SMTP)
    m["From"] = sender
    m["To"] = "vanphong@bo.example.vn"
    m["Subject"] = subject
    m["Date"] = date
    m.set_content("Kính gửi Văn phòng Bộ, đơn vị gửi báo cáo kèm theo.")
    for name, data in attachments:
        maintype, subtype = XLSX if name.endswith(".xlsx") else ("application", "octet-stream")
        m.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    if nested is not None:
        m.add_attachment(nested)
    return m


def ingested(root: Path, paths: list[Path]) -> tuple[IngestResult, dict[str, Submission]]:
    ws = Workspace.open(root)
    result = ws.ingest(paths, "2022-6T", now=RECEIVED)
    with Ledger(root, create=False) as ledger:
        subs = {s.name: s for s in ledger.submissions("2022-6T")}
    return result, subs


def test_an_eml_attachment_counts_with_the_date_and_sender_of_its_message(small_ws: Path, tmp_path: Path) -> None:
    ws = Workspace.open(small_ws)
    report = filled(ws, "VPC", tmp_path / "f")
    eml = tmp_path / "thu" / "bao-cao-VPC.eml"
    eml.parent.mkdir()
    # sent at 23:10 in Hà Nội on the due date: written in UTC it is the afternoon of that day
    eml.write_bytes(bytes(message("Vụ Pháp chế <VPC@bo.example.vn>", "Tue, 05 Jul 2022 16:10:00 +0000",
                                  "Báo cáo 6 tháng", [("Báo cáo Vụ Pháp chế.xlsx", report.read_bytes())])))
    _, subs = ingested(small_ws, [eml.parent])
    attachment = subs["thu/bao-cao-VPC.eml/Báo cáo Vụ Pháp chế.xlsx"]
    assert (attachment.state, attachment.unit, attachment.kind) == ("accepted", "VPC", "report")
    assert (attachment.arrived, attachment.arrived_source) == ("2022-07-05T23:10:00", "email")
    assert attachment.sender == "vpc@bo.example.vn"
    assert attachment.container == "thu/bao-cao-VPC.eml"
    letter = subs["thu/bao-cao-VPC.eml"]
    assert (letter.kind, letter.format, letter.state, letter.unit) == ("email", "eml", "unpacked", "VPC")
    status = ws.reconcile("2022-6T")
    assert [u.unit.code for u in status.late] == []   # on the due date, Vietnam time
    assert Workspace.open(small_ws).archived_file(letter.id)[1] == eml.read_bytes()


def test_an_mbox_is_read_in_the_order_sent_and_lists_messages_without_a_workbook(
        small_ws: Path, tmp_path: Path) -> None:
    ws = Workspace.open(small_ws)
    first, second = filled(ws, "VP", tmp_path / "a", 40), filled(ws, "VP", tmp_path / "b", 70)
    zipped = tmp_path / "two.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(filled(ws, "TTCNTT", tmp_path / "c"), "TTCNTT.xlsx")
    messages = [  # written newest first, as a mail program exports a folder sorted by date descending
        message("vp@bo.example.vn", "Mon, 11 Jul 2022 08:00:00 +0700", "Gửi lại báo cáo", [("VP.xlsx",
                                                                                           second.read_bytes())]),
        message("cntt@bo.example.vn", "Fri, 08 Jul 2022 10:00:00 +0700", "Báo cáo TTCNTT",
                [("bao-cao.zip", zipped.read_bytes())]),
        message("vpc@bo.example.vn", "Fri, 08 Jul 2022 11:00:00 +0700", "Xin gia hạn"),
        message("vpc@bo.example.vn", "Fri, 08 Jul 2022 11:30:00 +0700", "Bản chụp",
                [("bao-cao-da-ky.pdf", b"%PDF-1.7 scanned")]),
        message("vp@bo.example.vn", "Wed, 06 Jul 2022 15:00:00 +0700", "Báo cáo", [("VP.xlsx", first.read_bytes())]),
    ]
    box = tmp_path / "Inbox"   # a Thunderbird folder: an mbox file without a suffix
    box.write_bytes(b"".join(b"From MAILER-DAEMON Mon Jul 11 08:00:00 2022\n" + bytes(m) + b"\n" for m in messages))
    result, subs = ingested(small_ws, [box])
    vp = sorted((s for s in subs.values() if s.unit == "VP" and s.kind == "report"), key=lambda s: s.id)
    assert [(s.state, s.arrived) for s in vp] == [("superseded", "2022-07-06T15:00:00"),
                                                  ("accepted", "2022-07-11T08:00:00")]
    assert subs["Inbox/thu-002.eml/bao-cao.zip/TTCNTT.xlsx"].state == "accepted"
    no_workbook = [f for f in result.findings if f.code == "mail-no-workbook"]
    assert [f.message for f in no_workbook] == [
        'Thư "Xin gia hạn" của vpc@bo.example.vn (08/07/2022 11:00) không kèm tệp báo cáo',
        'Thư "Bản chụp" của vpc@bo.example.vn (08/07/2022 11:30) không kèm tệp báo cáo; chỉ có bao-cao-da-ky.pdf']
    assert {s.state for s in subs.values() if s.kind == "email" and "thu-003" in s.name} == {"rejected"}
    assert "mail-attachment-skipped" in {f.code for f in result.findings}
    assert ws.reconcile("2022-6T").rejected == {}   # a letter without a file is not an unreadable report


def test_a_report_without_metadata_or_codes_is_known_by_its_sender(small_ws: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    sheet.append(["STT", "Nội dung nhiệm vụ", "Tình trạng", "Tiến độ (%)"])
    sheet.append([1, "Rà soát văn bản quy phạm pháp luật", "Đang thực hiện", 60])
    sheet.append([2, "Kiểm tra công tác pháp chế tại các đơn vị", "Hoàn thành", 100])
    typed = tmp_path / "bang-tu-go.xlsx"
    book.save(typed)
    # alone, the file cannot be attributed
    alone = Workspace.open(small_ws).ingest([typed], "2022-6T", now=RECEIVED, dry_run=True)
    assert [f.code for f in alone.findings if f.severity.value == "error"] == ["unit-unidentified"]
    eml = tmp_path / "thu.eml"
    eml.write_bytes(bytes(message("vpc@bo.example.vn", "Mon, 04 Jul 2022 09:00:00 +0700", "Báo cáo",
                                  [("bao-cao.xlsx", typed.read_bytes())])))
    _, subs = ingested(small_ws, [eml])
    report = subs["thu.eml/bao-cao.xlsx"]
    assert (report.state, report.unit) == ("accepted", "VPC")
    assert "địa chỉ thư điện tử người gửi (vpc@bo.example.vn)" in report.identified_by


def test_an_outlook_msg_is_read_with_its_attachment(small_ws: Path, tmp_path: Path) -> None:
    msg_module = pytest.importorskip("aspose.email_foss.msg")   # writes the .msg (camket reads it with olefile)
    ws = Workspace.open(small_ws)
    report = filled(ws, "TTCNTT", tmp_path / "f")
    letter = message("Trung tâm CNTT <cntt@bo.example.vn>", "Mon, 04 Jul 2022 02:30:00 +0000", "Báo cáo 6 tháng",
                     [("Báo cáo TTCNTT.xlsx", report.read_bytes())])
    path = tmp_path / "Báo cáo TTCNTT.msg"
    path.write_bytes(msg_module.MapiMessage.from_email_message(letter).to_bytes())
    _, subs = ingested(small_ws, [path])
    attachment = subs["Báo cáo TTCNTT.msg/Báo cáo TTCNTT.xlsx"]
    assert (attachment.state, attachment.unit) == ("accepted", "TTCNTT")
    assert (attachment.arrived, attachment.sender) == ("2022-07-04T09:30:00", "cntt@bo.example.vn")
    assert subs["Báo cáo TTCNTT.msg"].format == "msg"


def test_an_outlook_msg_forwarded_inside_another_is_read_to_its_workbook(small_ws: Path, tmp_path: Path) -> None:
    msg_module = pytest.importorskip("aspose.email_foss.msg")
    ws = Workspace.open(small_ws)
    report = filled(ws, "VPC", tmp_path / "f")
    inner = message("vpc@bo.example.vn", "Mon, 04 Jul 2022 02:30:00 +0000", "Báo cáo",
                    [("Báo cáo VPC.xlsx", report.read_bytes())])
    outer = message("van-thu@bo.example.vn", "Tue, 05 Jul 2022 01:00:00 +0000", "Chuyển tiếp", nested=inner)
    path = tmp_path / "chuyen-tiep.msg"
    path.write_bytes(msg_module.MapiMessage.from_email_message(outer).to_bytes())
    result, subs = ingested(small_ws, [path])
    [counted] = [s for s in subs.values() if s.state == "accepted"]
    assert counted.unit == "VPC" and counted.name.startswith("chuyen-tiep.msg/") and counted.name.endswith(".xlsx")
    assert not [f for f in result.findings if f.code == "file-corrupt"]


def test_a_damaged_outlook_msg_is_a_finding_and_kept(small_ws: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "hong.msg"
    damaged.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    result, subs = ingested(small_ws, [damaged])
    assert subs["hong.msg"].state == "rejected"
    assert [f.severity.value for f in result.findings if f.severity.value == "error"]


def test_names_in_rfc_2047_and_2231_and_hostile_names_are_decoded_and_kept_inside(
        small_ws: Path, tmp_path: Path) -> None:
    ws = Workspace.open(small_ws)
    data = filled(ws, "VP", tmp_path / "f").read_bytes()
    raw = (
        b"From: =?utf-8?b?VsSDbiBwaMOybmc=?= <vp@bo.example.vn>\r\nTo: x@bo.example.vn\r\n"
        b"Subject: =?utf-8?q?B=C3=A1o_c=C3=A1o?=\r\nDate: Mon, 04 Jul 2022 09:00:00 +0700\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n'
        b"--b\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%20VP.xlsx\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + _b64(data) +
        b"--b\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="=?utf-8?b?Li4vLi4vZXRjL2LhuqNuZy54bHN4?="\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + _b64(data) +
        b"--b\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="\xff\xfe bad.xlsx"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + _b64(b"PK\x03\x04 broken") + b"--b--\r\n")
    eml = tmp_path / "in" / "thu.eml"
    eml.parent.mkdir()
    eml.write_bytes(raw)
    before = {p for p in tmp_path.rglob("*")}
    result, subs = ingested(small_ws, [eml])
    assert [(o.name, o.state) for o in result.files] == [
        ("thu.eml/Báo cáo VP.xlsx", "accepted"), ("thu.eml/bảng.xlsx", "duplicate"),
        ("thu.eml/\ufffd\ufffd bad.xlsx", "rejected"), ("thu.eml", "unpacked")]
    assert subs["thu.eml"].sender == "vp@bo.example.vn"
    new = {p for p in tmp_path.rglob("*")} - before
    assert all(p.is_relative_to(small_ws) for p in new)   # nothing written outside the workspace


def _b64(data: bytes) -> bytes:
    import base64

    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def test_nested_too_deep_and_oversized_attachments_are_refused_with_a_finding(small_ws: Path, tmp_path: Path) -> None:
    ws = Workspace.open(small_ws)
    data = filled(ws, "VPC", tmp_path / "f").read_bytes()
    inner = message("vpc@bo.example.vn", "Mon, 04 Jul 2022 09:00:00 +0700", "Lớp 3", [("VPC.xlsx", data)])
    for depth in (2, 1):
        inner = message("vp@bo.example.vn", "Mon, 04 Jul 2022 10:00:00 +0700", f"Lớp {depth}", nested=inner)
    eml = tmp_path / "long.eml"
    eml.write_bytes(bytes(inner))
    big = tmp_path / "big.eml"
    big.write_bytes(bytes(message("vpc@bo.example.vn", "Mon, 04 Jul 2022 09:00:00 +0700", "Tệp lớn",
                                  [("to.xlsx", os.urandom(4096))])))
    result = ws.ingest([eml, big], "2022-6T", now=RECEIVED, limits=Limits(max_depth=2, max_file_bytes=2 ** 20 * 50),
                       dry_run=True)
    refused = [f.message for f in result.findings if f.code == "mail-attachment-refused"]
    assert refused == ['Bỏ qua tệp đính kèm "Lớp 3.eml" của thư "Lớp 2": thư lồng trong thư quá 2 cấp']
    small = ws.ingest([big], "2022-6T", now=RECEIVED, limits=Limits(max_unpacked_bytes=3000), dry_run=True)
    assert [f.message for f in small.findings if f.code == "mail-attachment-refused"] == [
        'Bỏ qua tệp đính kèm "to.xlsx" của thư "Tệp lớn": vượt tổng dung lượng giải nén cho phép']


def test_a_maildir_folder_of_messages_without_suffix(small_ws: Path, tmp_path: Path) -> None:
    ws = Workspace.open(small_ws)
    folder = tmp_path / "Maildir" / "cur"
    folder.mkdir(parents=True)
    (folder / "1657000000.M1P2.may:2,S").write_bytes(bytes(message(
        "vp@bo.example.vn", "Tue, 05 Jul 2022 08:00:00 +0700", "Báo cáo",
        [("VP.xlsx", filled(ws, "VP", tmp_path / "f").read_bytes())])))
    _, subs = ingested(small_ws, [tmp_path / "Maildir"])
    assert [s.state for n, s in subs.items() if n.endswith("VP.xlsx")] == ["accepted"]


def test_a_version_2_ledger_gains_the_sender_column(small_ws: Path, tmp_path: Path) -> None:
    ws = Workspace.open(small_ws)
    ws.ingest([filled(ws, "VP", tmp_path / "f")], "2022-6T", now=RECEIVED)
    with sqlite3.connect(small_ws / "ledger.sqlite") as db:   # as camket 0.2 left it
        db.execute("ALTER TABLE submissions DROP COLUMN sender")
        db.execute("DROP TABLE registrations")
        db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with Ledger(small_ws) as ledger:
        [sub] = ledger.submissions("2022-6T")
        assert (sub.unit, sub.state, sub.sender) == ("VP", "accepted", "")
        tables = {r[0] for r in ledger._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "registrations" in tables
    assert list((small_ws / ".camket" / "backup").glob("ledger-v2-*.sqlite"))
