"""Charts for the Word report (matplotlib, Agg backend, Vietnamese labels), as PNG bytes."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from ..model import Derived
from ..reconcile import Result, Trend
from ..vi import format_percent, percent

__all__ = ["classes_chart", "completion_chart", "trend_chart"]

_COLOURS = {
    Derived.DONE_ON_TIME: "#2E7D32", Derived.DONE_LATE: "#81C784", Derived.IN_PROGRESS_ON_TIME: "#1565C0",
    Derived.IN_PROGRESS_OVERDUE: "#EF6C00", Derived.NOT_STARTED: "#9E9E9E", Derived.NOT_DONE: "#6D4C41",
    Derived.NOT_REPORTED: "#C62828",
}
_UNITS_ON_CHART = 40


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def completion_chart(result: Result) -> tuple[bytes, str]:
    """Completion rate by unit (by block when there are many units) and its caption."""
    if len(result.heads) <= _UNITS_ON_CHART:
        bars = [(u.unit.code, float(u.totals.rate)) for u in sorted(result.heads, key=lambda u: u.unit.code)]
        caption = "Tỉ lệ hoàn thành nhiệm vụ theo cơ quan, đơn vị"
    else:
        bars = [(name, float(t.rate)) for name, t in result.by_block.items()]
        caption = "Tỉ lệ hoàn thành nhiệm vụ theo khối"
    figure, axes = plt.subplots(figsize=(7.5, max(2.5, 0.28 * len(bars) + 1)))
    labels = [b[0] for b in bars]
    values = [b[1] for b in bars]
    axes.barh(labels, values, color="#2E75B6")
    axes.invert_yaxis()
    axes.set_xlim(0, 110)
    axes.set_xlabel("Tỉ lệ hoàn thành (%)")
    for y, value in enumerate(values):
        axes.text(value + 1, y, format_percent(value), va="center", fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure), caption


def classes_chart(result: Result) -> tuple[bytes, str]:
    """How the tasks divide among the classes, and its caption."""
    parts = [(d, result.overall.count(d)) for d in Derived if result.overall.count(d)]
    figure, axes = plt.subplots(figsize=(7.5, 3.2))
    axes.pie([n for _, n in parts], colors=[_COLOURS[d] for d, _ in parts], startangle=90, counterclock=False,
             wedgeprops={"width": 0.45, "edgecolor": "white"})
    total = result.overall.total
    axes.legend([f"{d.value}: {n} ({format_percent(percent(n, total))})" for d, n in parts],
                loc="center left", bbox_to_anchor=(1, 0.5), fontsize=8, frameon=False)
    axes.set_aspect("equal")
    return _png(figure), "Cơ cấu nhiệm vụ theo tình trạng thực hiện"


def trend_chart(progress: Trend) -> tuple[bytes, str]:
    """The programme's completion rate round by round."""
    figure, axes = plt.subplots(figsize=(7.5, 3.0))
    labels = [r.name for r in progress.rounds]
    values = [float(t.rate) for t in progress.overall]
    axes.plot(labels, values, marker="o", color="#2E75B6")
    for x, value in enumerate(values):
        axes.annotate(format_percent(value), (x, value), textcoords="offset points", xytext=(0, 6), ha="center",
                      fontsize=8)
    axes.set_ylim(0, 110)
    axes.set_ylabel("Tỉ lệ hoàn thành (%)")
    axes.tick_params(axis="x", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure), "Tỉ lệ hoàn thành nhiệm vụ qua các kỳ báo cáo"
