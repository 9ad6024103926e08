"""Structural dumps of generated workbooks, compared to goldens in ``tests/golden/``.

A dump is what a person would check by hand: sheets and their visibility, cell values,
merged ranges, locked cells, validations, conditional formats, protection, print setup
and freeze panes. Volatile metadata (file times, generation time, signature) is
replaced by placeholders. Run ``pytest --update-goldens`` to rewrite goldens, then read
their diff before committing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
from docx import Document
from docx.oxml.ns import qn

GOLDEN = Path(__file__).parent / "golden"


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def dump_xlsx(path: Path, volatile: tuple[str, ...] = ("generated", "signature", "workspace")) -> dict[str, Any]:
    book = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"sheets": []}
    for ws in book.worksheets:
        cells: dict[str, Any] = {}
        locked_inputs: list[str] = []
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells[cell.coordinate] = _value(cell.value)
                if ws.protection.sheet and cell.has_style and not cell.protection.locked:
                    locked_inputs.append(cell.coordinate)
        if ws.title == "_camket":
            for coord in list(cells):
                key = cells.get(f"A{coord[1:]}")
                if coord.startswith("B") and key in volatile:
                    cells[coord] = f"<{key}>"
        validations = [
            {
                "sqref": str(dv.sqref), "type": dv.type, "operator": dv.operator,
                "formula1": dv.formula1, "formula2": dv.formula2,
                "error_style": dv.errorStyle or "stop", "show_error": dv.showErrorMessage,
                "prompt_title": dv.promptTitle, "prompt": dv.prompt, "error_title": dv.errorTitle,
                "error": dv.error,
            }
            for dv in ws.data_validations.dataValidation
        ]
        conditional = [
            {"range": str(rng.sqref), "formula": [r.formula for r in rules]}
            for rng, rules in ws.conditional_formatting._cf_rules.items()
        ]
        out["sheets"].append({
            "title": ws.title,
            "state": ws.sheet_state,
            "cells": cells,
            "unlocked": _ranges(locked_inputs),
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "validations": validations,
            "conditional_formats": conditional,
            "protected": bool(ws.protection.sheet),
            "freeze": ws.freeze_panes,
            "print": {
                "orientation": ws.page_setup.orientation,
                "paper": ws.page_setup.paperSize,
                "fit_to_page": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
                "fit_width": ws.page_setup.fitToWidth,
                "fit_height": ws.page_setup.fitToHeight,
                "title_rows": ws.print_title_rows,
                "footer": ws.oddFooter.center.text,
            },
            "widths": {k: round(v.width, 2) for k, v in sorted(ws.column_dimensions.items()) if v.width},
        })
    return out


def describe_xlsx(path: Path) -> dict[str, Any]:
    """:func:`dump_xlsx` and everything else a reader sees: each cell's style, row heights,
    page headers, print areas and the document properties."""
    out = dump_xlsx(path, volatile=())
    book = openpyxl.load_workbook(path)
    out["properties"] = {"title": book.properties.title, "subject": book.properties.subject,
                         "creator": book.properties.creator}
    for sheet, ws in zip(out["sheets"], book.worksheets, strict=True):
        sheet["styles"] = {
            cell.coordinate: [cell.number_format, cell.font.b, cell.font.i, cell.font.sz, cell.fill.fgColor.rgb,
                              cell.alignment.wrap_text, cell.alignment.horizontal, cell.protection.locked,
                              cell.border.left.style]
            for row in ws.iter_rows() for cell in row if cell.has_style}
        sheet["heights"] = {r: d.height for r, d in sorted(ws.row_dimensions.items()) if d.height}
        sheet["header"] = [ws.oddHeader.left.text, ws.oddHeader.right.text]
        sheet["print_area"] = ws.print_area
        sheet["active"] = book.active.title
    return out


def _ranges(coords: list[str]) -> list[str]:
    """Compress cell coordinates into column runs: ``["I8:I24", ...]``."""
    by_col: dict[str, list[int]] = {}
    for c in coords:
        letters = "".join(ch for ch in c if ch.isalpha())
        by_col.setdefault(letters, []).append(int(c[len(letters):]))
    runs: list[str] = []
    for col in sorted(by_col, key=lambda x: (len(x), x)):
        rows = sorted(by_col[col])
        start = prev = rows[0]
        for r in [*rows[1:], None]:
            if r is not None and r == prev + 1:
                prev = r
                continue
            runs.append(f"{col}{start}:{col}{prev}" if prev != start else f"{col}{start}")
            if r is not None:
                start = prev = r
    return runs


def check_golden(name: str, dump: dict[str, Any], update: bool) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(dump, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not update:
            raise AssertionError(f"golden {path.name} was missing and has been written; read it and rerun")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), (
        f"{name} differs from tests/golden/{name}.json (pytest --update-goldens rewrites it)")


def dump_docx(path: Path) -> dict[str, Any]:
    """A Word document as a reader checks it: page setup of every section, then the body in
    order, each paragraph with its text and what decides its look and its page breaks
    (bold, italic, size, alignment, indent, keep-with-next), each table with its cells and
    whether rows may split, and each picture by its width (its pixels depend on fonts)."""
    doc = Document(str(path))
    body: list[Any] = []

    def paragraph(p: Any) -> dict[str, Any]:
        runs = [r for r in p.runs if r.text.strip()]
        fmt = p.paragraph_format
        pictures = [int(e.get("cx")) for e in p._p.iter(qn("wp:extent"))]
        return {"text": p.text, "bold": bool(runs) and all(r.bold for r in runs),
                "italic": bool(runs) and all(r.italic for r in runs),
                "size": runs[0].font.size.pt if runs and runs[0].font.size else None,
                "align": str(p.alignment) if p.alignment is not None else None,
                "indent": round(fmt.first_line_indent.cm, 2) if fmt.first_line_indent is not None else None,
                "keep_next": bool(fmt.keep_with_next), **({"pictures": pictures} if pictures else {})}

    for block in doc.element.body.iterchildren():
        if block.tag == qn("w:p"):
            from docx.text.paragraph import Paragraph
            body.append(paragraph(Paragraph(block, doc)))
        elif block.tag == qn("w:tbl"):
            from docx.table import Table
            table = Table(block, doc)
            body.append({"table": [[c.text for c in row.cells] for row in table.rows],
                         "cant_split": all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit"))
                                           is not None for row in table.rows),
                         "header_repeated": table.rows[0]._tr.trPr is not None
                         and table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None})
    sections = [{"orientation": str(s.orientation), "width_mm": round(s.page_width.mm),
                 "height_mm": round(s.page_height.mm),
                 "margins_mm": [round(m.mm) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]}
                for s in doc.sections]
    langs = sorted({e.get(qn("w:val")) for e in doc.styles.element.iter(qn("w:lang"))})
    return {"sections": sections, "languages": langs, "body": body,
            "properties": {"title": doc.core_properties.title, "author": doc.core_properties.author}}
