"""Templates: one self-explaining, locked, signed, printable workbook per unit.

- :func:`write_template` writes one workbook from a :class:`TemplateJob`
  (also used for feedback workbooks, pre-filled and annotated);
- :func:`run_jobs` writes many, on both cores;
- :func:`write_bundle` writes the zip and the mailing list.
"""

from .batch import Progress, TemplatesResult, run_jobs, template_filename, write_bundle
from .book import TemplateJob, write_template
from .layout import ADDED_MARKER, GUIDE_SHEET, HEADER_ROW, NOTES_SHEET, PROBLEMS_SHEET, col, example_date, letter

__all__ = [
    "ADDED_MARKER",
    "GUIDE_SHEET",
    "HEADER_ROW",
    "NOTES_SHEET",
    "PROBLEMS_SHEET",
    "Progress",
    "TemplateJob",
    "TemplatesResult",
    "col",
    "example_date",
    "letter",
    "run_jobs",
    "template_filename",
    "write_bundle",
    "write_template",
]
