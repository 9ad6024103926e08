"""The command line: a thin layer over :class:`camket.Workspace`.

Every command parses options, calls one library function and renders the result.
Errors become exit codes in one place (:class:`_Cli`): 0 done, 1 could not complete,
2 usage error, 3 done but the data has error-severity findings.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import click

from .errors import CamketError

if TYPE_CHECKING:  # commands import what they use, so that camket --help answers at once
    from .workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])

EXIT_DATA_ERRORS = 3


class _Cli(click.Group):
    """Errors become exit codes here, and only here: camket's own errors (1 or 2), the disk's
    and the ledger's (1, explained in Vietnamese), and camket's bugs (1, logged with their
    traceback and never presented as a problem of the data)."""

    typed: ClassVar[list[str]] = []  # what was typed, for the workspace's log

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        _Cli.typed = list(args) if args is not None else sys.argv[1:]
        return super().main(args, *rest, **options)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CamketError as exc:
            click.echo(f"Lỗi: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            from .ledger import explain
            from .logs import log_bug

            explained = explain(exc)
            if explained is not None:
                click.echo(f"Lỗi: {explained}", err=True)
                ctx.exit(explained.exit_code)
            where = log_bug(exc)
            click.echo(f"Lỗi chương trình camket ({type(exc).__name__}: {exc}). Đây là lỗi của camket, không phải "
                       f"của dữ liệu; chi tiết đã ghi vào {where}. Gửi tệp này cho người hỗ trợ camket.", err=True)
            ctx.exit(1)


def workspace_option(func: F) -> F:
    """``-w/--workspace`` on a command too, so ``camket check -w ws`` works like ``camket -w ws check``."""
    return click.option(
        "-w", "--workspace", "workspace_dir", type=click.Path(file_okay=False, path_type=Path),
        default=None, help="Thư mục làm việc (mặc định: thư mục hiện tại hoặc -w của camket).",
    )(func)


def _root(ctx: click.Context, workspace_dir: Path | None) -> Path:
    if workspace_dir is not None:
        return workspace_dir
    return ctx.find_root().obj.get("workspace") or Path.cwd()


def _open(ctx: click.Context, workspace_dir: Path | None) -> Workspace:
    from .logs import log_command, log_to
    from .workspace import Workspace

    ws = Workspace.open(_root(ctx, workspace_dir))
    log_to(ws.state_dir / "log")
    log_command(_Cli.typed)
    if os.environ.get("CAMKET_STRICT"):
        ws.strict = True  # tests: camket's own errors raise instead of being recorded
    return ws


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "-w", "--workspace", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Thư mục làm việc (mặc định: thư mục hiện tại).",
)
@click.option("-v", "--verbose", is_flag=True, help="Hiện các dòng nhật ký chi tiết (gỡ lỗi) trên màn hình.")
@click.version_option(package_name="camket", prog_name="camket")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None, verbose: bool) -> None:
    """camket: mẫu báo cáo, tiếp nhận, tổng hợp và báo cáo kết quả cam kết trách nhiệm.

    \b
    Chu trình một kỳ báo cáo:
      camket init ws --sample bo-2022      tạo thư mục làm việc
      camket -w ws check                   kiểm tra cấu hình và danh mục
      camket -w ws templates --round 2022-6T
      camket -w ws ingest thu-muc-nhan/ --round 2022-6T
      camket -w ws status --round 2022-6T
      camket -w ws report --round 2022-6T
    """
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = workspace
    if verbose:
        from .logs import verbose as show_debug

        show_debug()


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--sample", type=str, default=None,
              help="Tạo kèm dữ liệu mẫu: bo-2022 (một bộ) hoặc so-2023 (một sở).")
@click.option("--force", is_flag=True, help="Ghi đè camket.toml và danh-muc.xlsx đã có.")
def init(directory: Path, sample: str | None, force: bool) -> None:
    """Tạo thư mục làm việc mới: camket.toml và danh-muc.xlsx.

    \b
    Ví dụ:
      camket init ws --sample bo-2022
      camket init so-vhttdl-2023
    """
    from .workspace import Workspace

    ws = Workspace.init(directory, sample=sample, force=force)
    click.echo(f"Đã tạo thư mục làm việc {ws.root}", err=True)
    click.echo(f"  {ws.config_path}\n  {ws.master_path}", err=True)
    click.echo(f"Tiếp theo: camket -w {ws.root} check", err=True)


@cli.command()
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="In danh sách phát hiện dạng JSON.")
@click.pass_context
def check(ctx: click.Context, workspace_dir: Path | None, as_json: bool) -> None:
    """Kiểm tra camket.toml và danh-muc.xlsx; thoát với mã 3 nếu có lỗi.

    \b
    Ví dụ:
      camket -w ws check
      camket check -w ws --json
    """
    from .terminal import render_findings, summary
    from .workspace import check_workspace

    report = check_workspace(_root(ctx, workspace_dir))
    if as_json:
        payload = {
            "units": report.units, "tasks": report.tasks, "rounds": report.rounds,
            "findings": [f.as_dict() for f in report.findings],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        if report.findings:
            click.echo(render_findings(report.findings))
        click.echo(
            f"{report.units} đơn vị, {report.tasks} nhiệm vụ, {report.rounds} kỳ báo cáo; "
            f"{summary(report.findings)}.", err=True)
    if report.errors:
        ctx.exit(EXIT_DATA_ERRORS)


class _Bar:
    """An ``on_progress`` callback drawn as a click progress bar on stderr (a terminal only).

    Work in several stages (``demo``) calls it again from zero: each stage gets its own bar,
    labelled with :meth:`stage`; :meth:`close` ends the last one.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.done = 0
        self.total = 0

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if self.bar is not None and (total != self.total or done < self.done):
            self.close()
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
            self.done, self.total = 0, total
        self.bar.update(done - self.done)
        self.done = done

    def stage(self, text: str) -> None:
        """A new stage: the current bar ends, the next one is labelled ``text``."""
        self.close()
        self.label = text
        click.echo(f"• {text}", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _day(_: click.Context, __: click.Parameter, value: str | None) -> dt.date | None:
    """A date typed the Vietnamese way (``04/07/2022``), for an option."""
    if value is None:
        return None
    try:
        day, month, year = (int(x) for x in value.replace("-", "/").replace(".", "/").split("/"))
        return dt.date(year, month, day)
    except ValueError:
        raise click.BadParameter(f'"{value}" không phải ngày dạng ngày/tháng/năm, ví dụ 04/07/2022') from None


def _codes(value: str | None) -> list[str] | None:
    return [c for c in (value or "").split(",") if c.strip()] or None


@cli.command()
@workspace_option
@click.option("--round", "-r", "round_id", required=True, help="Mã kỳ báo cáo, ví dụ 2022-6T.")
@click.option("--units", default=None, help="Chỉ lập cho các đơn vị này (mã, cách nhau dấu phẩy).")
@click.option("--prefill-from", default=None, help="Điền sẵn câu trả lời đã chấp nhận của kỳ trước.")
@click.option("--reissue", is_flag=True, help="Phát hành lại kỳ theo danh mục hiện hành (ghi lại các điều chỉnh).")
@click.pass_context
def templates(ctx: click.Context, workspace_dir: Path | None, round_id: str, units: str | None,
              prefill_from: str | None, reissue: bool) -> None:
    """Lập mẫu báo cáo cho từng đơn vị vào out/<kỳ>/templates/, kèm tệp nén và danh sách gửi.

    Lần đầu, danh sách đơn vị và nhiệm vụ của kỳ được chốt theo danh mục; sau đó danh mục có
    sửa cũng không đổi kỳ đã phát hành, trừ khi phát hành lại bằng --reissue.

    \b
    Ví dụ:
      camket -w ws templates --round 2022-6T
      camket -w ws templates --round 2022-9T --prefill-from 2022-6T
      camket -w ws templates --round 2022-6T --units VPC,TTR
      camket -w ws templates --round 2022-6T --reissue
    """
    ws = _open(ctx, workspace_dir)
    bar = _Bar("Lập mẫu")
    try:
        result = ws.templates(round_id, units=_codes(units), prefill_from=prefill_from, on_progress=bar,
                              reissue=reissue)
    finally:
        bar.close()
    if result.adjustments:
        click.echo(f"Phát hành lại kỳ {result.round.name} với {len(result.adjustments)} điều chỉnh:", err=True)
        click.echo("\n".join(f"  {a.label}" for a in result.adjustments), err=True)
    if result.not_applied:
        click.echo(f"Lưu ý: danh mục đã sửa {len(result.not_applied)} điểm sau khi phát hành kỳ này; mẫu vẫn theo "
                   f"danh sách đã phát hành. Dùng --reissue nếu cần áp dụng.", err=True)
    click.echo(f"Đã lập {len(result.files)} mẫu báo cáo kỳ {result.round.name}:", err=True)
    click.echo(str(result.files[0].parent) if result.files else "")
    click.echo(str(result.zip_path))
    click.echo(str(result.mailing_list))


@cli.command()
@workspace_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--round", "-r", "round_id", required=True, help="Mã kỳ báo cáo, ví dụ 2022-6T.")
@click.option("--dry-run", is_flag=True, help="Chỉ cho biết sẽ làm gì, không ghi gì.")
@click.option("--keep-first", is_flag=True, help="Giữ bản đã chấp nhận, không thay bằng bản gửi lại.")
@click.option("--received-on", "received_on", callback=_day, default=None, metavar="DD/MM/YYYY",
              help="Ngày nhận được các tệp này (mặc định: thời điểm lưu tệp, hoặc lúc tiếp nhận).")
@click.option("--wait", default=30.0, show_default=True, help="Số giây chờ nếu lệnh khác đang ghi.")
@click.option("--verbose", "-v", is_flag=True, help="Liệt kê từng tệp và mọi phát hiện.")
@click.pass_context
def ingest(ctx: click.Context, workspace_dir: Path | None, paths: tuple[Path, ...], round_id: str,
           dry_run: bool, keep_first: bool, received_on: dt.date | None, wait: float, verbose: bool) -> None:
    """Tiếp nhận tệp báo cáo: tệp, thư mục (cả thư mục con) và tệp nén .zip.

    \b
    Ví dụ:
      camket -w ws ingest ~/Downloads/bao-cao-6T.zip --round 2022-6T
      camket -w ws ingest nhan/ thu-them/VPC.xlsx --round 2022-6T --dry-run
      camket -w ws ingest thu-ngay-4-7/ --round 2022-6T --received-on 04/07/2022
    """
    ws = _open(ctx, workspace_dir)
    bar = _Bar("Tiếp nhận")
    try:
        result = ws.ingest(list(paths), round_id, dry_run=dry_run, keep_first=keep_first, wait=wait,
                           on_progress=bar, received_on=received_on)
    finally:
        bar.close()
    from .terminal import render_ingest

    click.echo(render_ingest(result, verbose))
    if result.internal_errors:
        click.echo(f"Lỗi chương trình camket khi đọc {len(result.internal_errors)} tệp (không phải lỗi của tệp): "
                   f"các tệp được lưu ở trạng thái lỗi chương trình, chi tiết trong {ws.state_dir / 'log'}. Các "
                   "tệp khác vẫn được tính.", err=True)
        ctx.exit(1)
    if result.has_errors:
        ctx.exit(EXIT_DATA_ERRORS)


@cli.command()
@workspace_option
@click.option("--round", "-r", "round_id", required=True, help="Mã kỳ báo cáo.")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@click.pass_context
def submissions(ctx: click.Context, workspace_dir: Path | None, round_id: str, as_json: bool) -> None:
    """Liệt kê mọi tệp đã nhận của một kỳ: số tệp, trạng thái và lý do, đơn vị, ngày nhận và nguồn của ngày đó.

    \b
    Ví dụ:
      camket -w ws submissions --round 2022-6T
      camket -w ws submissions --round 2022-6T --json
    """
    from .ledger import ARRIVAL_LABELS

    subs = _open(ctx, workspace_dir).submissions(round_id)
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in subs], ensure_ascii=False, indent=2))
        return
    for s in subs:
        arrived = f"{s.arrived.replace('T', ' ')} ({ARRIVAL_LABELS.get(s.arrived_source, s.arrived_source)}" + (
            f" từ {s.sender})" if s.sender else ")")
        unit = s.unit or "-"
        if s.claimed_unit and s.claimed_unit != s.unit:
            unit += f" (ghi là {s.claimed_unit})"
        click.echo(f"{s.id:>6}  {s.state_label:<18} {unit:<12} {arrived}  {s.name}")
        if s.note:
            click.echo(f"{'':>8}{s.note}")


