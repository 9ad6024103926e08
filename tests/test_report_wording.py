"""What a careful clerk reads in the Word report, the year view and the simulated returns: the
report's date and where it comes from, units not rated or not ranked, rounds never issued, tasks
due on the reporting date itself, sentences written as a person writes them, the chart of units
and Bảng 1 legible, and offices speaking the agency's language."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from camket import Workspace
from camket.cli import cli
from camket.config import read_config
from camket.report.basis import Bar, basis_of, completion_bars
from camket.report.body import _block, of_which
from camket.report.charts import completion_charts, label_lines
from camket.report.year import UNSCORED_RATING
from camket.samples import load_sample
from camket.simulate import Voice, simulate_returns
from camket.templates import write_template

from .conftest import CONFIG, SAMPLE_TIME, TASKS, write_master_xlsx

DONE, DOING = "Hoàn thành", "Đang thực hiện"
LATER_ROUNDS = """
[[round]]
id = "2022-9T"
name = "9 tháng năm 2022"
as_of = 2022-09-30
due = 2022-10-05

[[round]]
id = "2022-CN"
name = "năm 2022"
as_of = 2022-12-15
due = 2022-12-22
"""
# VPC-01 "≥ 95% văn bản", VP-02 "≥ 2 hội nghị": two numeric targets
TARGETED = [[*t[:6], "≥ 95% văn bản" if t[0] == "VPC-01" else "≥ 2 hội nghị" if t[0] == "VP-02" else t[6], *t[7:]]
            for t in TASKS]


def workspace(root: Path, config: str, tasks: list[list[Any]] = TASKS) -> Workspace:
    Workspace.init(root)
    (root / "camket.toml").write_text(config, encoding="utf-8")
    write_master_xlsx(root / "danh-muc.xlsx", tasks=tasks)
    return Workspace.open(root)


def send(ws: Workspace, round_id: str, answers: dict[str, dict[str, dict[str, Any]]], folder: Path,
         day: dt.date) -> None:
    """Each unit of ``answers`` returns its template filled with them, received on ``day``."""
    for job in ws.template_jobs(round_id, units=list(answers), generated=SAMPLE_TIME):
        path = folder / round_id / f"{job.unit.code}.xlsx"
        write_template(replace(job, path=path, prefill=answers[job.unit.code]))
        ws.ingest([path], round_id, now=dt.datetime.combine(day, dt.time(9)), received_on=day)


def done(day: dt.date, score: float | None = None, **more: Any) -> dict[str, Any]:
    answer = {"status": DONE, "progress": 100, "completed_on": day, **more}
    return answer if score is None else {**answer, "self_score": score}


def texts(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def table_rows(path: Path, first_header: str) -> list[list[str]]:
    doc = Document(str(path))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == first_header)
    return [[c.text for c in row.cells] for row in table.rows]


# --- 1. the report's date -------------------------------------------------------------------------

def test_the_date_asked_for_wins_over_the_rounds_which_wins_over_the_agencys_which_wins_over_today(
        tmp_path: Path) -> None:
    config = CONFIG.replace('due = 2022-07-05\n', 'due = 2022-07-05\nreport_date = 2022-07-08\n') + LATER_ROUNDS \
        + "\n[report]\ndate = 2022-10-12\n"
    ws = workspace(tmp_path / "ws", config)
    assert [r.report_date for r in ws.settings.rounds] == [dt.date(2022, 7, 8), None, None]
    send(ws, "2022-6T", {"VP": {"VP-01": done(dt.date(2022, 6, 1))}}, tmp_path, dt.date(2022, 7, 4))

    text = texts(ws.report("2022-6T", generated=SAMPLE_TIME).word)          # the round's report_date
    assert "Hà Nội, ngày 08 tháng 7 năm 2022" in Document(str(ws.out_dir("2022-6T") / "2022-6T_bao-cao.docx")
                                                          ).tables[0].rows[0].cells[1].text
    assert "Đến ngày 08/7/2022, đã nhận được báo cáo của 1/3 cơ quan, đơn vị" in text
    assert "gửi báo cáo chậm nhất ngày 15/7/2022" in text                      # 5 working days after Friday 8/7

    text = texts(ws.report("2022-6T", generated=SAMPLE_TIME, dated=dt.date(2022, 7, 11)).word)  # asked for
    assert "Đến ngày 11/7/2022, đã nhận được" in text and "gửi báo cáo chậm nhất ngày 18/7/2022" in text
    feedback = openpyxl.load_workbook(ws.out_dir("2022-6T") / "phan-hoi" / "2022-6T_danh-sach-gui-phan-hoi.xlsx")
    assert "18/07/2022" in {str(c.value) for row in feedback.active.iter_rows() for c in row if c.value} | {
        c.value.strftime("%d/%m/%Y") for row in feedback.active.iter_rows() for c in row
        if isinstance(c.value, dt.datetime | dt.date)}

    send(ws, "2022-9T", {"VP": {"VP-01": done(dt.date(2022, 6, 1))}}, tmp_path, dt.date(2022, 10, 3))
    assert "Đến ngày 12/10/2022" in texts(ws.report("2022-9T", generated=SAMPLE_TIME, feedback=False).word)
    bare = workspace(tmp_path / "bare", CONFIG)                              # nothing set: the day it is made
    assert "Đến ngày 01/7/2022" in texts(bare.report("2022-6T", generated=SAMPLE_TIME, feedback=False).word)


def test_camket_report_date_option_dates_the_report(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws", CONFIG)
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "report", "--round", "2022-6T", "--no-feedback",
                                      "--date", "11/07/2022"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    dateline = Document(str(ws.out_dir("2022-6T") / "2022-6T_bao-cao.docx")).tables[0].rows[0].cells[1].text
    assert "Hà Nội, ngày 11 tháng 7 năm 2022" in dateline
    bad = CliRunner().invoke(cli, ["-w", str(ws.root), "report", "--round", "2022-6T", "--date", "31/02/2022"])
    assert bad.exit_code == 2 and "ngày/tháng/năm" in bad.stderr


def test_a_round_dated_before_its_data_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "camket.toml"
    path.write_text(CONFIG.replace('due = 2022-07-05\n', 'due = 2022-07-05\nreport_date = 2022-06-01\n'),
                    encoding="utf-8")
    found = read_config(path).findings
    assert [f.code for f in found] == ["config-bad-value"]
    assert "report_date" in found[0].message and "30/06/2022" in found[0].message and found[0].location.line


# --- 2 and 3. the year: units not self-scored, rounds never issued --------------------------------

@pytest.fixture(scope="module")
def year_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Rounds 6T, 9T, CN; 6T and CN run, 9T never issued. In CN, VP self-scores, VPC finishes
    everything but enters no self-score, TTCNTT does not answer."""
    root = tmp_path_factory.mktemp("year")
    ws = workspace(root / "ws", CONFIG + LATER_ROUNDS)
    everything = {"VP": {"VP-01": done(dt.date(2022, 6, 1), 50), "VP-02": done(dt.date(2022, 12, 1), 40)},
                  "VPC": {"VPC-01": done(dt.date(2022, 6, 1)), "VPC-02": done(dt.date(2022, 12, 1))}}
    send(ws, "2022-6T", everything, root, dt.date(2022, 7, 4))
    send(ws, "2022-CN", everything, root, dt.date(2022, 12, 20))
    return ws


