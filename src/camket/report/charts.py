"""Charts for the Word report, as PNG bytes: the same bars, order and colours as the
workbook's native charts (:mod:`~camket.report.basis`, :mod:`~camket.report.palette`),
in the document's typeface.

matplotlib is imported inside the functions and drawn on a ``Figure`` with its own Agg
canvas: importing camket loads no plotting library and changes no global state (no
``pyplot``, no ``matplotlib.use``).
"""

from __future__ import annotations

import functools
import io
import textwrap
from typing import Any

from ..model import Derived
from ..reconcile import Result, Trend
from ..safetext import safe_text
from ..vi import format_percent, percent
from .basis import Bar
from .palette import BAR, CLASS_COLOURS, MISSING, NO_DUE

__all__ = ["classes_chart", "completion_chart", "trend_chart"]

_SERIF = ("Times New Roman", "Liberation Serif", "Tinos", "Nimbus Roman", "DejaVu Serif")


@functools.cache
def _family() -> str:
    """The first of the document's typeface and its metric twins that is installed."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in _SERIF if name in installed), "serif")


def _figure(width: float, height: float) -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _style(axes: Any, size: float = 9) -> None:
    family = _family()
    for label in (*axes.get_xticklabels(), *axes.get_yticklabels()):
        label.set_fontfamily(family)
        label.set_fontsize(size)
    axes.xaxis.label.set_fontfamily(family)
    axes.yaxis.label.set_fontfamily(family)


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def _label(text: str, width: int = 30) -> str:
    """A category label on at most two lines."""
    lines = textwrap.wrap(safe_text(text).replace("\n", " "), width) or [""]
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")


def completion_chart(bars: list[Bar]) -> bytes:
    """Horizontal bars of completion rates, highest first; bars without a rate say why
    (the caption under the picture gives the title)."""
    family = _family()
    height = max(2.5, 0.3 * len(bars) + 0.9)
    figure, axes = _figure(7.5, height)
    positions = list(range(len(bars)))
    values = [float(b.rate) if b.rate is not None else 0.0 for b in bars]
    axes.barh(positions, values, color=BAR, height=0.7)
    axes.set_yticks(positions, [_label(b.label) for b in bars])
    axes.invert_yaxis()
    axes.set_xlim(0, 112)
    axes.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)])
    for y, bar in enumerate(bars):
        if bar.rate is None:
            axes.text(1, y, bar.note, va="center", fontsize=8, fontstyle="italic", fontfamily=family,
                      color=MISSING if bar.note == "chưa báo cáo" else NO_DUE)
        else:
            axes.text(float(bar.rate) + 1, y, format_percent(bar.rate), va="center", fontsize=8, fontfamily=family)
    for tick, bar in zip(axes.get_yticklabels(), bars, strict=True):
        if bar.note == "chưa báo cáo":
            tick.set_color(MISSING)
    axes.spines[["top", "right"]].set_visible(False)
    _style(axes, 8)
    return _png(figure)


def classes_chart(result: Result) -> tuple[bytes, str]:
    """How the tasks divide among the classes, and its caption."""
    family = _family()
    parts = [(d, result.overall.count(d)) for d in Derived if result.overall.count(d)]
    figure, axes = _figure(7.5, 3.2)
    if parts:
        axes.pie([n for _, n in parts], colors=[CLASS_COLOURS[d] for d, _ in parts], startangle=90,
                 counterclock=False, wedgeprops={"width": 0.45, "edgecolor": "white"})
    total = result.overall.total
    axes.legend([f"{d.value}: {n} ({format_percent(percent(n, total))})" for d, n in parts],
                loc="center left", bbox_to_anchor=(1, 0.5), frameon=False, prop={"family": family, "size": 9})
    axes.set_aspect("equal")
    return _png(figure), "Cơ cấu nhiệm vụ theo tình trạng thực hiện"


def trend_chart(progress: Trend) -> tuple[bytes, str]:
    """The programme's completion rate round by round."""
    family = _family()
    figure, axes = _figure(7.5, 3.0)
    labels = [_label(r.name, 20) for r in progress.rounds]
    values = [float(t.rate) for t in progress.overall]
    positions = list(range(len(values)))
    axes.plot(positions, values, marker="o", color=BAR)
    axes.set_xticks(positions, labels)
    for x, value in enumerate(values):
        axes.annotate(format_percent(value), (x, value), textcoords="offset points", xytext=(0, 6), ha="center",
                      fontsize=8, fontfamily=family)
    axes.set_ylim(0, 110)
    axes.set_yticks(range(0, 101, 20), [f"{y}%" for y in range(0, 101, 20)])
    axes.set_ylabel("Tỉ lệ hoàn thành")
    axes.spines[["top", "right"]].set_visible(False)
    _style(axes, 8)
    return _png(figure), "Tỉ lệ hoàn thành nhiệm vụ qua các kỳ báo cáo"
