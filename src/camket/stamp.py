"""The signed metadata hidden in every workbook camket sends out.

A template carries a hidden sheet ``_camket`` with its format version, kind
(``report`` or ``appraisal``), workspace id, round, unit, generation time, the sheet
and header row of the table, and for each task its code, row and a hash of the
locked cells; then an HMAC-SHA256 signature over all of it with the workspace's
secret key. Ingest recomputes the signature to tell a genuine template of this
round and unit from a copied, forged or tampered one.

>>> stamp = Stamp("report", "ab12", "2022-6T", "VPC", "2022-07-01T08:00:00", "Báo cáo", 7,
...               (("VPC-01", 8, "0f1e2d3c4b5a6978"),))
>>> stamp.verify(stamp.sign(b"k"), b"k")
True
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .model import Task
from .values import text_of

__all__ = ["FORMAT_VERSION", "META_SHEET", "Stamp", "locked_values", "row_hash"]

FORMAT_VERSION = "1"
META_SHEET = "_camket"
_MARKER = "camket"


def locked_values(task: Task) -> tuple[str, ...]:
    """The locked cells of a task row, as text, in the order they are hashed.

    The master's texts are already clean (NFC, trimmed); only the points need writing out.
    """
    points = task.points
    return (task.code, task.content, task.group, task.product, task.target, task.deadline_text,
            str(int(points)) if float(points).is_integer() else str(points))


def row_hash(values: Sequence[Any]) -> str:
    """A short hash of a row's locked cells (text forms, so a re-saved file hashes the same)."""
    joined = "\x1f".join(text_of(v) for v in values)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Stamp:
    kind: str
    workspace: str
    round: str
    unit: str
    generated: str
    sheet: str
    header_row: int
    tasks: tuple[tuple[str, int, str], ...]
    format: str = FORMAT_VERSION

    def payload(self) -> bytes:
        body = {
            "format": self.format, "kind": self.kind, "workspace": self.workspace,
            "round": self.round, "unit": self.unit, "generated": self.generated,
            "sheet": self.sheet, "header_row": self.header_row,
            "tasks": [list(t) for t in self.tasks],
        }
        return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    def sign(self, secret: bytes) -> str:
        return hmac.new(secret, self.payload(), hashlib.sha256).hexdigest()

    def verify(self, signature: str, secret: bytes) -> bool:
        return hmac.compare_digest(self.sign(secret), signature.strip().lower())

    def rows(self, secret: bytes) -> list[list[str]]:
        """The metadata sheet's rows; every value is text so office programs keep it as is."""
        rows = [
            [_MARKER, "Dữ liệu kiểm soát của camket. Không sửa, không xóa sheet này."],
            ["format", self.format], ["kind", self.kind], ["workspace", self.workspace],
            ["round", self.round], ["unit", self.unit], ["generated", self.generated],
            ["sheet", self.sheet], ["header_row", str(self.header_row)],
        ]
        # one cell per task: "code row hash", space-separated (codes never hold spaces); a tab
        # would not survive LibreOffice's .ods as python-calamine reads it
        rows += [["task", f"{code} {row} {digest}"] for code, row, digest in self.tasks]
        rows.append(["signature", self.sign(secret)])
        return rows

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]]) -> tuple[Stamp, str]:
        """Parse the metadata sheet; raises ValueError when it is not camket's or is damaged."""
        if not rows or not rows[0] or text_of(rows[0][0]) != _MARKER:
            raise ValueError("không phải dữ liệu kiểm soát của camket")
        fields: dict[str, str] = {}
        tasks: list[tuple[str, int, str]] = []
        for row in rows[1:]:
            cells = [text_of(v) for v in row] + ["", "", ""]
            key = cells[0]
            if key == "task":
                parts = cells[1].split() if cells[2] == "" else cells[1:4]
                if len(parts) != 3:
                    raise ValueError(f"dòng nhiệm vụ không đúng dạng: {cells[1]!r}")
                tasks.append((parts[0], int(parts[1]), parts[2]))
            elif key:
                fields[key] = cells[1]
        try:
            stamp = cls(
                kind=fields["kind"], workspace=fields["workspace"], round=fields["round"],
                unit=fields["unit"], generated=fields["generated"], sheet=fields["sheet"],
                header_row=int(fields["header_row"]), tasks=tuple(tasks), format=fields["format"],
            )
            return stamp, fields["signature"]
        except (KeyError, ValueError) as exc:
            raise ValueError(f"dữ liệu kiểm soát bị thiếu hoặc hỏng ({exc})") from None
