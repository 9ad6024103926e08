"""The year: registration of tasks before it starts, applying them, and the emulation result."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import EXIT_DATA_ERRORS, _codes, _day, _open, cli, workspace_option

if TYPE_CHECKING:
    pass


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
    from ..registration import write_workbooks

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
    from ..registration import apply_proposal, proposal
    from ..terminal import render_proposal

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
    from ..terminal import render_year

    book, word = ws.write_year(found, pdf=pdf)
    click.echo(render_year(found))
    click.echo(str(book))
    click.echo(str(word))
