"""camket.toml: required keys with their line, unknown keys, round consistency."""

from __future__ import annotations

from pathlib import Path

from camket.config import read_config
from camket.model import Severity

from .conftest import CONFIG


def line_of(text: str, snippet: str, nth: int = 1) -> int:
    """1-based line number of the ``nth`` line containing ``snippet``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if snippet in line]
    return hits[nth - 1]


def read(tmp_path: Path, text: str) -> tuple[object, list[tuple[str, str, int | None]]]:
    path = tmp_path / "camket.toml"
    path.write_text(text, encoding="utf-8")
    result = read_config(path)
    return result.settings, [(f.code, f.severity.value, f.location.line) for f in result.findings]


def test_valid_config_gives_settings(tmp_path: Path) -> None:
    settings, findings = read(tmp_path, CONFIG)
    assert findings == []
    assert settings is not None
    assert settings.agency.short == "BVHTTDL"
    assert [r.id for r in settings.rounds] == ["2022-6T"]
    assert settings.rate(92.8) == "Hoàn thành xuất sắc nhiệm vụ"
    assert settings.rate(49.9) == "Không hoàn thành nhiệm vụ"


def test_missing_required_key_names_key_and_table_line(tmp_path: Path) -> None:
    text = CONFIG.replace('short = "BVHTTDL"\n', "")
    path = tmp_path / "camket.toml"
    path.write_text(text, encoding="utf-8")
    result = read_config(path)
    assert result.settings is None
    [finding] = result.findings
    assert finding.code == "config-missing-key"
    assert finding.location.line == 1
    assert str(finding) == (
        'camket.toml, dòng 1: Bảng [agency] thiếu khóa "short" (chữ viết tắt dùng trong số ký '
        'hiệu, ví dụ BVHTTDL). Thêm dòng short = ... vào bảng [agency].'
    )


def test_unknown_key_is_a_warning_with_its_line(tmp_path: Path) -> None:
    text = CONFIG.replace('place = "Hà Nội"', 'place = "Hà Nội"\nplaec = "x"')
    settings, findings = read(tmp_path, text)
    assert settings is not None
    assert findings == [("config-unknown-key", "warning", line_of(text, "plaec"))]


def test_duplicate_round_and_due_before_as_of_are_errors(tmp_path: Path) -> None:
    text = CONFIG + '\n[[round]]\nid = "2022-6T"\nname = "lặp"\nas_of = 2022-06-30\ndue = 2022-07-05\n'
    text += '\n[[round]]\nid = "2022-9T"\nname = "9 tháng"\nas_of = 2022-09-30\ndue = 2022-09-01\n'
    settings, findings = read(tmp_path, text)
    assert settings is None
    assert ("config-round-duplicate", "error", line_of(text, 'id = "2022-6T"', 2)) in findings
    assert ("config-due-before-as-of", "error", line_of(text, "due = 2022-09-01")) in findings


def test_wrong_type_names_what_was_expected(tmp_path: Path) -> None:
    path = tmp_path / "camket.toml"
    text = CONFIG.replace("as_of = 2022-06-30", 'as_of = "30/06/2022"')
    path.write_text(text, encoding="utf-8")
    result = read_config(path)
    [finding] = result.findings
    assert finding.code == "config-bad-value"
    assert finding.location.line == line_of(text, "as_of")
    assert "cần ngày dạng 2022-06-30" in finding.message


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = CONFIG.replace('name = "Nguyễn Văn Hùng"', "name = Nguyễn")
    settings, findings = read(tmp_path, text)
    assert settings is None
    assert findings == [("config-syntax", "error", line_of(text, "name = Nguyễn"))]


def test_report_margins_outside_decree_range_are_errors(tmp_path: Path) -> None:
    text = CONFIG + "\n[report]\nmargin_left_mm = 25\n"
    settings, findings = read(tmp_path, text)
    assert settings is None
    assert findings == [("config-bad-value", "error", line_of(text, "margin_left_mm"))]


def test_rating_bands_are_configurable(tmp_path: Path) -> None:
    text = CONFIG + (
        '\n[rating]\nbands = [{ min = 80, label = "Tốt" }, { min = 95, label = "Xuất sắc" }]\n'
        'below = "Chưa đạt"\n'
    )
    settings, findings = read(tmp_path, text)
    assert findings == []
    assert settings is not None
    assert [settings.rate(x) for x in (96, 80, 79.9)] == ["Xuất sắc", "Tốt", "Chưa đạt"]


def test_no_error_severity_for_warnings_only(tmp_path: Path) -> None:
    path = tmp_path / "camket.toml"
    path.write_text(CONFIG + "\n[extra]\nx = 1\n", encoding="utf-8")
    result = read_config(path)
    assert result.ok
    assert [f.severity for f in result.findings] == [Severity.WARNING]


def round_config(as_of: str, due: str, year: int = 2022) -> str:
    """The test configuration with its one round's dates (and the programme year) replaced."""
    text = CONFIG.replace("as_of = 2022-06-30", f"as_of = {as_of}").replace("due = 2022-07-05", f"due = {due}")
    return text.replace("year = 2022", f"year = {year}")


def test_round_dates_implausible_for_the_programme_year_are_errors(tmp_path: Path) -> None:
    """as_of = 1900-01-01 once passed: every status would have been judged as of 1900."""
    cases = {
        ("1900-01-01", "1900-01-05", 2022): [("config-round-outside-year", "as_of")],
        ("2021-12-31", "2022-01-05", 2022): [("config-round-outside-year", "as_of")],
        ("2024-01-31", "2024-02-05", 2022): [("config-round-outside-year", "as_of")],
        ("2022-06-30", "2099-07-05", 2022): [("config-round-due-far", "due")],
        ("1900-06-30", "1900-07-05", 1900): [("config-bad-value", "year = 1900")],
    }
    for (as_of, due, year), expected in cases.items():
        text = round_config(as_of, due, year)
        settings, findings = read(tmp_path, text)
        assert settings is None, (as_of, due, year)
        assert findings == [(code, "error", line_of(text, f"{key} = " if key in ("as_of", "due") else key))
                            for code, key in expected], (as_of, due, year)


def test_round_dates_of_a_year_end_round_are_plausible(tmp_path: Path) -> None:
    settings, findings = read(tmp_path, round_config("2023-01-15", "2023-01-31"))
    assert findings == [] and settings is not None
