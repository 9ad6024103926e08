"""Limits that keep ingest safe from huge files, zip bombs and archive tricks."""

from __future__ import annotations

from dataclasses import dataclass

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
