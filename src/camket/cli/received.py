"""What was received: ingest, the list of received files, the department's decisions, verify and the archive."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import EXIT_DATA_ERRORS, _Bar, _day, _open, cli, workspace_option

if TYPE_CHECKING:
    pass


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
    from ..terminal import render_ingest

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
    from ..ledger import ARRIVAL_LABELS
    from ..vi import vi_timestamps

    subs = _open(ctx, workspace_dir).submissions(round_id)
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in subs], ensure_ascii=False, indent=2))
        return
    for s in subs:
        arrived = f"{vi_timestamps(s.arrived)} ({ARRIVAL_LABELS.get(s.arrived_source, s.arrived_source)}" + (
            f" từ {s.sender})" if s.sender else ")")
        unit = s.unit or "-"
        if s.claimed_unit and s.claimed_unit != s.unit:
            unit += f" (ghi là {s.claimed_unit})"
        click.echo(f"{s.id:>6}  {s.state_label:<18} {unit:<12} {arrived}  {s.name}")
        if s.note:
            click.echo(f"{'':>8}{vi_timestamps(s.note)}")

@cli.command()
@workspace_option
@click.argument("submission_id", type=click.IntRange(1, 2**63 - 1))
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
@click.argument("submission_id", type=click.IntRange(1, 2**63 - 1))
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
    from ..terminal import render_findings

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
