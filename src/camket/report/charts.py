"""Charts for the Word report, as PNG bytes: the same bars, order and colours as the
workbook's native charts (:mod:`~camket.report.basis`, :mod:`~camket.report.palette`),
in the document's typeface.

matplotlib is imported inside the functions and drawn on a ``Figure`` with its own Agg
canvas: importing camket loads no plotting library and changes no global state (no
``pyplot``, no ``matplotlib.use``).

Each chart is drawn at the width it is placed at in the document (:data:`WIDTH_CM`, or the
width given), so its type sizes are the sizes printed: 9 pt, never below 8 pt.
"""

from __future__ import annotations

import functools
import io
from typing import Any, Literal

from ..model import Derived
from ..reconcile import Result, Trend
from ..safetext import safe_text
from ..vi import format_percent, percent
from .basis import Bar
from .palette import BAR, CLASS_COLOURS, MISSING, NO_DUE

__all__ = ["TREND_WIDTH_CM", "WIDTH_CM", "classes_chart", "completion_charts", "trend_chart"]

_SERIF = ("Times New Roman", "Liberation Serif", "Tinos", "Nimbus Roman", "DejaVu Serif")
WIDTH_CM = 15.0          # the width of a chart in the Word report
TREND_WIDTH_CM = 14.0
_TYPE = 9                # points, as printed
_ROW_CM = 0.8            # the height of one bar of the completion chart (a label of two lines)
_PER_CHART = 18          # above this many bars, the completion chart is split in two
_INCH = 2.54


@functools.cache
def _family() -> str:
    """The first of the document's typeface and its metric twins that is installed."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in _SERIF if name in installed), "serif")


def _figure(width_cm: float, height_cm: float, *, layout: Literal["constrained"] | None = "constrained",
            ) -> tuple[Any, Any]:
    """A figure of the size it is printed at (so points are points)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_cm / _INCH, height_cm / _INCH), layout=layout)
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
    """The figure as PNG, at its own size (placed at that width, its type keeps its size)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=200, metadata={"Software": None})
    return buffer.getvalue()


def label_lines(text: str, width: int = 30) -> str:
    r"""A label as written, on one line when it fits ``width`` characters, else on two lines
    as even as possible, never shortened. Vietnamese writes a word as several syllables
    ("Văn hóa"), so the break goes where a word surely starts: after a comma, before a
    capitalised syllable or a word such as "và", "của", "phụ trách" (:data:`_STARTS`); only when
    that leaves the lines far apart, between any two syllables.

    >>> label_lines("Trung tâm Triển lãm Văn hóa Nghệ thuật Việt Nam")
    'Trung tâm Triển lãm Văn hóa\nNghệ thuật Việt Nam'
    >>> label_lines("Phó Giám đốc Sở phụ trách lĩnh vực thể dục, thể thao")
    'Phó Giám đốc Sở phụ trách\nlĩnh vực thể dục, thể thao'
    >>> label_lines("Vụ Pháp chế")
    'Vụ Pháp chế'
    """
    words = safe_text(text).split()
    line = " ".join(words)
    if len(line) <= width or len(words) < 2:
        return line

    def balance(i: int) -> tuple[int, int]:
        first, second = " ".join(words[:i]), " ".join(words[i:])
        return max(len(first), len(second)), len(second)

    anywhere = min(range(1, len(words)), key=balance)
    starts = [i for i in range(1, len(words)) if words[i - 1].endswith(",") or words[i][:1].isupper()
              or words[i].lower() in _STARTS]
    best = min(starts, key=balance, default=anywhere)
    i = best if balance(best)[0] - balance(anywhere)[0] <= 8 else anywhere
    return f"{' '.join(words[:i])}\n{' '.join(words[i:])}"


_STARTS = frozenset({"và", "của", "về", "tại", "phụ", "lĩnh", "quốc", "cấp"})  # syllables that begin a word


def completion_charts(bars: list[Bar], width_cm: float = WIDTH_CM) -> list[bytes]:
    """Horizontal bars of completion rates, highest first, labelled with the full names (on two
    lines at most); bars without a rate say why (the caption under the picture gives the
    title). Above 18 bars, two charts of half the bars each, drawn alike (same label column)."""
    labels = [label_lines(b.label) for b in bars]
    parts = 1 if len(bars) <= _PER_CHART else 2
    size = -(-len(bars) // parts) if bars else 0
    left = _label_column(labels) / width_cm
    return [_bars(bars[i:i + size], labels[i:i + size], width_cm, left) for i in range(0, max(len(bars), 1), size or 1)]


def _label_column(labels: list[str]) -> float:
    """The width (cm) the longest label takes, with room for the ticks."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    font = FontProperties(family=_family(), size=_TYPE)
    widest = max((TextPath((0, 0), line, prop=font).get_extents().width
                  for label in labels for line in label.split("\n") if line), default=0.0)
    return widest / 72 * _INCH + 0.45