@cli.command()
@workspace_option
@click.argument("submission_id", type=int)
@click.option("--unit", default=None, help="Đọc lại tệp như báo cáo của đơn vị này (khi tệp ghi một đơn vị, "
                                          "nội dung là của đơn vị khác).")
@click.pass_context
def accept(ctx: click.Context, workspace_dir: Path | None, submission_id: int, unit: str | None) -> None:
    """Chọn tính một tệp đã nhận (theo số trong camket submissions): tệp chờ xử lý, bản đã bị thay, bản đã loại.

    \b
    Ví dụ:
      camket -w ws accept 42
      camket -w ws accept 42 --unit VPC
    """
    chosen = _open(ctx, workspace_dir).accept(submission_id, unit=unit)
    click.echo(f"Đã tính tệp số {chosen.id} ({chosen.name}) cho đơn vị {chosen.unit}, kỳ {chosen.round}.")


@cli.command()
@workspace_option
@click.argument("submission_id", type=int)
@click.pass_context
def dismiss(ctx: click.Context, workspace_dir: Path | None, submission_id: int) -> None:
    """Loại một tệp đã nhận (không tính), ví dụ tệp chờ xử lý không rõ nguồn gốc; camket accept để tính lại.

    \b
    Ví dụ:
      camket -w ws dismiss 42
    """
    chosen = _open(ctx, workspace_dir).dismiss(submission_id)
    click.echo(f"Đã loại tệp số {chosen.id} ({chosen.name}), kỳ {chosen.round}.")


