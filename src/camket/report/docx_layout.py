"""Layout primitives of a Vietnamese administrative document (Decree 30/2020/NĐ-CP,
Phụ lục I) for python-docx: page, fonts, rules, the borderless header and signature
tables, page numbers from page 2, landscape appendix sections, and fast tables.

Tables are filled by copying a prototype ``w:tr`` element: python-docx's
``table.cell(r, c)`` is quadratic (7.5 s against 0.2-0.7 s for a 1,100-row report).

Every text goes through :func:`~camket.safetext.safe_text` (lxml refuses control
characters); headings and captions keep with what follows, table rows never split
across pages, and the proofing language is Vietnamese.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from ..safetext import safe_text

__all__ = [
    "FONT",
    "add_page_number_header",
    "body_paragraph",
    "fast_table",
    "keep_with_next",
    "landscape_section",
    "para",
    "rule_under",
    "set_base_style",
    "set_cell_width",
    "set_column_widths",
    "set_language",
    "setup_page",
    "strip_table_borders",
]

FONT = "Times New Roman"
RULE_GAP = 6  # points between a line of text and the rule under it: clear of descenders (p, g, ọ, ụ)


def _fonts(rpr: Any) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def set_base_style(doc: Any, size: float, line_spacing: float) -> None:
    """Times New Roman everywhere; body text justified, 1 cm first-line indent, 6 pt after."""
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(size)
    _fonts(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_after = Pt(6)
    fmt.space_before = Pt(0)
    fmt.line_spacing = line_spacing
    for name in ("Table Grid",):
        if name in [s.name for s in doc.styles]:
            _fonts(doc.styles[name].element.get_or_add_rPr())


def set_language(doc: Any, language: str = "vi-VN") -> None:
    """The proofing language of every run that does not say otherwise (document defaults
    and the Normal style), so Word checks Vietnamese instead of underlining every word."""
    styles = doc.styles.element
    defaults = _child(styles, "w:docDefaults", first=True)
    default_rpr = _child(_child(defaults, "w:rPrDefault", first=True), "w:rPr")
    for rpr in (default_rpr, doc.styles["Normal"].element.get_or_add_rPr()):
        lang = _child(rpr, "w:lang")
        lang.set(qn("w:val"), language)
        lang.set(qn("w:eastAsia"), language)


def _child(parent: Any, tag: str, first: bool = False) -> Any:
    """``parent``'s child ``tag``, added (first or last) when missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def keep_with_next(paragraph: Any) -> Any:
    """The paragraph stays on the page of the one after it (headings, captions, intros)."""
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def setup_page(section: Any, top: float, bottom: float, left: float, right: float) -> None:
    """A4 portrait with margins in millimetres."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def para(container: Any, text: str = "", *, size: float | None = None, bold: bool = False, italic: bool = False,
         caps: bool = False, align: Any = WD_ALIGN_PARAGRAPH.CENTER, after: float = 0, before: float = 0,
         indent: bool = False, style: str | None = None, keep_next: bool = False) -> Any:
    """A paragraph of one run with explicit formatting (header, title, signature lines)."""
    paragraph = container.add_paragraph(style=style) if style else container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.first_line_indent = Cm(1) if indent else Cm(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.keep_with_next = keep_next or None
    text = safe_text(text)
    if text:
        run = paragraph.add_run(text.upper() if caps else text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    return paragraph


def body_paragraph(doc: Any, text: str = "", *, bold: bool = False, italic: bool = False,
                   indent: bool = True, keep_next: bool = False) -> Any:
    """Body text: justified, first-line indent 1 cm, spacing from the Normal style."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1) if indent else Cm(0)
    paragraph.paragraph_format.keep_with_next = keep_next or None
    text = safe_text(text)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
    return paragraph


def rule_under(container: Any, length_cm: float, width_cm: float) -> Any:
    """A solid horizontal rule ``length_cm`` long, centred in a ``width_cm`` wide
    container: an empty 1 pt paragraph with a top border, so the text above keeps its
    full width; ``RULE_GAP`` points below the text, so it never touches a descender."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max(0.0, (width_cm - length_cm) / 2)
    fmt.left_indent, fmt.right_indent = Cm(side), Cm(side)
    fmt.first_line_indent = Cm(0)
    fmt.space_before, fmt.space_after = Pt(RULE_GAP), Pt(0)
    fmt.line_spacing = Pt(1)
    run = paragraph.add_run()
    run.font.size = Pt(1)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    ppr.insert(0, borders)
    return paragraph


def strip_table_borders(table: Any) -> None:
    """A layout table: no borders at all, whatever the document's default table style."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def set_column_widths(table: Any, widths_cm: Any) -> None:
    """Column widths that Word and LibreOffice both honour: grid columns and every cell."""
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        column.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            set_cell_width(cell, Cm(width))