def test_a_unit_that_did_not_self_score_is_neither_rated_nor_ranked(year_ws: Workspace) -> None:
    year = year_ws.year(dt.date(2022, 12, 31))
    units = {u.unit.code: u for u in year.units}
    assert (units["VP"].rank, units["VP"].rating) == (1, "Hoàn thành xuất sắc nhiệm vụ")
    assert (units["VPC"].rank, units["VPC"].score, units["VPC"].task_score, units["VPC"].rating) == (
        None, None, None, UNSCORED_RATING) == (None, None, None, "Chưa xếp loại (chưa tự chấm điểm)")
    book, word = year_ws.write_year(year, SAMPLE_TIME)
    rows = {r[1]: r for r in table_rows(word, "Xếp hạng")}
    assert rows["Vụ Pháp chế"] == ["–", "Vụ Pháp chế", "2/2", "0", "0", "100%", "Chưa tự chấm", "–",
                                   "Chưa xếp loại (chưa tự chấm điểm)"]
    assert rows["Văn phòng Bộ"][0] == "1"
    assert "Chưa xếp loại, chưa xếp hạng 2 cơ quan, đơn vị: 1 đơn vị chưa báo cáo kỳ năm 2022 (Trung tâm Công " \
           "nghệ thông tin); 1 đơn vị đã báo cáo nhưng chưa tự chấm điểm (Vụ Pháp chế)." in texts(word)
    sheet = openpyxl.load_workbook(book)["Thi đua"]
    header = [c.value for c in sheet[3]]
    vpc = next(row for row in sheet.iter_rows(min_row=4, values_only=True) if row[1] == "Vụ Pháp chế")
    assert (vpc[header.index("Xếp hạng")], vpc[header.index("Xếp loại thi đua")]) == ("–", UNSCORED_RATING)