@cli.command()
@workspace_option
@click.pass_context
def verify(ctx: click.Context, workspace_dir: Path | None) -> None:
    """Kiểm tra sổ tiếp nhận và kho lưu: toàn vẹn SQLite, mã băm của từng tệp lưu, liên kết giữa các bản ghi.

    Thoát với mã 3 nếu có vấn đề; không sửa gì (tiếp nhận lại tệp gốc để khôi phục bản lưu hỏng).

    \b
    Ví dụ:
      camket -w ws verify
    """
    from .terminal import render_findings

    report = _open(ctx, workspace_dir).verify()
    if report.findings:
        click.echo(render_findings(report.findings))
    click.echo(f"Đã kiểm tra {report.submissions} bản ghi tệp nhận và {report.files} tệp trong kho lưu: "
               f"{len(report.findings) or 'không có'} vấn đề.", err=True)
    if report.findings:
        ctx.exit(EXIT_DATA_ERRORS)


@cli.group()
def archive() -> None:
    """Kho lưu các tệp đã nhận (lưu trong archive.sqlite của thư mục làm việc).

    \b
    Ví dụ:
      camket -w ws archive export ban-sao --round 2022-6T
    """


@archive.command("export")
@workspace_option
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--round", "-r", "round_id", default=None, help="Chỉ các tệp của kỳ này (mặc định: mọi kỳ).")
@click.pass_context
def archive_export(ctx: click.Context, workspace_dir: Path | None, directory: Path, round_id: str | None) -> None:
    """Chép các tệp đã nhận ra khỏi kho lưu, vào DIRECTORY/<kỳ>/<số tệp>_<tên tệp>.

    \b
    Ví dụ:
      camket -w ws archive export ban-sao --round 2022-6T
    """
    written = _open(ctx, workspace_dir).export_archive(directory, round_id)
    click.echo(f"Đã chép {len(written)} tệp vào {directory}.", err=True)


