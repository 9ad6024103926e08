"""The master list in the browser: check the configuration and ``danh-muc.xlsx``, download
it, and upload a new one, which is checked first and used only when it has no errors (the
previous one is kept under ``.camket/danh-muc-cu/``)."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from ..atomic import atomic_path
from ..check import check_workspace
from ..master import read_master
from ..model import Severity
from ..workspace import MASTER_NAME
from .guard import department, department_upload, receive_files
from .present import sorted_findings
from .render import error_page, render, site_of
from .uploads import UploadError, UploadLimits

__all__ = ["ROUTES"]

_CANDIDATES = "danh-muc-moi"
_KEPT = "danh-muc-cu"


@department
async def master_page(request: Request) -> Response:
    site = site_of(request)
    report = await anyio.to_thread.run_sync(check_workspace, site.root)
    return render(request, "master.html", report=report, findings=sorted_findings(report.findings),
                  replaced=request.query_params.get("da_thay") == "1", candidate=None)


@department_upload
async def master_upload(request: Request) -> Response:
    site = site_of(request)
    ws = site.workspace()
    folder = site.root / ".camket" / _CANDIDATES / f"{dt.datetime.now():%Y%m%d-%H%M%S-%f}"
    try:
        upload = await receive_files(request, UploadLimits(max_files=1, max_request_bytes=60 * 2**20),
                                     empty="Chưa chọn tệp danh mục (.xlsx).", folder=folder)
    except UploadError as exc:
        return error_page(request, exc.status, exc.message, "Chưa nhận danh mục")
    if upload.files[0].suffix.lower() != ".xlsx":
        upload.remove()
        return error_page(request, 400, "Danh mục phải là tệp Excel .xlsx. Mở tệp bằng Excel hoặc LibreOffice, "
                                        "lưu lại dạng .xlsx rồi tải lên.", "Chưa nhận danh mục")
    read = await anyio.to_thread.run_sync(read_master, upload.files[0], ws.settings.year)
    errors = [f for f in read.findings if f.severity is Severity.ERROR]
    report = await anyio.to_thread.run_sync(check_workspace, site.root)
    return render(request, "master.html", report=report, findings=sorted_findings(report.findings), replaced=False,
                  candidate={"id": folder.name, "name": upload.files[0].name, "units": len(read.master.units),
                             "tasks": len(read.master.tasks), "errors": len(errors),
                             "findings": sorted_findings(read.findings)})


@department
async def master_use(request: Request) -> Response:
    site = site_of(request)
    ws = site.workspace()
    form = await request.form()
    name = str(form.get("candidate", ""))
    folder = site.root / ".camket" / _CANDIDATES / name
    found = sorted(folder.glob("*/*")) if re.fullmatch(r"[0-9-]+", name) and folder.is_dir() else []
    if not found:
        return error_page(request, 404, "Không còn tệp danh mục đã tải lên; tải lên lại.", "Không tìm thấy")
    read = await anyio.to_thread.run_sync(read_master, found[0], ws.settings.year)
    if any(f.severity is Severity.ERROR for f in read.findings):
        return error_page(request, 400, "Danh mục mới còn lỗi nên chưa được dùng; sửa rồi tải lên lại.")

    def replace() -> None:
        with ws.lock(site.config.job_wait):
            kept = site.root / ".camket" / _KEPT
            kept.mkdir(parents=True, exist_ok=True)
            if ws.master_path.exists():
                shutil.copy2(ws.master_path, kept / f"danh-muc_{dt.datetime.now():%Y%m%d-%H%M%S}.xlsx")
            with atomic_path(ws.master_path) as tmp:
                shutil.copyfile(found[0], tmp)
        shutil.rmtree(folder, ignore_errors=True)

    await anyio.to_thread.run_sync(replace)
    return RedirectResponse("/danh-muc?da_thay=1", status_code=303)


@department
async def master_download(request: Request) -> Response:
    path = site_of(request).root / MASTER_NAME
    if not path.is_file():
        return error_page(request, 404, "Thư mục làm việc chưa có danh-muc.xlsx.", "Không tìm thấy tệp")
    return FileResponse(path, filename=MASTER_NAME)


ROUTES = [
    Route("/danh-muc", master_page),
    Route("/danh-muc/tai-len", master_upload, methods=["POST"]),
    Route("/danh-muc/dung", master_use, methods=["POST"]),
    Route("/danh-muc/tai", master_download),
]