def test_the_final_rounds_report_rates_the_same_way(year_ws: Workspace) -> None:
    word = year_ws.report("2022-CN", generated=dt.datetime(2022, 12, 26, 8), feedback=False).word
    rows = {r[1]: r for r in table_rows(word, "Xếp hạng")}
    assert rows["Vụ Pháp chế"][0] == "–" and rows["Vụ Pháp chế"][-1] == UNSCORED_RATING
    unit_rows = {r[1]: r for r in table_rows(word, "STT")[2:]}
    assert unit_rows["Vụ Pháp chế"][-2:] == ["Chưa tự chấm", "–"]      # Bảng 1 says the same


def test_rounds_never_issued_are_not_counted_and_the_text_says_which_were(year_ws: Workspace) -> None:
    year = year_ws.year(dt.date(2022, 12, 31))
    assert [r.id for r in year.rounds] == ["2022-6T", "2022-CN"] and [r.id for r in year.skipped] == ["2022-9T"]
    assert {u.unit.code: (u.expected, u.missing) for u in year.units} == {
        "VP": (2, 0), "VPC": (2, 0), "TTCNTT": (2, 2)}
    assert year.as_dict()["skipped"] == ["2022-9T"]
    book, word = year_ws.write_year(year, SAMPLE_TIME)
    text = texts(word)
    assert ("có 2 kỳ báo cáo đã đến hạn được tính (các kỳ 6 tháng đầu năm 2022 và năm 2022), với 6 lượt báo cáo "
            "phải gửi của các cơ quan, đơn vị: 4 lượt gửi đúng hạn, 0 lượt gửi muộn, 2 lượt không gửi. Kỳ 9 tháng "
            "năm 2022 đã đến hạn nhưng không phát hành mẫu báo cáo, không có báo cáo gửi về nên không tính.") in text
    sheet = openpyxl.load_workbook(book)["Chấp hành báo cáo"]
    assert [c.value for c in sheet[3]][2:4] == ["6 tháng đầu năm 2022", "năm 2022"]
    assert "9 tháng năm 2022" not in [c.value for c in sheet[3]]
    assert sheet["A2"].value == ("Tính 2 kỳ báo cáo đã đến hạn (các kỳ 6 tháng đầu năm 2022 và năm 2022); không "
                                 "tính kỳ 9 tháng năm 2022 (không phát hành mẫu báo cáo, không có báo cáo gửi về).")