@cli.command()
@click.option("--markdown", is_flag=True, help="In dạng Markdown (docs/findings.md).")
def findings(markdown: bool) -> None:
    """Danh mục mọi loại phát hiện: mã, mức độ, nội dung và cách xử lý.

    \b
    Ví dụ:
      camket findings
      camket findings --markdown > docs/findings.md
    """
    from .findings import CATALOGUE, catalogue_markdown

    if markdown:
        click.echo(catalogue_markdown(), nl=False)
        return
    for kind in CATALOGUE.values():
        click.echo(f"{kind.severity.value:<8} {kind.code:<28} {kind.message} — {kind.advice}")


@cli.command()
@workspace_option
@click.option("--round", "-r", "round_id", required=True, help="Mã kỳ báo cáo.")
@click.option("--json", "as_json", is_flag=True, help="In số liệu dạng JSON (khóa cố định).")
@click.pass_context
def status(ctx: click.Context, workspace_dir: Path | None, round_id: str, as_json: bool) -> None:
    """Tình hình một kỳ: đơn vị đã/chưa báo cáo, số nhiệm vụ theo tình trạng, phát hiện.

    \b
    Ví dụ:
      camket -w ws status --round 2022-6T
      camket -w ws status --round 2022-6T --json
    """
    result = _open(ctx, workspace_dir).reconcile(round_id)
    if as_json:
        click.echo(json.dumps(result.status_json(), ensure_ascii=False, indent=2))
    else:
        from .terminal import render_status

        click.echo(render_status(result))
    if result.severity_counts()["error"]:
        ctx.exit(EXIT_DATA_ERRORS)


