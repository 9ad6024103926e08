"""The sheet Tổng hợp on paper: every chart inside the printed width and on one page, every
bar labelled, and no table of totals split from its header across a page break; in an
interim round and in the last round of both samples (a narrower sheet)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

from camket import Workspace
from camket.xlsxkit import text_ems

from .conftest import SAMPLE_TIME

EMU_PX = 9525
PAGE_PT = 509          # landscape A4, 0.6" top and bottom margins, at 100%
PAGE_PX = 1026         # landscape A4, 0.5" side margins, at 100%
LIBREOFFICE_WIDER = 1.07  # LibreOffice lays columns out up to this much wider than Excel
TABLES = ("Theo nhóm nhiệm vụ", "Theo khối", "Theo nguồn")


def _final(tmp_path_factory: pytest.TempPathFactory, sample: str, round_id: str) -> Path:
    from camket.simulate import simulate_returns

    root = tmp_path_factory.mktemp(sample) / "ws"
    ws = Workspace.init(root, sample=sample)
    simulate_returns(ws.template_jobs(round_id, generated=SAMPLE_TIME), root.parent / "nhan", seed=5)
    ws.ingest([root.parent / "nhan"], round_id, now=dt.datetime.combine(ws.settings.round(round_id).due,
                                                                         dt.time(9)))
    return ws.report(round_id, generated=SAMPLE_TIME, feedback=False).consolidated


@pytest.fixture(scope="module", params=["bo-2022 2022-6T", "bo-2022 2022-CN", "so-2023 2023-CN"])
def summary(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
            bo_2022_reported: tuple[Workspace, Any]) -> Path:
    sample, round_id = request.param.split()
    if round_id == "2022-6T":
        return Path(bo_2022_reported[1].consolidated)
    return _final(tmp_path_factory, sample, round_id)


def _sheet(path: Path) -> tuple[Any, list[float], float, list[int]]:
    """Tổng hợp, its column widths in pixels, its scale and its manual page breaks."""
    ws = openpyxl.load_workbook(path)["Tổng hợp"]
    last = column_index_from_string(re.sub(r"\d|\$", "", str(ws.print_area).split(":")[-1]))
    widths = {c: d.width for d in ws.column_dimensions.values() for c in range(d.min, d.max + 1)}
    pixels = [int(widths[c] * 7 + 0.5) for c in range(1, last + 1)]  # a written width includes the cell's margin
    return ws, pixels, ws.page_setup.scale / 100, [b.id for b in ws.row_breaks.brk]


def _charts(path: Path) -> list[tuple[dict[str, int], str]]:
    """Each chart of Tổng hợp (sheet1) with its anchor (cells and pixels) and its XML."""
    with zipfile.ZipFile(path) as package:
        drawing = package.read("xl/drawings/drawing1.xml").decode()
        rels = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="\.\./charts/(chart\d+\.xml)"',
                               package.read("xl/drawings/_rels/drawing1.xml.rels").decode()))
        out = []
        for anchor in re.findall(r"<xdr:twoCellAnchor.*?</xdr:twoCellAnchor>", drawing):
            ends = {f"{end}_{what}": int(value) for end in ("from", "to") for what, value in re.findall(
                r"<xdr:(col|colOff|row|rowOff)>(\d+)<", anchor.split(f"<xdr:{end}>")[1].split(f"</xdr:{end}>")[0])}
            rel = re.search(r'r:id="(rId\d+)"', anchor)
            assert rel is not None
            out.append((ends, package.read(f"xl/charts/{rels[rel.group(1)]}").decode()))
    return out


def _pages(ws: Any, breaks: list[int], capacity: float, rows: int) -> list[int]:
    """The page each row prints on: manual breaks, then a new page when one is full."""
    page, used, out = 0, 0.0, []
    for r in range(rows):
        height = ws.row_dimensions[r + 1].height or 15
        if (r in breaks and r) or (used + height > capacity and used):
            page, used = page + 1, 0.0
        used += height
        out.append(page)
    return out


def _height_pt(ws: Any, first: int, last: int) -> float:
    return sum(ws.row_dimensions[r + 1].height or 15 for r in range(first, last + 1))


def test_the_sheet_prints_one_page_wide_in_excel_and_libreoffice(summary: Path) -> None:
    ws, widths, scale, _ = _sheet(summary)
    assert ws.page_setup.fitToWidth in (None, 1) and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert sum(widths) * LIBREOFFICE_WIDER * scale <= PAGE_PX


def test_every_chart_is_inside_the_printed_width_and_on_one_page(summary: Path) -> None:
    ws, widths, scale, breaks = _sheet(summary)
    capacity = PAGE_PT / scale
    charts = _charts(summary)
    assert {"barChart", "doughnutChart"} <= {kind for _, chart in charts for kind in ("barChart", "doughnutChart")
                                             if kind in chart}
    last_row = int(re.findall(r"\d+", str(ws.print_area))[-1]) - 1
    for anchor, _ in charts:
        right = sum(widths[:anchor["to_col"]]) + anchor["to_colOff"] / EMU_PX
        assert anchor["to_col"] < len(widths) and right <= sum(widths), "past the printed width"
        assert anchor["to_row"] <= last_row, "below the print area"
        assert not [b for b in breaks if anchor["from_row"] < b <= anchor["to_row"]], "cut by a page break"
        height = _height_pt(ws, anchor["from_row"], anchor["to_row"] - 1) + anchor["to_rowOff"] / EMU_PX * 0.75
        assert height <= capacity, "taller than a page"
        assert anchor["from_row"] in breaks or anchor["from_row"] - 1 in breaks or any(
            a["to_row"] < anchor["from_row"] for a, _ in charts)  # a chart starts a page or follows another


def test_every_bar_has_its_label_with_room_for_it(summary: Path) -> None:
    ws, _, _, _ = _sheet(summary)
    book = openpyxl.load_workbook(summary)
    labels = [r[0] for r in book["Dữ liệu biểu đồ"].iter_rows(max_col=1, values_only=True) if r[0]]
    anchor, chart = next((a, c) for a, c in _charts(summary) if "barChart" in c)
    assert '<c:tickLblSkip val="1"/>' in chart  # every category labelled (Excel)
    height_px = (_height_pt(ws, anchor["from_row"], anchor["to_row"] - 1) * 4 / 3
                 + (anchor["to_rowOff"] - anchor["from_rowOff"]) / EMU_PX)
    per_bar = (height_px - 100) / len(labels)
    # LibreOffice labels every other bar as soon as one label wraps into a space too low for two lines
    assert per_bar >= (30 if any(text_ems(label) > 13 for label in labels) else 14), per_bar
    assert all(text_ems(label) <= 26 for label in labels)  # two lines at most


def test_no_table_of_totals_is_split_from_its_header(summary: Path) -> None:
    ws, _, scale, breaks = _sheet(summary)
    column = [c.value for c in ws["A"]]
    pages = _pages(ws, breaks, PAGE_PT / scale, len(column))
    for title in TABLES:
        first = column.index(title)
        last = next(r for r in range(first + 1, len(column) + 1) if r == len(column) or column[r] is None) - 1
        assert last > first and pages[first] == pages[last], (title, pages[first:last + 1])
