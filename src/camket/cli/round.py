"""A reporting round: templates, status, report, appraisal and roll-up to the level above."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import EXIT_DATA_ERRORS, _Bar, _codes, _day, _open, cli, workspace_option

if TYPE_CHECKING:
    pass


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
        from ..terminal import render_status

        click.echo(render_status(result))
    if result.severity_counts()["error"]:
        ctx.exit(EXIT_DATA_ERRORS)

@cli.command()
@workspace_option
@click.option("--round", "-r", "round_id", required=True, help="Mã kỳ báo cáo.")
@click.option("--pdf/--no-pdf", default=False, show_default=True,
              help="Chuyển báo cáo Word sang PDF (cần LibreOffice).")
@click.option("--feedback/--no-feedback", default=True, show_default=True, help="Lập tệp phản hồi cho đơn vị.")
@click.option("--date", "dated", callback=_day, default=None, metavar="DD/MM/YYYY",
              help="Ngày của báo cáo (mặc định: report_date của kỳ trong [[round]], [report] date, hoặc hôm nay).")
@click.pass_context
def report(ctx: click.Context, workspace_dir: Path | None, round_id: str, pdf: bool, feedback: bool,
           dated: dt.date | None) -> None:
    """Lập bảng tổng hợp (.xlsx), báo cáo Word (.docx, .pdf) và tệp phản hồi cho đơn vị vào out/<kỳ>/.

    Báo cáo ghi ngày --date; không có thì report_date của kỳ trong camket.toml, [report] date,
    hoặc ngày lập. Hạn gửi lại của tệp phản hồi tính từ ngày này.

    \b
    Ví dụ:
      camket -w ws report --round 2022-6T
      camket -w ws report --round 2022-6T --pdf
      camket -w ws report --round 2022-6T --date 08/07/2022
    """
    ws = _open(ctx, workspace_dir)
    bar = _Bar("Phản hồi")
    try:
        files = ws.report(round_id, pdf=pdf, feedback=feedback, on_progress=bar, dated=dated)
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
    from ..report.rollup import describe as describe_rollup

    for line in describe_rollup(outcome):
        click.echo(f"  {line}", err=True)
    if outcome.findings:
        from ..terminal import render_findings

        click.echo(render_findings(outcome.findings), err=True)
    click.echo(str(outcome.path))