@cli.command()
@workspace_option
@click.option("--round", "-r", "round_id", required=True, help="Mã kỳ báo cáo.")
@click.option("--pdf/--no-pdf", default=False, show_default=True,
              help="Chuyển báo cáo Word sang PDF (cần LibreOffice).")
@click.option("--feedback/--no-feedback", default=True, show_default=True, help="Lập tệp phản hồi cho đơn vị.")
@click.pass_context
def report(ctx: click.Context, workspace_dir: Path | None, round_id: str, pdf: bool, feedback: bool) -> None:
    """Lập bảng tổng hợp (.xlsx), báo cáo Word (.docx, .pdf) và tệp phản hồi cho đơn vị vào out/<kỳ>/.

    \b
    Ví dụ:
      camket -w ws report --round 2022-6T
      camket -w ws report --round 2022-6T --pdf
    """
    ws = _open(ctx, workspace_dir)
    bar = _Bar("Phản hồi")
    try:
        files = ws.report(round_id, pdf=pdf, feedback=feedback, on_progress=bar)
    finally:
        bar.close()
    click.echo(str(files.consolidated))
    click.echo(str(files.word))
    if files.pdf:
        click.echo(str(files.pdf))
    if files.feedback_list:
        click.echo(str(files.feedback_list))
        click.echo(f"{len(files.feedback)} tệp phản hồi trong {files.feedback[0].parent}", err=True)
    result = files.result
    click.echo(f"Đã hoàn thành {result.overall.sentence()}; {result.heads_sentence()}.", err=True)
    if result.severity_counts()["error"]:
        ctx.exit(EXIT_DATA_ERRORS)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--sample", default="bo-2022", show_default=True, help="Dữ liệu mẫu: bo-2022 hoặc so-2023.")
@click.option("--units", type=click.IntRange(1, 100_000), default=None,
              help="Nhân bản thành N đơn vị (thử ở quy mô lớn).")
@click.option("--tasks", type=click.IntRange(1, 200), default=None, help="Số nhiệm vụ mỗi đơn vị khi nhân bản.")
@click.option("--round", "-r", "round_id", default=None, help="Kỳ báo cáo (mặc định: kỳ đầu tiên).")
@click.option("--seed", default=2022, show_default=True, help="Hạt giống mô phỏng (cùng hạt giống, cùng kết quả).")
@click.option("--pdf/--no-pdf", default=None, help="Xuất PDF (mặc định: khi có LibreOffice).")
@click.option("--force", is_flag=True, help="Dùng cả thư mục đã có dữ liệu.")
def demo(directory: Path, sample: str, units: int | None, tasks: int | None, round_id: str | None, seed: int,
         pdf: bool | None, force: bool) -> None:
    """Chạy thử cả chu trình trên dữ liệu mẫu: lập mẫu, mô phỏng đơn vị gửi, tiếp nhận, báo cáo.

    \b
    Ví dụ:
      camket demo camket-demo
      camket demo thu-so --sample so-2023
      camket demo lon --units 10000 --tasks 30 --no-pdf
    """
    bar = _Bar("Đang xử lý")
    try:
        from .demo import run_demo

        result = run_demo(directory, sample=sample, units=units, tasks=tasks, round_id=round_id, seed=seed,
                          pdf=pdf, force=force, on_stage=bar.stage, on_progress=bar)
    finally:
        bar.close()
    from .demo import describe

    click.echo("\n".join(describe(result)))


