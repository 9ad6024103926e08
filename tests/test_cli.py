"""The command line: exit codes and exact messages (0 done, 1 could not complete,
2 usage error, 3 done but the data has error-severity findings)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from camket.cli import cli

DATA = Path(__file__).parent / "data"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_init_then_check_a_sample_exits_0(tmp_path: Path) -> None:
    code, _, err = run("init", str(tmp_path / "ws"), "--sample", "bo-2022")
    assert code == 0 and "Đã tạo thư mục làm việc" in err
    code, out, err = run("-w", str(tmp_path / "ws"), "check")
    assert (code, out) == (0, "")
    assert err == "26 đơn vị, 107 nhiệm vụ, 3 kỳ báo cáo; 0 lỗi, 0 cảnh báo, 0 thông tin.\n"
    assert run("check", "-w", str(tmp_path / "ws"))[0] == 0  # -w after the command works too


def test_init_refuses_an_existing_workspace_unless_forced(tmp_path: Path) -> None:
    run("init", str(tmp_path / "ws"))
    code, _, err = run("init", str(tmp_path / "ws"))
    assert code == 1
    assert err.startswith(f"Lỗi: {tmp_path / 'ws'} đã là thư mục làm việc của camket")
    assert "--force" in err
    secret = (tmp_path / "ws" / ".camket" / "secret.key").read_text()
    assert run("init", str(tmp_path / "ws"), "--sample", "so-2023", "--force")[0] == 0
    assert (tmp_path / "ws" / ".camket" / "secret.key").read_text() == secret  # the key is kept


def test_unknown_sample_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("init", str(tmp_path / "ws"), "--sample", "khong-co")
    assert code == 2
    assert err == 'Lỗi: Không có mẫu dữ liệu "khong-co". Các mẫu có sẵn: bo-2022, so-2023.\n'


def test_check_names_each_bad_cell_and_exits_3(tmp_path: Path) -> None:
    run("init", str(tmp_path / "ws"), "--sample", "bo-2022")
    path = tmp_path / "ws" / "danh-muc.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Nhiệm vụ"]
    sheet["A5"].value = sheet["A4"].value
    sheet["B6"].value = "XYZ"
    sheet["H7"].value = "31/02/2022"
    sheet["C8"].value = None
    book.save(path)
    code, out, _ = run("-w", str(tmp_path / "ws"), "check")
    assert code == 3
    lines = out.splitlines()
    assert len(lines) == 4
    assert {line.split()[1] for line in lines} == {
        "task-code-duplicate", "task-unknown-unit", "task-deadline-invalid", "task-content-missing"}
    cells = [line.split(": ", 1)[0].rsplit(" ", 1)[-1] for line in lines]
    assert sorted(cells) == ["A5", "B6", "C8", "H7"]
    code, out, _ = run("-w", str(tmp_path / "ws"), "check", "--json")
    data = json.loads(out)
    assert code == 3 and len(data["findings"]) == 4
    assert {f["cell"] for f in data["findings"]} == {"A5", "B6", "H7", "C8"}


def test_no_workspace_is_exit_1_with_a_hint(tmp_path: Path) -> None:
    code, _, err = run("-w", str(tmp_path), "status", "--round", "2022-6T")
    assert code == 1
    assert "không phải thư mục làm việc của camket" in err and "camket init" in err


def test_unknown_round_and_missing_option_are_usage_errors(tmp_path: Path) -> None:
    run("init", str(tmp_path / "ws"), "--sample", "bo-2022")
    code, _, err = run("-w", str(tmp_path / "ws"), "templates", "--round", "2099")
    assert code == 2
    assert err == 'Lỗi: Không có kỳ báo cáo "2099" trong camket.toml. Các kỳ: 2022-6T, 2022-9T, 2022-CN.\n'
    code, _, err = run("-w", str(tmp_path / "ws"), "templates")
    assert code == 2 and "Missing option '--round'" in err


def test_ingest_reports_what_became_of_each_file(tmp_path: Path) -> None:
    shutil.copytree(DATA / "ws", tmp_path / "ws")
    files = [DATA / "returned" / n for n in ("returned_clean.xlsx", "returned_empty.xlsx")]
    code, out, _ = run("-w", str(tmp_path / "ws"), "ingest", *map(str, files), "--round", "2022-6T")
    assert code == 3  # done, but a file has an error
    assert out.splitlines()[0] == "2 tệp kỳ 6 tháng đầu năm 2022: 1 chấp nhận, 1 không tính."
    assert "returned_empty.xlsx: Tệp rỗng (0 byte). Gửi lại tệp báo cáo đã điền." in out
    code, out, _ = run("-w", str(tmp_path / "ws"), "ingest", str(files[0]), "--round", "2022-6T")
    assert code == 0
    assert out.splitlines()[0] == "1 tệp kỳ 6 tháng đầu năm 2022: 1 đã nhận trước đây (bỏ qua)."
    code, _, err = run("-w", str(tmp_path / "ws"), "ingest", str(tmp_path / "khong-co.xlsx"), "--round", "2022-6T")
    assert code == 2 and "Không tìm thấy" in err


def test_status_json_and_report(tmp_path: Path) -> None:
    shutil.copytree(DATA / "ws", tmp_path / "ws")
    ws = str(tmp_path / "ws")
    run("-w", ws, "ingest", str(DATA / "returned" / "returned_clean.xlsx"), "--round", "2022-6T")
    code, out, _ = run("-w", ws, "status", "--round", "2022-6T", "--json")
    data = json.loads(out)
    assert code == 0
    # received today, long after the 2022 due date: late
    assert data["units"] == {"expected": 3, "answered": 1, "missing": ["VP", "TTCNTT"], "late": ["VPC"]}
    assert data["tasks"]["completed"] == 3
    code, out, _ = run("-w", ws, "status", "--round", "2022-6T")
    assert "Đơn vị đã báo cáo: 1/3" in out
    code, out, _ = run("-w", ws, "report", "--round", "2022-6T")
    assert code == 0
    paths = out.splitlines()
    assert paths[0].endswith("2022-6T_tong-hop.xlsx") and paths[1].endswith("2022-6T_bao-cao.docx")
    assert all(Path(p).exists() for p in paths)


def test_every_command_has_help_with_an_example() -> None:
    for name, command in cli.commands.items():
        code, out, _ = run(name, "--help")
        assert code == 0, name
        assert "Ví dụ:" in out and "camket" in out, name
        assert command.help and command.help.strip(), name


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_top_level_options(args: list[str]) -> None:
    assert run(*args)[0] == 0


def test_each_command_appends_to_the_workspaces_log_and_v_shows_debug_lines(tmp_path: Path) -> None:
    shutil.copytree(DATA / "ws", tmp_path / "ws")
    code, _, err = run("-v", "-w", str(tmp_path / "ws"), "ingest", str(DATA / "returned" / "returned_clean.xlsx"),
                       "--round", "2022-6T")
    assert code == 0
    assert "DEBUG camket.ingest: returned_clean.xlsx: accepted VPC" in err
    log = (tmp_path / "ws" / ".camket" / "log" / "camket.log").read_text(encoding="utf-8")
    assert "INFO camket: camket -v -w" in log and "ingest" in log and "Tiếp nhận kỳ 2022-6T: 1 tệp (accepted 1)" in log
    assert run("-w", str(tmp_path / "ws"), "status", "--round", "2022-6T")[0] == 0
    assert (tmp_path / "ws" / ".camket" / "log" / "camket.log").read_text(encoding="utf-8").count("INFO camket: ") >= 2


def test_status_exits_3_when_the_round_has_errors_like_ingest_and_report(tmp_path: Path) -> None:
    shutil.copytree(DATA / "ws", tmp_path / "ws")
    ws = str(tmp_path / "ws")
    code, _, _ = run("-w", ws, "ingest", str(DATA / "returned" / "returned_status_unknown.xlsx"), "--round", "2022-6T")
    assert code == 3
    assert run("-w", ws, "status", "--round", "2022-6T")[0] == 3
    assert run("-w", ws, "status", "--round", "2022-6T", "--json")[0] == 3
    assert run("-w", ws, "report", "--round", "2022-6T", "--no-pdf", "--no-feedback")[0] == 3


def test_output_cut_short_by_the_reader_ends_quietly() -> None:
    """``camket findings | head -1``: the reader closes the pipe early; camket ends without a
    traceback and without calling it a bug of its own."""
    import fcntl
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, 1031, 4096)  # F_SETPIPE_SZ: a small pipe, so camket blocks on writing
    process = subprocess.Popen([sys.executable, "-m", "camket", "findings"], stdout=write_end,
                               stderr=subprocess.PIPE)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        assert reader.read(100)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0
    assert b"Traceback" not in err and b"BrokenPipe" not in err and err == b""


def test_a_submission_number_beyond_any_record_is_a_usage_error() -> None:
    code, _, err = run("accept", "99999999999999999999")
    assert code == 2 and "SUBMISSION_ID" in err
