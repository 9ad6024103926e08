"""The organizing department's pages: login, the rounds, each round's dashboard, the files
received, uploads, the long jobs and the downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import InputError
from ..ingest import IngestResult
from ..ledger import Submission
from ..links import office_links
from ..values import parse_date
from ..vi import format_date, format_number
from ..workspace import Workspace
from .guard import department, department_upload, receive_files, safe_next
from .jobs import Job
from .present import ORDER, SETTLEABLE, class_shares, outputs, state_label, unit_rows
from .render import error_page, render, site_of
from .security import new_session_id
from .uploads import UploadError

__all__ = ["ROUTES", "NotFound", "round_of"]


class NotFound(InputError):
    """A round, a file or a job that does not exist (HTTP 404)."""


def round_of(ws: Workspace, request: Request) -> str:
    round_id = str(request.path_params["round"])
    if ws.settings.round(round_id) is None:
        known = ", ".join(r.id for r in ws.settings.rounds)
        raise NotFound(f'Không có kỳ báo cáo "{round_id}" trong camket.toml. Các kỳ: {known}.')
    return round_id


# --- login ------------------------------------------------------------------------------------


async def login(request: Request) -> Response:
    site = site_of(request)
    target = safe_next(request.query_params.get("next"))
    given = request.query_params.get("token")
    if request.method == "POST":
        form = await request.form(max_files=0, max_fields=20)
        if not site.guard.csrf_ok(request.state.sid, str(form.get("csrf", ""))):
            return render(request, "login.html", 403, next=target, failed="Biểu mẫu đã hết hạn, nhập lại mã.")
        given = str(form.get("token", "")).strip()
        target = safe_next(str(form.get("next", "")))
    if given is None:
        return render(request, "login.html", next=target, failed="")
    if not site.guard.token_ok(given):
        return render(request, "login.html", 403, next=target,
                      failed="Mã truy cập không đúng. Xem lại dòng địa chỉ camket serve đã in ra khi khởi động.")
    request.state.sid = site.guard.sign_in()
    return RedirectResponse(target, status_code=303)


@department
async def logout(request: Request) -> Response:
    site_of(request).guard.sign_out(request.state.sid)
    request.state.sid = new_session_id()
    return RedirectResponse("/dang-nhap?da-thoat=1", status_code=303)


# --- the rounds -------------------------------------------------------------------------------


@department
async def home(request: Request) -> Response:
    ws = site_of(request).workspace()
    with ws.ledger() as ledger:
        subs = ledger.submissions()
    received: dict[str, int] = {}
    for s in subs:
        if s.kind != "archive" and s.state != "unpacked":
            received[s.round] = received.get(s.round, 0) + 1
    rounds = sorted(ws.settings.rounds, key=lambda r: r.as_of)
    return render(request, "home.html", ws=ws, rounds=rounds, received=received,
                  out={r.id: ws.out_dir(r.id).is_dir() for r in rounds})


@department
async def dashboard(request: Request) -> Response:
    site = site_of(request)
    ws = site.workspace()
    round_id = round_of(ws, request)
    result, subs, master = await anyio.to_thread.run_sync(
        lambda: (ws.reconcile(round_id), ws.submissions(round_id), ws.master_for(round_id)))
    pending = [s for s in subs if s.state == "pending"]
    waiting: dict[str, int] = {}
    for s in pending:
        for code in {s.unit, s.claimed_unit} - {""}:
            waiting[code] = waiting.get(code, 0) + 1
    return render(request, "round.html", ws=ws, round=result.round, result=result, status=result.status_json(),
                  waiting=waiting,
                  shares=class_shares(result.overall), units=unit_rows(result), pending=pending,
                  names={u.code: u.name for u in master.units}, states=_state_counts(subs),
                  jobs=site.jobs.of_round(round_id), outputs=outputs(ws.out_dir(round_id), round_id),
                  limits=site.config.upload)


def _state_counts(subs: list[Submission]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in subs:
        counts[s.state] = counts.get(s.state, 0) + 1
    return counts


@department
async def files(request: Request) -> Response:
    ws = site_of(request).workspace()
    round_id = round_of(ws, request)
    subs = ws.submissions(round_id)
    with ws.ledger() as ledger:
        counts = ledger.finding_counts(s.id for s in subs)
    wanted = request.query_params.get("trang_thai", "")
    shown = [s for s in reversed(subs) if not wanted or s.state == wanted]
    names = {u.code: u.name for u in ws.master_for(round_id).units}
    return render(request, "files.html", ws=ws, round=ws.round(round_id), subs=shown, counts=counts, names=names,
                  wanted=wanted, states=_state_counts(subs), chosen=request.query_params.get("da_chon", ""),
                  dismissed=request.query_params.get("da_loai", ""))


@department
async def submission(request: Request) -> Response:
    ws = site_of(request).workspace()
    round_id = round_of(ws, request)
    number = int(request.path_params["id"])
    with ws.ledger() as ledger:
        sub = ledger.submission(number)
        found = ledger.findings_of([number]) if sub is not None else []
    if sub is None or sub.round != round_id:
        raise NotFound(f"Không có tệp nhận số {number} trong kỳ {round_id}.")
    master = ws.master_for(round_id)
    counted = sub.state == "accepted" and sub.kind == "report" and bool(sub.unit)
    across = ws.contradictions(round_id, unit=sub.unit) if counted else []
    return render(request, "submission.html", ws=ws, round=ws.round(round_id), sub=sub, findings=found,
                  across=across, previous=ws.settings.previous_round(round_id),
                  unit=master.unit(sub.unit) if sub.unit else None, names={u.code: u.name for u in master.units})


def _received_file(request: Request) -> tuple[Workspace, Submission]:
    """The workspace and the received file a decision is about (404 when it is not this round's)."""
    ws = site_of(request).workspace()
    round_id = round_of(ws, request)
    number = int(request.path_params["id"])
    sub = next((s for s in ws.submissions(round_id) if s.id == number), None)
    if sub is None:
        raise NotFound(f"Không có tệp nhận số {number} trong kỳ {round_id}.")
    return ws, sub


@department
async def settle(request: Request) -> Response:
    """Count a file for a unit (``accept``): its own, or the one chosen for a *chờ xử lý* file."""
    ws, sub = _received_file(request)
    if sub.state not in SETTLEABLE:
        raise InputError(f"Tệp số {sub.id} ({sub.name}) đang ở trạng thái “{sub.state_label}”, không thể chọn.")
    form = await request.form(max_files=0, max_fields=20)
    unit = str(form.get("unit", "")).strip() or None
    wait = site_of(request).config.upload_wait
    await anyio.to_thread.run_sync(lambda: ws.accept(sub.id, unit=unit, wait=wait))
    return RedirectResponse(f"/ky/{sub.round}/tep?da_chon={sub.id}", status_code=303)


@department
async def dismiss(request: Request) -> Response:
    """Set a *chờ xử lý* file aside: kept, not counted (``accept`` undoes it)."""
    ws, sub = _received_file(request)
    if sub.state != "pending":
        raise InputError(f"Chỉ loại được tệp đang chờ xử lý; tệp số {sub.id} đang ở trạng thái “{sub.state_label}”.")
    wait = site_of(request).config.upload_wait
    await anyio.to_thread.run_sync(lambda: ws.dismiss(sub.id, wait=wait))
    return RedirectResponse(f"/ky/{sub.round}/tep?da_loai={sub.id}", status_code=303)


# --- uploads and long work --------------------------------------------------------------------


@department_upload
async def receive(request: Request) -> Response:
    """Files, zips or e-mails dropped by the department: streamed in, then ingested as a job."""
    site = site_of(request)
    round_id = round_of(site.workspace(), request)
    try:
        upload = await receive_files(request, site.config.upload, empty="Chưa chọn tệp nào để gửi.")
    except UploadError as exc:
        return error_page(request, exc.status, exc.message, "Chưa nhận tệp")

    try:
        received_on = _received_on(upload.fields.get("ngay_nhan", ""))
    except InputError as exc:
        upload.remove()
        return error_page(request, 400, str(exc), "Chưa nhận tệp")

    def work(job: Job) -> None:
        job.stage = f"Đang đọc {format_number(len(upload.files))} tệp"
        result = site.ingest_upload(upload, round_id, received_on=received_on, job=job)
        job.result = result
        job.message = _ingest_summary(result)

    job = site.jobs.start("nhan", round_id, f"Tiếp nhận {format_number(len(upload.files))} tệp", work)
    return _job_response(request, job)


def _received_on(text: str) -> dt.date | None:
    """The date the department says the files arrived (``--received-on``), if it gave one."""
    if not text.strip():
        return None
    try:
        day, how = parse_date(text.strip())
    except ValueError:
        how = "date-serial"
    if how == "date-serial":
        raise InputError(f"Ngày nhận “{text}” không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 04/07/2022.")
    if day > dt.date.today():
        raise InputError(f"Ngày nhận {format_date(day)} ở sau hôm nay; chọn lại ngày nhận được tệp.")
    return day


def _ingest_summary(result: IngestResult) -> str:
    counts = ", ".join(f"{format_number(result.count(s))} {state_label(s).lower()}" for s in ORDER if result.count(s))
    return f"Đã tiếp nhận {format_number(len(result.files))} tệp: {counts}."


JOBS = {
    "mau": "Lập mẫu báo cáo",
    "bao-cao": "Lập báo cáo tổng hợp",
    "phan-hoi": "Lập tệp phản hồi cho đơn vị",
}


@department
async def start_job(request: Request) -> Response:
    site = site_of(request)
    ws = site.workspace()
    round_id = round_of(ws, request)
    kind = str(request.path_params["kind"])
    if kind not in JOBS:
        raise NotFound("Không có việc này.")
    running = site.jobs.running(kind, round_id)
    if running is not None:
        return _job_response(request, running)
    form = await request.form()
    pdf = form.get("pdf") == "1"
    wait = site.config.job_wait
    folder = ws.out_dir(round_id)

    def relative(paths: list[Path]) -> list[str]:
        return [p.relative_to(folder).as_posix() for p in paths if p is not None]

    def work(job: Job) -> None:
        if kind == "mau":
            job.stage = "Đang lập mẫu báo cáo cho từng đơn vị"
            made = ws.templates(round_id, on_progress=job.progress, wait=wait)
            job.outputs = relative([made.zip_path, made.mailing_list])
            job.message = f"Đã lập {format_number(len(made.files))} mẫu báo cáo."
        elif kind == "bao-cao":
            job.stage = "Đang tổng hợp số liệu, lập bảng tổng hợp và báo cáo Word" + (" (kèm PDF)" if pdf else "")
            report = ws.report(round_id, pdf=pdf, feedback=False, on_progress=job.progress, wait=wait)
            job.outputs = relative([p for p in (report.consolidated, report.word, report.pdf) if p is not None])
            r = report.result
            job.message = f"Đã hoàn thành {r.overall.sentence()}; {r.heads_sentence()}."
        else:
            job.stage = "Đang lập tệp phản hồi cho các đơn vị có lỗi hoặc chưa báo cáo"
            made_files = ws.feedback(round_id, on_progress=job.progress, wait=wait)
            bundle = [folder / "phan-hoi" / f"{round_id}_phan-hoi.zip",
                      folder / "phan-hoi" / f"{round_id}_danh-sach-gui-phan-hoi.xlsx"]
            job.outputs = relative([p for p in bundle if p.is_file()]) if made_files else []
            job.message = (f"Đã lập {format_number(len(made_files))} tệp phản hồi." if made_files
                           else "Không đơn vị nào cần phản hồi: mọi đơn vị đã báo cáo và không có lỗi.")

    job = site.jobs.start(kind, round_id, JOBS[kind], work)
    return _job_response(request, job)


def _job_response(request: Request, job: Job) -> Response:
    if request.headers.get("hx-request") == "true":
        return render(request, "_job.html", job=job)
    return RedirectResponse(f"/ky/{job.round}#viec-{job.id}", status_code=303)


@department
async def job_status(request: Request) -> Response:
    job = site_of(request).jobs.get(int(request.path_params["id"]))
    if job is None:
        raise NotFound("Việc này không còn trong danh sách (máy chủ đã khởi động lại).")
    return render(request, "_job.html", job=job)


# --- downloads and links ---------------------------------------------------------------------


def served_file(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` when it is a regular file inside ``folder``: no ``..``, no absolute
    path, no hidden part, no link anywhere on the way."""
    parts = relative.replace("\\", "/").split("/")
    if not relative or any(p in ("", ".", "..") or p.startswith((".", "~")) or ":" in p for p in parts):
        return None
    path = folder
    for part in parts:
        path = path / part
        if path.is_symlink():
            return None
    try:
        inside = path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return None
    return path if inside and path.is_file() else None


@department
async def download(request: Request) -> Response:
    ws = site_of(request).workspace()
    round_id = round_of(ws, request)
    path = served_file(ws.out_dir(round_id), str(request.path_params["path"]))
    if path is None:
        return error_page(request, 404, "Không có tệp này trong thư mục kết quả của kỳ báo cáo.", "Không tìm thấy tệp")
    return FileResponse(path, filename=path.name)


@department
async def links(request: Request) -> Response:
    site = site_of(request)
    ws = site.workspace()
    round_id = round_of(ws, request)
    base = site.config.base_url or ws.settings.base_url or str(request.base_url).rstrip("/")
    found = office_links(ws, round_id, base)
    if request.query_params.get("dang") == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["Mã đơn vị", "Tên đơn vị", "Đường dẫn nộp báo cáo"])
        writer.writerows([link.unit, link.name, link.url] for link in found)
        return Response("\ufeff" + buffer.getvalue(), media_type="text/csv; charset=utf-8", headers={
            "content-disposition": f'attachment; filename="{round_id}_duong-dan-nop-bao-cao.csv"'})
    local = base.startswith(("http://127.", "http://localhost", "https://127.", "https://localhost"))
    return render(request, "links.html", ws=ws, round=ws.round(round_id), links=found, local=local,
                  configured=bool(site.config.base_url or ws.settings.base_url))


ROUTES = [
    Route("/dang-nhap", login, methods=["GET", "POST"]),
    Route("/dang-xuat", logout, methods=["POST"]),
    Route("/", home),
    Route("/ky/{round}", dashboard),
    Route("/ky/{round}/tep", files),
    Route("/ky/{round}/tep/{id:int}", submission),
    Route("/ky/{round}/tep/{id:int}/chon", settle, methods=["POST"]),
    Route("/ky/{round}/tep/{id:int}/loai", dismiss, methods=["POST"]),
    Route("/ky/{round}/nhan", receive, methods=["POST"]),
    Route("/ky/{round}/viec/{kind}", start_job, methods=["POST"]),
    Route("/viec/{id:int}", job_status),
    Route("/ky/{round}/tai/{path:path}", download),
    Route("/ky/{round}/duong-dan", links),
]
