"""The web application and the offices' personal upload links."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import _open, cli, workspace_option

if TYPE_CHECKING:
    pass


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
    from ..web import WebConfig, new_token
    from ..web import serve as run_server

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
    from ..links import DEFAULT_BASE_URL, office_links

    found = office_links(_open(ctx, workspace_dir), round_id, base_url)
    if as_json:
        click.echo(json.dumps([link.__dict__ for link in found], ensure_ascii=False, indent=2))
        return
    for link in found:
        click.echo(f"{link.unit:<10} {link.url}  {link.name}")
    if found and found[0].url.startswith(DEFAULT_BASE_URL):
        click.echo(f"Lưu ý: đường dẫn dùng địa chỉ {DEFAULT_BASE_URL}, chỉ mở được trên máy này. Dùng --base-url "
                   "hoặc [web] base_url trong camket.toml với địa chỉ các đơn vị truy cập được.", err=True)
