"""What the pages and the API show, made from the library's objects (no figure is computed
here: they come from :meth:`camket.Workspace.reconcile` and the ledger as they are)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..ingest import FileOutcome, IngestResult
from ..ledger import ARRIVAL_LABELS, STATE_LABELS, Submission
from ..model import Derived, Finding, Severity
from ..reconcile import Result, Totals, UnitResult
from ..vi import format_date, format_number, format_percent, percent, vi_timestamps

__all__ = [
    "ORDER",
    "SETTLEABLE",
    "Output",
    "ingest_json",
    "outcome_sentence",
    "outputs",
    "state_label",
    "when",
]

ORDER = ("accepted", "pending", "superseded", "dismissed", "rejected", "error", "duplicate", "unpacked")
"""The states a received file can be in, in the order they are listed."""

SETTLEABLE = ("pending", "superseded", "dismissed")
"""States from which the department may choose a file for a unit (``accept``)."""


def state_label(state: str) -> str:
    """The ledger's Vietnamese name of a state (as ``camket submissions`` prints it), capitalised."""
    label = STATE_LABELS.get(state, state)
    return label[:1].upper() + label[1:]


def when(stamp: str | dt.datetime | None) -> str:
    """``2022-07-08T09:00:00`` -> ``08/07/2022 09:00``."""
    if not stamp:
        return ""
    if isinstance(stamp, str) and len(stamp) == 10:  # a date without a time (a date given at ingest)
        return format_date(dt.date.fromisoformat(stamp))
    moment = stamp if isinstance(stamp, dt.datetime) else dt.datetime.fromisoformat(stamp)
    return f"{moment:%d/%m/%Y %H:%M}"


def outcome_sentence(outcome: FileOutcome, contact: str) -> str:
    """What became of an office's file, in plain words for the office (times the Vietnamese way)."""
    return vi_timestamps(_outcome_sentence(outcome, contact))


def _outcome_sentence(outcome: FileOutcome, contact: str) -> str:
    if outcome.state == "accepted":
        errors = sum(1 for f in outcome.findings if f.severity is Severity.ERROR)
        warnings = sum(1 for f in outcome.findings if f.severity is Severity.WARNING)
        text = "Đã tiếp nhận. Báo cáo được tính vào kết quả tổng hợp của kỳ"
        if errors:
            text += f", nhưng còn {errors} lỗi cần sửa (xem dưới đây): sửa rồi gửi lại tệp."
        elif warnings:
            text += f"; có {warnings} cảnh báo, nên xem lại các ô được nêu dưới đây."
        else:
            text += "."
        if outcome.replaces:
            text += f" Tệp này thay cho tệp gửi trước ({outcome.replaces})."
        return text
    why = f" ({outcome.note})" if outcome.note else ""
    if outcome.state == "pending":
        reason = f", vì {outcome.note}" if outcome.note else ""
        return (f"Đã nhận nhưng chưa tính vào kết quả: tệp đang chờ {contact} xem xét{reason}. "
                "Nếu gửi nhầm tệp của đơn vị khác, hãy gửi lại đúng tệp của đơn vị mình.")
    if outcome.state == "duplicate":
        return f"Tệp này đã được gửi trước đây ({outcome.previous}); không nhận lại lần nữa."
    if outcome.state == "superseded":
        return f"Đã nhận và lưu lại, nhưng {contact} đang dùng bản gửi trước của đơn vị{why}."
    if outcome.state == "unpacked":
        return "Tệp nén: các tệp bên trong được tiếp nhận như ghi ở trên."
    if outcome.state == "rejected":
        return "Tệp chưa được tính vào kết quả. Sửa theo các lỗi dưới đây rồi gửi lại."
    if outcome.state == "error":
        return (f"Tệp đã được lưu nhưng chưa đọc được do lỗi của chương trình camket, không phải do tệp của đơn vị. "
                f"{contact[:1].upper() + contact[1:]} sẽ xử lý; đơn vị không cần gửi lại.")
    return state_label(outcome.state)


def where(finding: Finding) -> str:
    """``sheet "Báo cáo", ô H12`` (the file is shown beside it)."""
    parts = []
    if finding.location.sheet:
        parts.append(f'sheet "{finding.location.sheet}"')
    if finding.location.cell:
        parts.append(f"ô {finding.location.cell}")
    if finding.location.line is not None:
        parts.append(f"dòng {finding.location.line}")
    return ", ".join(parts) or "cả tệp"


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then information; in the order they were found."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(findings, key=lambda f: order[f.severity])


def ingest_json(result: IngestResult) -> dict[str, Any]:
    """The ingest result as ``POST /api/rounds/{round}/files`` answers it."""
    states = [s for s in ORDER if result.count(s)] + sorted({o.state for o in result.files} - set(ORDER))
    return {
        "round": result.round.id,
        "dry_run": result.dry_run,
        "counts": {state: result.count(state) for state in states},
        "files": [
            {"name": o.name, "state": o.state, "kind": o.kind, "unit": o.unit, "submission_id": o.submission_id,
             "replaces": o.replaces, "previous": o.previous, "findings": [f.as_dict() for f in o.findings]}
            for o in result.files
        ],
    }