@cli.command()
@workspace_option
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--round", "-r", "round_id", required=True, help="Mã kỳ báo cáo.")
@click.option("--seed", default=2022, show_default=True, help="Hạt giống mô phỏng (cùng hạt giống, cùng kết quả).")
@click.option("--email", "by_email", is_flag=True, help="Đơn vị gửi bằng thư điện tử: mỗi tệp thành một thư .eml.")
@click.pass_context
def simulate(ctx: click.Context, workspace_dir: Path | None, directory: Path, round_id: str, seed: int,
             by_email: bool) -> None:
    """Mô phỏng các đơn vị điền mẫu và gửi lại (để tập huấn, chạy thử), ghi vào DIRECTORY.

    Với mã đợt đăng ký ([registration] id), thủ trưởng điền phiếu đăng ký đã lập bằng camket registration.

    \b
    Ví dụ:
      camket -w ws simulate nhan --round 2022-6T
      camket -w ws simulate hop-thu --round 2022-6T --email
      camket -w so simulate phieu-dang-ky --round 2023-DK
    """
    ws = _open(ctx, workspace_dir)
    enrol = ws.settings.registration
    if enrol is not None and round_id == enrol.id:
        from .registration.simulate import simulate_registrations

        forms = sorted((ws.out_dir(round_id) / "dang-ky").glob("dang-ky_*.xlsx"))
        if not forms:
            raise click.UsageError("Chưa có phiếu đăng ký: chạy camket registration trước.")
        files = simulate_registrations(forms, directory, ws.settings, seed=seed)
        missing: list[str] = []
        subject = f"Đăng ký nhiệm vụ năm {ws.settings.year}"
    else:
        from .simulate import simulate_returns

        bar = _Bar("Mô phỏng")
        try:
            plan = simulate_returns(ws.template_jobs(round_id), directory, seed=seed, on_progress=bar)
        finally:
            bar.close()
        files, missing = plan.files, plan.missing
        subject = f"Báo cáo kết quả thực hiện nhiệm vụ {ws.round(round_id).name}"
    if by_email:
        from .simulate_mail import as_emails

        files = as_emails(files, {u.code: u for u in ws.master().units}, subject, ws.settings.contact.email)
    click.echo(f"{len(files)} tệp trong {directory}; đơn vị không gửi: {', '.join(missing) or 'không'}.")


@cli.command()
@workspace_option
@click.option("--round", "-r", "round_id", required=True, help="Mã kỳ báo cáo.")
@click.pass_context
def appraise(ctx: click.Context, workspace_dir: Path | None, round_id: str) -> None:
    """Lập bảng thẩm định kết quả (điểm tự chấm của từng nhiệm vụ) để đơn vị tổng hợp chấm điểm thẩm định.

    Điền hai cột Điểm thẩm định và Nhận xét thẩm định, rồi tiếp nhận tệp bằng camket ingest.

    \b
    Ví dụ:
      camket -w ws appraise --round 2022-6T
      camket -w ws ingest ws/out/2022-6T/tham-dinh/2022-6T_tham-dinh.xlsx --round 2022-6T
    """
    click.echo(str(_open(ctx, workspace_dir).appraise(round_id)))


