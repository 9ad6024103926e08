"""What the command line prints: findings, the ingest summary and a round's status, as text for
a terminal (plain functions, so they can be tested and reused without click)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .model import Derived, Finding, Severity
from .vi import format_date

if TYPE_CHECKING:
    from .ingest import IngestResult
    from .reconcile import Result

__all__ = ["render_findings", "render_ingest", "render_status", "summary"]


def render_findings(findings: Iterable[Finding]) -> str:
    """One line per finding, errors first: ``Lỗi  code  file, sheet "X", ô A1: message. advice``."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    lines = [
        f"{f.severity.label:<9} {f.code:<28} {f}"
        for f in sorted(findings, key=lambda f: order[f.severity])
    ]
    return "\n".join(lines)


def summary(findings: Iterable[Finding]) -> str:
    counts = {s: 0 for s in Severity}
    for f in findings:
        counts[f.severity] += 1
    return f"{counts[Severity.ERROR]} lỗi, {counts[Severity.WARNING]} cảnh báo, {counts[Severity.INFO]} thông tin"



def render_ingest(result: IngestResult, verbose: bool = False) -> str:
    """The ingest summary: counts by outcome, files not counted or waiting, findings by severity."""
    labels = {"accepted": "chấp nhận", "superseded": "thay thế/giữ bản cũ", "pending": "chờ xử lý",
              "rejected": "không tính", "error": "lỗi chương trình", "duplicate": "đã nhận trước đây (bỏ qua)",
              "unpacked": "tệp nén đã giải"}
    head = "Chạy thử (không ghi gì): " if result.dry_run else ""
    counts = ", ".join(f"{result.count(k)} {v}" for k, v in labels.items() if result.count(k))
    lines = [f"{head}{len(result.files)} tệp kỳ {result.round.name}: {counts or 'không có tệp'}."]
    lines += [f"  {f.message}." for f in result.notices]
    for outcome in result.files:
        if not (verbose or outcome.state in ("rejected", "pending", "error", "duplicate")):
            continue
        what = labels.get(outcome.state, outcome.state)
        number = f"tệp số {outcome.submission_id}: " if outcome.submission_id and outcome.state != "duplicate" else ""
        unit = f" [{outcome.unit}]" if outcome.unit else ""
        extra = f" — {outcome.previous}" if outcome.previous else (f" — {outcome.note}" if outcome.note else "")
        lines.append(f"  {what:<26} {number}{outcome.name}{unit}{extra}")
        if outcome.state in ("rejected", "pending") and not verbose:
            lines += [f"      {f}" for f in outcome.findings if f.severity is not Severity.INFO
                      and (outcome.state == "pending" or f.severity is Severity.ERROR)]
    if result.count("pending"):
        lines.append("Tệp chờ xử lý chưa được tính cho đơn vị nào: xem xét rồi chạy camket accept <số tệp> "
                     "(hoặc camket dismiss <số tệp> để loại).")
    findings = result.findings
    if verbose and findings:
        lines.append(render_findings(findings))
    lines.append(f"Phát hiện: {summary(findings)}.")
    return "\n".join(lines)



def render_status(result: Result) -> str:
    """The compact terminal view of ``camket status``."""

    r, o = result.round, result.overall
    heads = result.heads
    answered = sum(1 for u in heads if u.answered)
    lines = [f"Kỳ báo cáo {r.name} (số liệu đến {format_date(r.as_of)}, hạn gửi {format_date(r.due)})",
             f"Đơn vị đã báo cáo: {answered}/{len(heads)}"]
    if result.missing:
        names = "; ".join(f"{u.unit.code} ({u.unit.name})" + (" - có tệp không được tính"
                          if result.rejected.get(u.unit.code) else "") for u in result.missing)
        lines.append(f"Chưa báo cáo ({len(result.missing)}): {names}")
    if result.late:
        lines.append(f"Gửi muộn ({len(result.late)}): {', '.join(u.unit.code for u in result.late)}")
    if result.pending:
        lines.append(f"Chờ xử lý ({len(result.pending)} tệp, chưa tính cho đơn vị nào):")
        lines += [f"  tệp số {p.id}: {p.name} [{p.unit}] — {p.reason}" for p in result.pending]
        lines.append("  Xem xét rồi chạy camket accept <số tệp> hoặc camket dismiss <số tệp>.")
    if result.adjustments:
        lines.append(f"Điều chỉnh danh sách của kỳ: {len(result.adjustments)} (xem bảng tổng hợp).")
    lines.append(f"Nhiệm vụ: {o.total}")
    for derived in Derived:
        lines.append(f"  {derived.value:<26} {o.count(derived):>6}")
    lines.append(f"Đã hoàn thành {o.sentence()}; {result.heads_sentence()}.")
    for name, totals in result.by_group.items():
        lines.append(f"  Nhóm {name}: {totals.sentence()}")
    counts = result.severity_counts()
    lines.append(f"Phát hiện: {counts['error']} lỗi, {counts['warning']} cảnh báo, {counts['info']} thông tin.")
    return "\n".join(lines)
