"""What every command shares: the ``camket`` group, where errors become exit codes (in one
place), the workspace option, opening the workspace (and its log), progress bars, and the
parsing of dates and unit lists typed on the command line."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, TypeVar

import click

from ..errors import CamketError

if TYPE_CHECKING:  # commands import what they use, so that camket --help answers at once
    from ..workspace import Workspace

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
        except BrokenPipeError:
            _reader_went_away()
        except Exception as exc:
            from ..ledger import explain
            from ..logs import log_bug

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
    from ..logs import log_command, log_to
    from ..workspace import Workspace

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
        from ..logs import verbose as show_debug

        show_debug()

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

def _reader_went_away() -> NoReturn:
    """The program reading camket's output stopped early (``camket findings | head``): nothing is
    wrong; end quietly, without Python's complaint about the closed pipe at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


def main() -> None:
    """Console entry point."""
    if sys.platform == "win32":  # pragma: no cover - Vietnamese in a Windows console
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure:
                reconfigure(encoding="utf-8")
    try:
        cli(obj={})
        sys.stdout.flush()
    except BrokenPipeError:
        _reader_went_away()
