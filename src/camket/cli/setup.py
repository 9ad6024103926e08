"""Setting a workspace up and trying it out: init, check, the findings catalogue, demo, simulate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import EXIT_DATA_ERRORS, _Bar, _open, _root, cli, workspace_option

if TYPE_CHECKING:
    pass


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
    from ..workspace import Workspace

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
    from ..check import check_workspace
    from ..terminal import render_findings, summary

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

@cli.command()
@click.option("--markdown", is_flag=True, help="In dạng Markdown (docs/findings.md).")
def findings(markdown: bool) -> None:
    """Danh mục mọi loại phát hiện: mã, mức độ, nội dung và cách xử lý.

    \b
    Ví dụ:
      camket findings
      camket findings --markdown > docs/findings.md
    """
    from ..findings import CATALOGUE, catalogue_markdown

    if markdown:
        click.echo(catalogue_markdown(), nl=False)
        return
    for kind in CATALOGUE.values():
        click.echo(f"{kind.severity.value:<8} {kind.code:<28} {kind.message} — {kind.advice}")

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
        from ..demo import run_demo

        result = run_demo(directory, sample=sample, units=units, tasks=tasks, round_id=round_id, seed=seed,
                          pdf=pdf, force=force, on_stage=bar.stage, on_progress=bar)
    finally:
        bar.close()
    from ..demo import describe

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
        from ..registration.simulate import simulate_registrations

        forms = sorted((ws.out_dir(round_id) / "dang-ky").glob("dang-ky_*.xlsx"))
        if not forms:
            raise click.UsageError("Chưa có phiếu đăng ký: chạy camket registration trước.")
        files = simulate_registrations(forms, directory, ws.settings, seed=seed)
        missing: list[str] = []
        subject = f"Đăng ký nhiệm vụ năm {ws.settings.year}"
    else:
        from ..simulate import simulate_returns

        bar = _Bar("Mô phỏng")
        try:
            plan = simulate_returns(ws.template_jobs(round_id), directory, seed=seed, on_progress=bar)
        finally:
            bar.close()
        files, missing = plan.files, plan.missing
        subject = f"Báo cáo kết quả thực hiện nhiệm vụ {ws.round(round_id).name}"
    if by_email:
        from ..simulate_mail import as_emails

        files = as_emails(files, {u.code: u for u in ws.master().units}, subject, ws.settings.contact.email)
    click.echo(f"{len(files)} tệp trong {directory}; đơn vị không gửi: {', '.join(missing) or 'không'}.")
