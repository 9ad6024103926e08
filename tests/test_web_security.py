"""``camket serve`` is safe to leave running: the token, sessions and CSRF tokens, office links
that cannot be changed, upload limits enforced while the body streams in, downloads only from
the outputs, and the workspace lock shared with the command line."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import anyio
import pytest
from starlette.requests import Request

from camket import Workspace
from camket.web import UploadLimits
from camket.web.uploads import UploadError, receive_upload

from .webtools import RETURNED, ROUND, TOKEN, client, csrf, fixture_workspace, office_path, signed_in

BAD_LINK = "Đường dẫn không đúng hoặc đã bị thay đổi"


def _files(*names: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, (RETURNED / name).read_bytes(), "application/octet-stream")) for name in names]


# --- login, sessions, CSRF ---------------------------------------------------------------------


def test_the_department_pages_need_the_token(tmp_path: Path) -> None:
    web = client(fixture_workspace(tmp_path))
    for page in ("/", f"/ky/{ROUND}", f"/ky/{ROUND}/tep", "/danh-muc", f"/ky/{ROUND}/duong-dan"):
        answer = web.get(page)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/dang-nhap?next="), page
    wrong = web.get("/dang-nhap?token=sai")
    assert wrong.status_code == 403
    assert "Mã truy cập không đúng" in wrong.text
    assert web.get("/").status_code == 303


def test_login_gives_a_new_httponly_strict_session_cookie(tmp_path: Path) -> None:
    web = client(fixture_workspace(tmp_path))
    before = web.get("/dang-nhap")
    planted = before.cookies["camket_sid"]
    answer = web.post("/dang-nhap", data={"csrf": csrf(web, "/dang-nhap"), "token": TOKEN, "next": "/ky/2022-6T"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/ky/2022-6T"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert web.cookies["camket_sid"] != planted  # a session id known before login is worth nothing
    assert web.get("/").status_code == 200


def test_login_never_redirects_to_another_site(tmp_path: Path) -> None:
    web = client(fixture_workspace(tmp_path))
    for target in ("//evil.example/", "https://evil.example/", "\\\\evil", "/\\evil"):
        answer = web.get(f"/dang-nhap?token={TOKEN}&next={target}")
        assert answer.headers["location"] == "/", target


def test_forms_without_their_csrf_token_are_refused(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    web = signed_in(root)
    for token in (None, "gia-mao"):
        data = {"csrf": token} if token else {}
        answer = web.post(f"/ky/{ROUND}/viec/bao-cao", data=data)
        assert answer.status_code == 403
        assert "hết hạn" in answer.text
        assert web.post("/dang-xuat", data=data).status_code == 403
    as_upload = web.post(f"/ky/{ROUND}/viec/bao-cao", files=[("x", ("a.txt", b"b", "text/plain"))])
    assert as_upload.status_code == 403  # a multipart body is no way around the token
    good = web.post(f"/ky/{ROUND}/viec/mau", data={"csrf": csrf(web)}, headers={"HX-Request": "true"})
    assert good.status_code == 200 and "Lập mẫu báo cáo" in good.text


def test_an_upload_must_carry_the_csrf_token_before_its_files(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    uploads = tmp_path / "tai-len"
    web = signed_in(root, upload_dir=uploads)
    token = csrf(web)
    files = _files("returned_clean.xlsx")
    assert web.post(f"/ky/{ROUND}/nhan", files=files).status_code == 403
    assert web.post(f"/ky/{ROUND}/nhan", files=files, data={"csrf": "gia-mao"}).status_code == 403
    assert Workspace.open(root).submissions(ROUND) == []
    assert not any(uploads.rglob("*.xlsx"))
    accepted = web.post(f"/ky/{ROUND}/nhan", files=files, headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert accepted.status_code == 200 and "Tiếp nhận 1 tệp" in accepted.text


def test_responses_carry_security_headers(tmp_path: Path) -> None:
    answer = client(fixture_workspace(tmp_path)).get("/dang-nhap")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["x-content-type-options"] == "nosniff"


# --- office links ------------------------------------------------------------------------------


def test_a_changed_office_link_is_refused(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    web = client(root)
    good = office_path(root, "VPC")
    assert web.get(good).status_code == 200
    prefix, signature = good.rsplit("/", 1)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    changed = [
        f"{prefix}/{flipped}",                               # one character of the signature
        good.replace("/VPC/", "/VP/"),                       # another unit, same signature
        good.replace(f"/{ROUND}/", "/2022-9T/"),             # another round, same signature
        office_path(root, "KHONGCO"),                        # signed, but no such unit
        office_path(root, "VPC", "2099-6T"),                 # signed, but no such round
        f"{prefix}/",
    ]
    for link in changed:
        answer = web.get(link)
        assert answer.status_code == 404, link
        if link.endswith("/"):
            continue
        assert BAD_LINK in answer.text
        posted = web.post(link, files=_files("returned_clean.xlsx"))
        assert posted.status_code == 404
    assert Workspace.open(root).submissions(ROUND) == []


# --- downloads -----------------------------------------------------------------------------------


def test_downloads_come_only_from_the_rounds_outputs(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    ws = Workspace.open(root)
    made = ws.templates(ROUND)
    web = signed_in(root)
    outside = tmp_path / "bi-mat.txt"
    outside.write_text("không được tải", encoding="utf-8")
    (ws.out_dir(ROUND) / "lien-ket.txt").symlink_to(outside)
    good = web.get(f"/ky/{ROUND}/tai/templates/{made.zip_path.name}")
    assert good.status_code == 200 and good.content == made.zip_path.read_bytes()
    for attempt in ("../../camket.toml", "..%2F..%2Fcamket.toml", "%2e%2e/%2e%2e/camket.toml",
                    "templates/../../../camket.toml", "/etc/passwd", "%2Fetc%2Fpasswd", "lien-ket.txt",
                    "templates", "../2022-9T", ".camket/secret.key", "..\\..\\camket.toml"):
        answer = web.get(f"/ky/{ROUND}/tai/{attempt}")
        assert answer.status_code == 404, attempt
        assert "không được tải" not in answer.text and "[agency]" not in answer.text


# --- upload limits --------------------------------------------------------------------------------


def _request(chunks: list[bytes], boundary: str, pulled: list[int]) -> Request:
    async def receive() -> dict[str, object]:
        if pulled[0] < len(chunks):
            pulled[0] += 1
            return {"type": "http.request", "body": chunks[pulled[0] - 1], "more_body": pulled[0] < len(chunks)}
        return {"type": "http.disconnect"}

    scope = {"type": "http", "method": "POST", "path": "/", "headers": [
        (b"content-type", f"multipart/form-data; boundary={boundary}".encode())]}
    return Request(scope, receive)


def test_an_oversized_file_is_refused_while_it_streams_in(tmp_path: Path) -> None:
    """The body arrives in 64 KB chunks (no Content-Length, as with chunked encoding): reading
    stops just past the limit, long before the 8 MB have arrived, and nothing is kept."""
    boundary = "ranh-gioi"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"lon.xlsx\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    chunks = [head] + [b"x" * 65536] * 128 + [f"\r\n--{boundary}--\r\n".encode()]
    pulled = [0]
    folder = tmp_path / "tai-len"

    async def main() -> None:
        with pytest.raises(UploadError) as refused:
            await receive_upload(_request(chunks, boundary, pulled), folder, UploadLimits(max_file_bytes=256 * 1024))
        assert refused.value.status == 413
        assert 'Tệp "lon.xlsx" lớn hơn' in refused.value.message

    anyio.run(main)
    assert pulled[0] <= 1 + 256 // 64 + 1  # the header chunk, the allowed bytes, and the one that crossed
    assert not folder.exists()


def test_uploads_over_the_limits_are_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    uploads = tmp_path / "tai-len"
    limits = UploadLimits(max_file_bytes=20_000, max_files=2, max_request_bytes=200_000)
    web = client(root, upload_dir=uploads, office_upload=limits)
    link = office_path(root, "VPC")
    token = csrf(web, link)
    big = [("files", ("to.xlsx", b"x" * 20_001, "application/octet-stream"))]
    answer = web.post(link, files=big, data={"csrf": token})
    assert answer.status_code == 413 and "lớn hơn" in answer.text
    many = _files("returned_clean.xlsx") * 3
    answer = web.post(link, files=many, data={"csrf": token})
    assert answer.status_code == 413 and "tối đa 2 tệp" in answer.text
    declared = web.post(link, content=b"x" * 10, headers={
        "content-type": "multipart/form-data; boundary=b", "content-length": "999999999"})
    assert declared.status_code == 413
    assert Workspace.open(root).submissions(ROUND) == []
    assert not uploads.exists() or not any(uploads.iterdir())


# --- the workspace lock -----------------------------------------------------------------------------


def _hold_lock(root: Path, seconds: float, held: threading.Event) -> None:
    with Workspace.open(root).lock():
        held.set()
        time.sleep(seconds)


def test_an_upload_during_a_command_waits_for_it_then_goes_in(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    web = client(root, upload_wait=20)
    link = office_path(root, "VPC")
    token = csrf(web, link)
    held = threading.Event()
    other = threading.Thread(target=_hold_lock, args=(root, 1.5, held))
    other.start()
    held.wait(5)
    started = time.monotonic()
    answer = web.post(link, files=_files("returned_clean.xlsx"), data={"csrf": token},
                      headers={"Accept": "application/json"})
    waited = time.monotonic() - started
    other.join()
    assert answer.status_code == 200, answer.text
    assert answer.json()["files"][0]["state"] == "accepted"
    assert waited >= 1.0


def test_an_upload_that_waits_too_long_says_busy_and_stores_nothing(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    uploads = tmp_path / "tai-len"
    web = client(root, upload_wait=0.5, upload_dir=uploads)
    link = office_path(root, "VPC")
    token = csrf(web, link)
    held = threading.Event()
    other = threading.Thread(target=_hold_lock, args=(root, 3, held))
    other.start()
    held.wait(5)
    answer = web.post(link, files=_files("returned_clean.xlsx"), data={"csrf": token})
    other.join()
    assert answer.status_code == 503
    assert "Hệ thống đang bận" in answer.text and "gửi lại sau ít phút" in answer.text
    assert Workspace.open(root).submissions(ROUND) == []
    assert not any(uploads.iterdir())