def _bars(bars: list[Bar], labels: list[str], width_cm: float, left: float) -> bytes:
    family = _family()
    bottom_cm, top_cm = 1.0, 0.3
    height_cm = max(4.0, _ROW_CM * len(bars) + bottom_cm + top_cm)
    figure, axes = _figure(width_cm, height_cm, layout=None)
    figure.subplots_adjust(left=min(left, 0.6), right=0.98, bottom=bottom_cm / height_cm, top=1 - top_cm / height_cm)
    positions = list(range(len(bars)))
    values = [float(b.rate) if b.rate is not None else 0.0 for b in bars]
    axes.barh(positions, values, color=BAR, height=0.65)
    axes.set_yticks(positions, labels)
    axes.set_ylim(max(len(bars), 1) - 0.5, -0.5)
    axes.set_xlim(0, 112)
    axes.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)])
    for y, bar in enumerate(bars):
        if bar.rate is None:
            axes.text(1, y, bar.note, va="center", fontsize=_TYPE, fontstyle="italic", fontfamily=family,
                      color=MISSING if bar.note == "chưa báo cáo" else NO_DUE)
        else:
            axes.text(float(bar.rate) + 1, y, format_percent(bar.rate), va="center", fontsize=_TYPE,
                      fontfamily=family)
    for tick, bar in zip(axes.get_yticklabels(), bars, strict=True):
        tick.set_linespacing(1.15)
        if bar.note == "chưa báo cáo":
            tick.set_color(MISSING)
    axes.spines[["top", "right"]].set_visible(False)
    _style(axes, _TYPE)
    return _png(figure)


def classes_chart(result: Result) -> tuple[bytes, str]:
    """How the tasks divide among the classes, and its caption."""
    family = _family()
    parts = [(d, result.overall.count(d)) for d in Derived if result.overall.count(d)]
    figure, axes = _figure(WIDTH_CM, 6.5)
    if parts:
        axes.pie([n for _, n in parts], colors=[CLASS_COLOURS[d] for d, _ in parts], startangle=90,
                 counterclock=False, wedgeprops={"width": 0.45, "edgecolor": "white"})
    total = result.overall.total
    axes.legend([f"{d.value}: {n} ({format_percent(percent(n, total))})" for d, n in parts],
                loc="center left", bbox_to_anchor=(1, 0.5), frameon=False, prop={"family": family, "size": _TYPE})
    axes.set_aspect("equal")
    return _png(figure), "Cơ cấu nhiệm vụ theo tình trạng thực hiện"


def trend_chart(progress: Trend) -> tuple[bytes, str]:
    """The programme's completion rate round by round."""
    family = _family()
    figure, axes = _figure(TREND_WIDTH_CM, 6.0)
    labels = [label_lines(r.name, 20) for r in progress.rounds]
    values = [float(t.rate) for t in progress.overall]
    positions = list(range(len(values)))
    axes.plot(positions, values, marker="o", color=BAR)
    axes.set_xticks(positions, labels)
    for x, value in enumerate(values):
        axes.annotate(format_percent(value), (x, value), textcoords="offset points", xytext=(0, 6), ha="center",
                      fontsize=_TYPE, fontfamily=family)
    axes.set_ylim(0, 110)
    axes.set_yticks(range(0, 101, 20), [f"{y}%" for y in range(0, 101, 20)])
    axes.set_ylabel("Tỉ lệ hoàn thành")
    axes.spines[["top", "right"]].set_visible(False)
    _style(axes, _TYPE)
    return _png(figure), "Tỉ lệ hoàn thành nhiệm vụ qua các kỳ báo cáo"