def set_cell_width(cell: Any, width: Any) -> None:
    cell.width = width
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_w = tc_pr.find(qn("w:tcW"))
    if tc_w is None:
        tc_w = OxmlElement("w:tcW")
        tc_pr.append(tc_w)
    tc_w.set(qn("w:w"), str(int(width.twips)))
    tc_w.set(qn("w:type"), "dxa")


def add_page_number_header(section: Any, size: float) -> None:
    """The page number centred in the top margin, not on the first page of the section."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(size)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            value = OxmlElement("w:t")
            value.text = text
            run._r.append(value)
    section.first_page_header.is_linked_to_previous = False


def landscape_section(doc: Any, restart_numbering: bool = True) -> Any:
    """A new landscape A4 section (for an appendix), page numbers restarting at 1."""
    previous = doc.sections[-1]
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    # the same margins as the portrait pages, read in the landscape page's own orientation
    section.left_margin, section.right_margin = previous.left_margin, previous.right_margin
    section.top_margin, section.bottom_margin = previous.top_margin, previous.bottom_margin
    if restart_numbering:
        number = OxmlElement("w:pgNumType")
        number.set(qn("w:start"), "1")
        section._sectPr.append(number)
    return section


def _set_text(tc: Any, text: str) -> None:
    """Set the text of a cell copied from the prototype row (its run keeps the formatting);
    a line break in the text is a line break in the cell."""
    element = tc.find(f"{qn('w:p')}/{qn('w:r')}/{qn('w:t')}")
    lines = safe_text(text).split("\n")
    element.text = lines[0]
    element.set(qn("xml:space"), "preserve")
    for line in lines[1:]:
        br = OxmlElement("w:br")
        element.addnext(br)
        element = OxmlElement("w:t")
        element.text = line
        element.set(qn("xml:space"), "preserve")
        br.addnext(element)


def _cant_split(tr: Any) -> None:
    """A row is never split across two pages."""
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def fast_table(doc: Any, headers: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[float],
               *, size: float = 11, align: Sequence[str] | None = None, numbered: bool = True) -> Any:
    """A bordered table: bold header repeated on every page, a row "(1) (2) …" under it,
    then ``rows`` (already text), appended by copying a prototype row."""
    table = doc.add_table(rows=2 if numbered else 1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    for row in table.rows:
        _cant_split(row._tr)
    tr_pr = header._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    set_column_widths(table, widths)
    for i, (cell, text, width) in enumerate(zip(header.cells, headers, widths, strict=True)):
        set_cell_width(cell, Cm(width))
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Cm(0)
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        run = p.add_run(safe_text(text))
        run.bold = True
        run.font.size = Pt(size)
        if numbered:
            number = table.rows[1].cells[i]
            set_cell_width(number, Cm(width))
            q = number.paragraphs[0]
            q.alignment = WD_ALIGN_PARAGRAPH.CENTER
            q.paragraph_format.first_line_indent = Cm(0)
            q.paragraph_format.space_after = Pt(0)
            r = q.add_run(f"({i + 1})")
            r.italic = True
            r.font.size = Pt(size)
    prototype = table.add_row()
    _cant_split(prototype._tr)
    for i, cell in enumerate(prototype.cells):
        set_cell_width(cell, Cm(widths[i]))
        p = cell.paragraphs[0]
        p.paragraph_format.first_line_indent = Cm(0)
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        p.alignment = {"c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}.get(
            (align or "l" * len(headers))[i], WD_ALIGN_PARAGRAPH.LEFT)
        run = p.add_run("x")
        run.font.size = Pt(size)
    proto = prototype._tr
    tbl = table._tbl
    tbl.remove(proto)
    for values in rows:
        tr = copy.deepcopy(proto)
        cells = tr.findall(qn("w:tc"))
        for tc, value in zip(cells, values, strict=True):
            _set_text(tc, value)
        tbl.append(tr)
    return table
