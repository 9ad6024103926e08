"""Outputs of a round: the consolidated workbook, the Word report, feedback for offices.

- :func:`write_consolidated` — ``out/<round>/<round>_tong-hop.xlsx``.
"""

from .consolidated import write_consolidated

__all__ = ["write_consolidated"]
