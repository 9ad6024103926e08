"""Outputs of a round: the consolidated workbook, the Word report, feedback for offices.

- :func:`write_consolidated` — ``out/<round>/<round>_tong-hop.xlsx``;
- :func:`write_word` — ``out/<round>/<round>_bao-cao.docx``;
- :func:`feedback_jobs` — workbooks for offices to fix and resend (``out/<round>/phan-hoi/``);
- :func:`to_pdf` — the report as PDF through LibreOffice;
- :func:`write_appraisal` — the appraisal workbook (``out/<round>/tham-dinh/``).
"""

from .appraisal import write_appraisal
from .consolidated import write_consolidated
from .feedback import feedback_jobs
from .pdf import soffice, to_pdf
from .word import write_word

__all__ = ["feedback_jobs", "soffice", "to_pdf", "write_appraisal", "write_consolidated", "write_word"]