def test_a_round_whose_templates_were_issued_counts_though_nobody_answered(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws", CONFIG + LATER_ROUNDS)
    ws.templates("2022-9T", units=["VP"])
    year = ws.year(dt.date(2022, 10, 31))
    assert [r.id for r in year.rounds] == ["2022-9T"] and [r.id for r in year.skipped] == ["2022-6T"]
    assert {u.unit.code: u.missing for u in year.units} == {"VP": 1, "VPC": 1, "TTCNTT": 1}


# --- 4. tasks due on the reporting date ------------------------------------------------------------

def test_tasks_due_on_the_reporting_date_are_not_called_overdue_anywhere(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws", CONFIG + LATER_ROUNDS)
    send(ws, "2022-6T", {"VP": {"VP-01": {"status": DOING, "progress": 60}},   # due 30/6/2022, the as_of
                         "VPC": {"VPC-01": done(dt.date(2022, 6, 1))}}, tmp_path, dt.date(2022, 7, 4))
    text = texts(ws.report("2022-6T", generated=SAMPLE_TIME, feedback=False).word)
    assert ("Còn 1 nhiệm vụ có thời hạn ngày 30/6/2022 chưa hoàn thành (chưa tính là quá hạn): 1 nhiệm vụ đang "
            "thực hiện.") in text
    assert ("Đến ngày 30/6/2022, không có nhiệm vụ quá hạn chưa hoàn thành (1 nhiệm vụ có thời hạn ngày 30/6/2022 "
            "chưa hoàn thành, chưa tính là quá hạn).") in text
    assert "còn 1 nhiệm vụ có thời hạn ngày 30/6/2022 chưa hoàn thành;" in text
    assert "nhiệm vụ đến hạn chưa hoàn thành" not in text


# --- 5. sentences as a person writes them ----------------------------------------------------------

def test_of_which_says_all_none_or_some() -> None:
    assert of_which(2, 2) == ", đều đã quá hạn"
    assert of_which(1, 1) == " (đã quá hạn)"
    assert of_which(5, 2) == ", trong đó 2 nhiệm vụ đã quá hạn"
    assert of_which(5, 0) == ""


def test_blocks_are_named_as_in_running_text() -> None:
    assert _block("Cơ quan hành chính") == "khối cơ quan hành chính"
    assert _block("Khối quản lý nhà nước") == "khối quản lý nhà nước"
    assert _block("Ban Giám đốc") == "khối Ban Giám đốc"


def test_heads_targets_blocks_and_the_appendix_read_naturally(tmp_path: Path) -> None:
    ws = workspace(tmp_path / "ws", CONFIG + LATER_ROUNDS, TARGETED)
    send(ws, "2022-6T", {
        "VP": {"VP-01": done(dt.date(2022, 6, 1)), "VP-02": done(dt.date(2022, 6, 2), achieved=2)},
        "VPC": {"VPC-01": done(dt.date(2022, 6, 3), achieved=98),
                "VPC-02": {"status": DOING, "progress": 50}},
        "TTCNTT": {"TTCNTT-01": {"status": DOING, "progress": 50}},
    }, tmp_path, dt.date(2022, 7, 4))
    word = ws.report("2022-6T", generated=SAMPLE_TIME, feedback=False).word
    text = texts(word)
    assert "Cả 2 nhiệm vụ có chỉ tiêu định lượng được báo cáo hoàn thành đều đạt chỉ tiêu." in text
    assert ("Tính trên các nhiệm vụ đến hạn, thủ trưởng 1/3 cơ quan, đơn vị hoàn thành 100% nhiệm vụ đến hạn: "
            "Văn phòng Bộ.") in text
    assert "Khối cơ quan hành chính hoàn thành 1/1 nhiệm vụ đến hạn (100%), lũy kế 3/4 nhiệm vụ; khối đơn vị sự " \
           "nghiệp chưa có nhiệm vụ đến hạn, lũy kế 0/1 nhiệm vụ." in text
    assert "Theo khối" not in text
    appendix = {row.cells[2].text: row.cells[3].text for row in Document(str(word)).tables[-1].rows}
    assert appendix["Rà soát văn bản quy phạm pháp luật"] == "≥ 95% văn bản; đạt 98%, bằng 103,2% chỉ tiêu"


def test_in_progress_overdue_tasks_are_counted_in_words() -> None:
    from camket.reconcile import Totals
    from camket.report.body import _open_parts

    assert _open_parts(Totals(total=3, in_progress_overdue=2)) == ["2 nhiệm vụ đang thực hiện, đều đã quá hạn"]
    assert _open_parts(Totals(total=5, in_progress_on_time=3, in_progress_overdue=2)) == [
        "5 nhiệm vụ đang thực hiện, trong đó 2 nhiệm vụ đã quá hạn"]
    assert _open_parts(Totals(total=2, in_progress_on_time=2, not_started=1)) == [
        "2 nhiệm vụ đang thực hiện", "1 nhiệm vụ chưa thực hiện"]


# --- 6 and 8. the chart of units and Bảng 1 --------------------------------------------------------

def test_chart_labels_are_the_full_names_on_two_even_lines_at_most() -> None:
    assert label_lines("Trung tâm Triển lãm Văn hóa Nghệ thuật Việt Nam") == \
        "Trung tâm Triển lãm Văn hóa\nNghệ thuật Việt Nam"
    assert label_lines("Phó Giám đốc Sở phụ trách lĩnh vực thể dục, thể thao") == \
        "Phó Giám đốc Sở phụ trách\nlĩnh vực thể dục, thể thao"
    assert label_lines("Vụ Khoa học, Công nghệ và Môi trường") == "Vụ Khoa học, Công nghệ\nvà Môi trường"
    for name in [u["unit_name"] for s in ("bo-2022", "so-2023") for u in load_sample(s).units]:
        lines = label_lines(name).split("\n")
        assert " ".join(lines) == " ".join(name.split()) and len(lines) <= 2
        assert all(len(line.split()) >= 2 for line in lines)            # no word left alone on a line


def test_the_chart_of_units_is_split_in_two_when_there_are_many(bo_2022_reported: tuple[Workspace, Any]) -> None:
    ws, files = bo_2022_reported
    result = ws.reconcile("2022-6T")
    bars, title = completion_bars(result, basis_of(result, ws.settings))
    assert sorted(b.label for b in bars) == sorted(u.unit.name for u in result.heads)   # as in Bảng 1
    assert len(completion_charts(bars)) == 2 and len(completion_charts(bars[:10])) == 1
    assert title.endswith("(tính đến ngày 30/6/2022)")
    doc = Document(str(files.word))
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Hình 2")]
    assert captions == [f"Hình 2. {title}", f"Hình 2 (tiếp theo). {title}"]
    for shape in doc.inline_shapes:   # drawn at the width it is printed at: 9 pt type stays 9 pt
        blob = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        image = Image.open(io.BytesIO(doc.part.related_parts[blob].blob))
        assert abs(shape.width - image.width / 200 * 914400) < 914400 / 200 * 2


def test_a_chart_of_few_bars_stays_whole() -> None:
    assert len(completion_charts([Bar(f"Đơn vị {i}", None, "chưa báo cáo") for i in range(18)])) == 1
    assert len(completion_charts([])) == 1


def test_bang_1_headers_take_three_lines_at_most(bo_2022_reported: tuple[Workspace, Any]) -> None:
    from PIL import ImageFont

    try:
        font = ImageFont.truetype("LiberationSerif-Bold.ttf", 110)   # Times New Roman's metrics, 11 pt × 10
    except OSError:
        pytest.skip("Liberation Serif is not installed")
    _, files = bo_2022_reported
    table = next(t for t in Document(str(files.word)).tables if t.rows[0].cells[0].text == "STT")
    for cell in table.rows[0].cells:
        inner = int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) / 20 - 2 * 5.4   # points, less the margins
        lines, current = 1, ""
        for word in cell.text.split():
            attempt = f"{current} {word}".strip()
            if current and font.getlength(attempt) / 10 > inner:
                lines, current = lines + 1, word
            else:
                current = attempt
        assert lines <= 3, (cell.text, lines)


def test_the_final_rounds_table_and_chart_say_their_date(year_ws: Workspace) -> None:
    word = year_ws.report("2022-CN", generated=dt.datetime(2022, 12, 26, 8), feedback=False).word
    text = texts(word)
    assert "Bảng 1. Kết quả thực hiện nhiệm vụ của thủ trưởng các cơ quan, đơn vị (tính đến ngày 15/12/2022)" in text
    assert "Hình 2. Tỉ lệ hoàn thành nhiệm vụ theo đơn vị (tính đến ngày 15/12/2022)" in text


# --- 7. the offices' words fit the agency ----------------------------------------------------------

def test_offices_speak_of_their_own_agency(tmp_path: Path) -> None:
    assert Voice.of("Bộ Văn hóa, Thể thao và Du lịch") == Voice()
    department = Voice.of("Sở Văn hóa, Thể thao và Du lịch", "Ủy ban nhân dân tỉnh Bến Tre")
    assert (department.leaders, department.peers, department.council, department.head) == (
        "Lãnh đạo Sở", "các sở, ngành", "Hội đồng nhân dân tỉnh", "Chủ tịch Ủy ban nhân dân tỉnh")
    ws = Workspace.init(tmp_path / "so", sample="so-2023")
    plan = simulate_returns(ws.template_jobs("2023-Q1", generated=SAMPLE_TIME), tmp_path / "nhan", seed=3)
    written = " ".join(str(c.value) for path in plan.files if path.name.endswith(".xlsx") and "lan-1" not in str(path)
                       for row in _rows(path) for c in row if isinstance(c.value, str))
    assert "Lãnh đạo Sở" in written or "các sở, ngành" in written
    for ministry in ("Lãnh đạo Bộ", "bộ, ngành", "Quốc hội", "Thủ tướng"):
        assert ministry not in written, ministry


def _rows(path: Path) -> Any:
    try:
        book = openpyxl.load_workbook(path)
    except Exception:   # the simulated corrupt file
        return []
    return [row for sheet in book.worksheets for row in sheet.iter_rows()]


# --- 8. the sample's master list -------------------------------------------------------------------

def test_the_samples_positions_are_spelt_right() -> None:
    positions = {u["position"] for u in load_sample("bo-2022").units}
    assert "Tổng cục trưởng" in positions and not any("Tổng Cục" in p for p in positions)