@cli.command()
@workspace_option
@click.option("--round", "-r", "round_id", required=True, help="Mã kỳ báo cáo của đơn vị mình.")
@click.option("--into", "into", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Mẫu báo cáo cấp trên gửi cho đơn vị (tệp .xlsx do camket của cấp trên lập).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Nơi ghi tệp đã điền (mặc định out/<kỳ>/cap-tren/).")
@click.pass_context
def rollup(ctx: click.Context, workspace_dir: Path | None, round_id: str, into: Path, output: Path | None) -> None:
    """Điền mẫu báo cáo của cấp trên từ kết quả các nhiệm vụ gắn mã nhiệm vụ cấp trên.

    \b
    Ví dụ:
      camket -w so rollup --round 2023-6T --into 2023-6T_SVHTTDL_so-van-hoa.xlsx
    """
    outcome = _open(ctx, workspace_dir).rollup(round_id, into, output)
    from .report.rollup import describe as describe_rollup

    for line in describe_rollup(outcome):
        click.echo(f"  {line}", err=True)
    if outcome.findings:
        from .terminal import render_findings

        click.echo(render_findings(outcome.findings), err=True)
    click.echo(str(outcome.path))


@cli.command()
@workspace_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Địa chỉ lắng nghe; 0.0.0.0 để các máy khác trong mạng nội bộ mở được.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Cổng.")
@click.option("--token", envvar="CAMKET_TOKEN", default=None,
              help="Mã truy cập của đơn vị tổng hợp (mặc định: tự sinh mỗi lần chạy; "
                   "hoặc đặt biến môi trường CAMKET_TOKEN).")
@click.option("--base-url", default=None,
              help="Địa chỉ các đơn vị dùng để mở đường dẫn nộp báo cáo (mặc định: [web] base_url trong camket.toml).")
@click.pass_context
def serve(ctx: click.Context, workspace_dir: Path | None, host: str, port: int, token: str | None,
          base_url: str | None) -> None:
    """Mở ứng dụng web: theo dõi kỳ báo cáo trên trình duyệt và trang nộp báo cáo của từng đơn vị.

    In ra địa chỉ đăng nhập (kèm mã truy cập); mở địa chỉ đó bằng trình duyệt. Nhấn Ctrl+C để dừng.

    \b
    Ví dụ:
      camket -w ws serve
      camket -w ws serve --host 0.0.0.0 --port 8765 --base-url http://10.0.0.5:8765
    """
    from .web import WebConfig, new_token
    from .web import serve as run_server

    root = _open(ctx, workspace_dir).root  # a missing or broken workspace fails here, as for every command
    token = token or new_token()

    def ready(bound: int) -> None:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        address = f"http://{f'[{shown}]' if ':' in shown else shown}:{bound}"
        click.echo(f"camket đang phục vụ thư mục làm việc {root.resolve()}", err=True)
        click.echo("Mở địa chỉ sau bằng trình duyệt (đã kèm mã truy cập, không chia sẻ cho người khác):", err=True)
        click.echo(f"    {address}/dang-nhap?token={token}")
        if host in ("0.0.0.0", "::"):
            click.echo("Máy khác trong mạng mở bằng địa chỉ IP của máy này thay cho 127.0.0.1.", err=True)
        click.echo(f"Đường dẫn nộp báo cáo của các đơn vị: camket -w {root} links --round <kỳ>", err=True)
        click.echo("Nhấn Ctrl+C để dừng.", err=True)
        sys.stdout.flush()

    run_server(root, WebConfig(token=token, base_url=(base_url or "").rstrip("/")), host, port, ready)


@cli.command()
@workspace_option
@click.option("--round", "-r", "round_id", required=True, help="Mã kỳ báo cáo.")
@click.option("--base-url", default=None,
              help="Địa chỉ camket serve mà các đơn vị mở được (mặc định: [web] base_url trong camket.toml).")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON (unit, name, url).")
@click.pass_context
def links(ctx: click.Context, workspace_dir: Path | None, round_id: str, base_url: str | None, as_json: bool) -> None:
    """Đường dẫn nộp báo cáo riêng của từng đơn vị cho một kỳ (có mã kiểm tra, sửa là không dùng được).

    \b
    Ví dụ:
      camket -w ws links --round 2022-6T --base-url http://10.0.0.5:8765
      camket -w ws links --round 2022-6T --json
    """
    from .links import DEFAULT_BASE_URL, office_links

    found = office_links(_open(ctx, workspace_dir), round_id, base_url)
    if as_json:
        click.echo(json.dumps([link.__dict__ for link in found], ensure_ascii=False, indent=2))
        return
    for link in found:
        click.echo(f"{link.unit:<10} {link.url}  {link.name}")
    if found and found[0].url.startswith(DEFAULT_BASE_URL):
        click.echo(f"Lưu ý: đường dẫn dùng địa chỉ {DEFAULT_BASE_URL}, chỉ mở được trên máy này. Dùng --base-url "
                   "hoặc [web] base_url trong camket.toml với địa chỉ các đơn vị truy cập được.", err=True)


@cli.command()
@workspace_option
@click.option("--units", default=None, help="Chỉ lập cho các đơn vị này (mã, cách nhau dấu phẩy).")
@click.pass_context
def registration(ctx: click.Context, workspace_dir: Path | None, units: str | None) -> None:
    """Lập phiếu đăng ký nhiệm vụ cho từng đơn vị (trước khi bắt đầu năm) vào out/<mã đợt>/dang-ky/.

    Mỗi phiếu ghi sẵn nhiệm vụ chung, nhiệm vụ được giao của đơn vị trong danh mục, có các dòng để
    thủ trưởng đăng ký nhiệm vụ của mình, và cơ cấu nhiệm vụ theo [[structure]] của camket.toml.
    Phiếu gửi về được tiếp nhận bằng camket ingest với mã đợt đăng ký ([registration] id, mặc
    định <năm>-DK); camket register-apply cho thấy và áp dụng thay đổi vào danh-muc.xlsx.

    \b
    Ví dụ:
      camket -w so registration
      camket -w so ingest phieu-dang-ky/ --round 2023-DK
      camket -w so register-apply --dry-run
      camket -w so register-apply
    """
    from .registration import write_workbooks

    written = write_workbooks(_open(ctx, workspace_dir), _codes(units))
    click.echo(f"Đã lập {len(written.files)} phiếu đăng ký nhiệm vụ ({written.round.name}); tiếp nhận phiếu gửi về "
               f"bằng: camket ingest <thư mục> --round {written.round.id}", err=True)
    click.echo(str(written.files[0].parent) if written.files else "")
    click.echo(str(written.zip_path))
    click.echo(str(written.mailing_list))


@cli.command("register-apply")
@workspace_option
@click.option("--dry-run", is_flag=True, help="Chỉ cho thấy danh mục sẽ thay đổi thế nào, không ghi gì.")
@click.option("--force", is_flag=True, help="Vẫn áp dụng khi đề xuất còn lỗi (đơn vị tổng hợp đã chấp thuận).")
@click.pass_context
def register_apply(ctx: click.Context, workspace_dir: Path | None, dry_run: bool, force: bool) -> None:
    """Đưa các nhiệm vụ đã đăng ký vào danh-muc.xlsx: cấp mã cho nhiệm vụ tự đăng ký, bổ sung chi tiết
    nhiệm vụ chung và nhiệm vụ được giao, kiểm tra cơ cấu [[structure]].

    --dry-run chỉ liệt kê thay đổi và phát hiện (thoát với mã 3 nếu có lỗi). Khi áp dụng, bản sao
    danh mục cũ được giữ trong .camket/backup/; danh mục được ghi trọn vẹn hoặc không ghi.

    \b
    Ví dụ:
      camket -w so register-apply --dry-run
      camket -w so register-apply
    """
    from .registration import apply_proposal, proposal
    from .terminal import render_proposal

    ws = _open(ctx, workspace_dir)
    if dry_run:
        found = proposal(ws)
        click.echo(render_proposal(found))
        if found.errors:
            ctx.exit(EXIT_DATA_ERRORS)
        return
    applied = apply_proposal(ws, force=force)
    click.echo(render_proposal(applied.proposal))
    if applied.backup is None:
        click.echo("Danh mục không có gì thay đổi.", err=True)
    else:
        click.echo(f"Đã ghi {len(applied.proposal.changes)} thay đổi vào {ws.master_path.name}; bản cũ: "
                   f"{applied.backup}", err=True)


@cli.command()
@workspace_option
@click.option("--as-of", "as_of", callback=_day, default=None, metavar="DD/MM/YYYY",
              help="Tính đến ngày này: các kỳ có hạn gửi đến ngày này (mặc định: hôm nay).")
@click.option("--round", "-r", "round_id", default=None,
              help="Kỳ lấy kết quả nhiệm vụ (mặc định: [emulation] round, hoặc kỳ gần nhất của [[round]] có báo cáo).")
@click.option("--json", "as_json", is_flag=True, help="In bảng thi đua dạng JSON.")
@click.option("--pdf/--no-pdf", default=False, show_default=True,
              help="Chuyển báo cáo Word sang PDF (cần LibreOffice).")
@click.pass_context
def year(ctx: click.Context, workspace_dir: Path | None, as_of: dt.date | None, round_id: str | None, as_json: bool,
         pdf: bool) -> None:
    """Kết quả thi đua năm: mỗi đơn vị gửi đúng hạn, muộn, không gửi bao nhiêu kỳ, cộng với kết quả nhiệm vụ
    cả năm theo điểm của [emulation] trong camket.toml; ghi bảng tính và báo cáo Word vào out/nam-<năm>/.

    \b
    Ví dụ:
      camket -w so year
      camket -w so year --as-of 31/12/2023 --round 2023-CN
      camket -w so year --json
    """
    ws = _open(ctx, workspace_dir)
    found = ws.year(as_of, round_id)
    if as_json:
        click.echo(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
        return
    from .terminal import render_year

    book, word = ws.write_year(found, pdf=pdf)
    click.echo(render_year(found))
    click.echo(str(book))
    click.echo(str(word))


def main() -> None:
    """Console entry point."""
    if sys.platform == "win32":  # pragma: no cover - Vietnamese in a Windows console
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure:
                reconfigure(encoding="utf-8")
    cli(obj={})
