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
    from .registration import Proposal
    from .report.year import YearResult

__all__ = ["render_findings", "render_ingest", "render_proposal", "render_status", "render_year", "summary"]


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
              "unpacked": "tệp nén, thư đã mở"}
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


def render_proposal(p: Proposal) -> str:
    """What the registrations change in the master list, by unit, then the findings."""
    names = {u.code: u.name for u in p.current.units}
    lines = [f"Đăng ký nhiệm vụ: {len(p.registered)}/{len(p.current.units)} đơn vị đã gửi phiếu được tiếp nhận; "
             f"{len(p.added)} nhiệm vụ mới, {len(p.changes) - len(p.added)} thay đổi khác."]
    by_unit: dict[str, list[str]] = {}
    for change in p.changes:
        by_unit.setdefault(change.unit, []).append(change.label)
    for unit in p.current.units:
        if unit.code in by_unit:
            lines.append(f"  {unit.code} ({names[unit.code]}):")
            lines += [f"    {label}" for label in by_unit[unit.code]]
    if p.findings:
        lines.append(render_findings(p.findings))
    return "\n".join(lines)


def render_year(found: YearResult) -> str:
    """The emulation table in the terminal."""
    from .report.year import points_rule

    basis = f"kết quả nhiệm vụ kỳ {found.basis.name}" if found.basis else "chưa có kỳ nào của [[round]] có báo cáo"
    skipped = (f" (không tính {len(found.skipped)} kỳ không phát hành mẫu báo cáo: "
               f"{', '.join(r.id for r in found.skipped)})" if found.skipped else "")
    lines = [f"Thi đua năm {found.year}, tính đến ngày {format_date(found.as_of)}: {len(found.rounds)} kỳ báo cáo đã "
             f"đến hạn{skipped}; {basis}.", points_rule(found.rules, found.basis),
             f"{'Hạng':>4}  {'Đơn vị':<12} {'Đúng hạn':>8} {'Muộn':>5} {'Không gửi':>9} {'Điểm NV':>8} "
             f"{'Điểm TĐ':>8}  Xếp loại"]
    for u in found.units:
        task = f"{float(u.task_score):.1f}" if u.task_score is not None else "-"
        score = f"{float(u.score):.1f}" if u.score is not None else "-"
        lines.append(f"{u.rank or '':>4}  {u.unit.code:<12} {f'{u.on_time}/{u.expected}':>8} {u.late:>5} "
                     f"{u.missing:>9} {task.replace('.', ','):>8} {score.replace('.', ','):>8}  {u.rating}")
    return "\n".join(lines)