def submissions_json(subs: Sequence[Submission]) -> list[dict[str, Any]]:
    """As ``camket submissions --json`` prints them."""
    return [s.as_dict() for s in subs]


# --- the dashboard -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassShare:
    """A task class's part of all tasks, for the stacked bar and its legend."""

    derived: Derived
    count: int
    share: Decimal  # percent, rounded as every output rounds it
    offset: float   # where its segment starts on a 0-100 bar

    @property
    def css(self) -> str:
        return f"c{list(Derived).index(self.derived)}"

    @property
    def width(self) -> float:
        return 100 * self.count / self.total if self.total else 0.0

    total: int = 0


def class_shares(totals: Totals) -> list[ClassShare]:
    shares, start = [], 0.0
    for d in Derived:
        n = totals.count(d)
        shares.append(ClassShare(d, n, percent(n, totals.total), start, totals.total))
        start += 100 * n / totals.total if totals.total else 0.0
    return shares


def unit_rows(result: Result) -> list[UnitResult]:
    """Units with tasks, best completion first, those that did not answer last."""
    return sorted(result.heads, key=lambda u: (not u.answered, -u.totals.rate, u.unit.code))


# --- the round's outputs --------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    path: str       # relative to out/<round>/, with "/"
    label: str
    size: str
    modified: str
    group: str      # "" (the round's reports) | templates | phan-hoi | tham-dinh | cap-tren | …
    bundle: bool    # one of the round's named outputs (report, zip, mailing list), not a unit's file


_KNOWN = (
    ("_tong-hop.xlsx", "Bảng tổng hợp (Excel)"),
    ("_bao-cao.docx", "Báo cáo (Word)"),
    ("_bao-cao.pdf", "Báo cáo (PDF)"),
    ("_mau-bao-cao.zip", "Tất cả mẫu báo cáo (tệp nén .zip)"),
    ("_danh-sach-gui.xlsx", "Danh sách gửi mẫu báo cáo"),
    ("_phan-hoi.zip", "Tất cả tệp phản hồi (tệp nén .zip)"),
    ("_danh-sach-gui-phan-hoi.xlsx", "Danh sách gửi tệp phản hồi"),
    ("_tham-dinh.xlsx", "Bảng thẩm định"),
)


def _label(round_id: str, path: Path) -> tuple[int, str]:
    """Where a round's output is listed and what it is called; others keep their name."""
    for rank, (suffix, label) in enumerate(_KNOWN):
        if path.name == round_id + suffix:
            return rank, label
    return len(_KNOWN), path.name


def _size(size: int) -> str:
    if size >= 2**20:
        return f"{format_number(size / 2**20, 1)} MB"
    return f"{format_number(max(1, round(size / 1024)))} KB"


def outputs(folder: Path, round_id: str) -> list[Output]:
    """Every file under the round's ``out/`` folder (hidden and temporary files left out)."""
    if not folder.is_dir():
        return []
    found: list[tuple[tuple[str, int, str], Output]] = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if not path.is_file() or path.is_symlink() or any(p.startswith((".", "~")) for p in relative.parts):
            continue
        stat = path.stat()
        group = relative.parts[0] if len(relative.parts) > 1 else ""
        rank, label = _label(round_id, path)
        found.append(((group, rank, relative.as_posix()), Output(
            relative.as_posix(), label, _size(stat.st_size),
            when(dt.datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0)), group, rank < len(_KNOWN))))
    return [output for _, output in sorted(found, key=lambda pair: pair[0])]


FORMATS = {
    "xlsx": "Excel (.xlsx)", "xlsm": "Excel có macro (.xlsm)", "xls": "Excel 97-2003 (.xls)",
    "ods": "OpenDocument (.ods)", "zip": "tệp nén (.zip)", "empty": "tệp rỗng", "corrupt": "tệp hỏng, không mở được",
    "encrypted": "tệp đặt mật khẩu",
}
"""Vietnamese names of the formats ingest records by a short code (the others are already Vietnamese)."""

FILTERS = {
    "so": format_number,
    "pt": format_percent,
    "ngay": format_date,
    "luc": when,
    "vi": vi_timestamps,
    "trang_thai": state_label,
    "vi_tri": where,
    "dinh_dang": lambda code: FORMATS.get(code, code),
    "nguon": lambda source: ARRIVAL_LABELS.get(source, source),
    "cach": lambda how: "dữ liệu kiểm soát có chữ ký của mẫu" if how == "metadata" else how,
}
"""Jinja filters: numbers, percentages, dates and times the Vietnamese way, states and locations."""
