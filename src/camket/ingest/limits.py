"""Limits that keep ingest safe from huge files, zip bombs and archive tricks."""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["DEFLATE_MAX_RATIO", "Limits"]

DEFLATE_MAX_RATIO = 1032  # the most deflate can expand a byte stream


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 2**20         # one received file
    max_part_bytes: int = 64 * 2**20         # one XML part of a workbook, uncompressed
    max_package_bytes: int = 256 * 2**20     # all parts of a workbook, uncompressed
    max_parts: int = 2_000                   # entries in a workbook package
    max_members: int = 5_000                 # files in one zip archive of submissions
    max_unpacked_bytes: int = 1024 * 2**20   # everything unpacked from one archive
    max_depth: int = 3                       # zips inside zips
    max_rows: int = 20_000                   # rows of a sheet that are read (the window's height)
    max_columns: int = 64                    # columns of a sheet that are read (the template has 15)
    max_cells: int = 500_000                 # cells holding a value in a workbook (a report has a few thousand)
    max_text: int = 32 * 2**20               # bytes of text a reader may hold for a workbook
    max_ratio: int = 200                     # compression ratio of a large member

    def for_tasks(self, tasks: int) -> Limits:
        """These limits, with the window and the cell budget grown to hold a workbook listing
        ``tasks`` tasks, one a row (the department's appraisal workbook of a large agency);
        an agency of up to 20,000 tasks keeps the defaults."""
        rows = tasks + 100  # the header block and the blank rows below the table
        if rows <= self.max_rows:
            return self
        return replace(self, max_rows=rows, max_cells=max(self.max_cells, rows * 16),
                       max_text=max(self.max_text, rows * 1024))
