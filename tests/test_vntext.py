"""Legacy Vietnamese encodings (TCVN3, VNI-Windows): detection, conversion, verification."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from camket.vntext import (
    TCVN3_SIGNATURE,
    TCVN3_TO_UNICODE,
    UNICODE_TO_VNI,
    VIETNAMESE_LETTERS,
    VNI_SIGNATURE,
    VNI_TO_UNICODE,
    LegacyRepair,
    decode_tcvn3,
    decode_vni,
    detect_legacy,
    encode_tcvn3,
    encode_vni,
    is_plausible_vietnamese,
    repair_legacy,
)

NATIONAL_MOTTO = "Cộng hòa xã hội chủ nghĩa Việt Nam"
MOTTO_TCVN3 = "Céng hßa x· héi chñ nghÜa ViÖt Nam"
MOTTO_VNI = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"

# Real sentences (news articles about signing responsibility commitments).
SENTENCES = [
    "Thủ trưởng 26 cơ quan, đơn vị ký cam kết trách nhiệm với Bộ trưởng Bộ VHTTDL",
    "Sáng 6/1, trong khuôn khổ Hội nghị Tổng kết công tác năm 2021, phương hướng, nhiệm vụ "
    "năm 2022 của Bộ VHTTDL, Ủy viên BCH Trung ương Đảng, Bộ trưởng Bộ VHTTDL Nguyễn Văn Hùng "
    "đã chủ trì Lễ ký cam kết trách nhiệm của thủ trưởng các cơ quan, đơn vị với Bộ trưởng.",
    "Sở Văn hóa, Thể thao và Du lịch triển khai 130 đầu việc trọng tâm năm 2023",
    "Thực hiện phương châm hành động năm 2023 của Tỉnh ủy “Đồng thuận, Sáng tạo, Phát triển”",
    "Cán bộ, người lao động Sở VH&TT ký kết cam kết thực hiện Quy tắc ứng xử",
    "Phát huy vai trò lãnh đạo tiên phong trong công tác văn phòng và thi đua",
    "Ngày 09/01, đồng chí Nguyễn Văn Linh - Chủ tịch UBND tỉnh Bắc Giang chủ trì hội nghị đánh "
    "giá kết quả thực hiện nhiệm vụ trọng tâm của người đứng đầu",
    "Dự hội nghị có Phó Chủ tịch Thường trực HĐND tỉnh Bùi Văn Hạnh, các Phó Chủ tịch UBND "
    "tỉnh: Dương Văn Thái, Nguyễn Thị Thu Hà, Lê Ánh Dương",
    "Quyết định số 1234/QĐ-UBND ngày 15/12/2022; ĐVT: triệu đồng; khuyến khích, quyết liệt, "
    "giữ gìn, nghiêng, khuya, thuở, Đắk Lắk, Bắc Kạn",
]

# Real Vietnamese lines from the news articles behind the product (tests/data).
CONTEXT_LINES = sorted(
    {
        line
        for line in (Path(__file__).parent / "data" / "vi_news_lines.txt")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip() and not line.startswith("#")
    }
)
needs_context = pytest.mark.skipif(not CONTEXT_LINES, reason="never: the lines are in tests/data")
WORD = re.compile(r"[^\W\d_]+")


def tcvn3_lowered(text: str) -> str:
    """What survives a TCVN3 round trip: capital toned letters come back lower-case."""
    return "".join(
        c.lower() if c.isupper() and not c.isascii() and c not in "ĂÂÊÔƠƯĐ" else c for c in text
    )


def unchanged(text: str) -> LegacyRepair:
    return LegacyRepair(text, text, None, False, False)


# --- tables -----------------------------------------------------------------


def test_there_are_134_vietnamese_letters_67_of_each_case() -> None:
    assert len(VIETNAMESE_LETTERS) == len(set(VIETNAMESE_LETTERS)) == 134
    assert sum(c.islower() for c in VIETNAMESE_LETTERS) == 67
    assert {"đ", "Đ", "ẳ", "Ẳ", "ỵ", "Ỵ", "ư", "Ự"} <= set(VIETNAMESE_LETTERS)


def test_tcvn3_table_holds_74_letters_in_a1_fe_and_no_capital_toned_letter() -> None:
    assert len(TCVN3_TO_UNICODE) == 74
    assert all(0xA1 <= ord(code) <= 0xFE for code in TCVN3_TO_UNICODE)
    capitals = {u for u in TCVN3_TO_UNICODE.values() if u.isupper()}
    assert capitals == set("ĂÂÊÔƠƯĐ")
    assert TCVN3_TO_UNICODE["\xad"] == "ư"  # soft hyphen
    assert TCVN3_TO_UNICODE["§"] == "Đ" and TCVN3_TO_UNICODE["®"] == "đ"


def test_signature_characters_are_tcvn3_codes_that_no_vietnamese_word_uses() -> None:
    assert set(TCVN3_SIGNATURE) <= set(TCVN3_TO_UNICODE)
    # The other codes are real Vietnamese letters: why blind conversion corrupts Unicode.
    reused = set(TCVN3_TO_UNICODE) - set(TCVN3_SIGNATURE)
    assert reused == set("ÈÉÊÌÒÓÔÕÝáâãèéêìíòóôõùúý")
    assert reused <= set(VIETNAMESE_LETTERS)
    assert not set(VNI_SIGNATURE) & set(VIETNAMESE_LETTERS)


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")
def test_tcvn3_table_matches_glibc_iconv() -> None:
    codes = "".join(TCVN3_TO_UNICODE)
    run = subprocess.run(
        ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"],
        input=codes.encode("latin-1"),
        capture_output=True,
        check=False,
    )
    if run.returncode != 0:
        pytest.skip("iconv lacks TCVN5712-1")
    got = unicodedata.normalize("NFC", run.stdout.decode("utf-8"))
    assert got == "".join(TCVN3_TO_UNICODE.values())


def test_vni_spellings() -> None:
    assert len(UNICODE_TO_VNI) == 134
    assert UNICODE_TO_VNI["ẳ"] == "aú" and UNICODE_TO_VNI["Ẳ"] == "AÚ"  # missing in viparse
    assert UNICODE_TO_VNI["ộ"] == "oä" and UNICODE_TO_VNI["Ộ"] == "OÄ"
    assert UNICODE_TO_VNI["ớ"] == "ôù" and UNICODE_TO_VNI["ự"] == "öï"
    assert UNICODE_TO_VNI["ị"] == "ò" and UNICODE_TO_VNI["ỉ"] == "æ" and UNICODE_TO_VNI["ĩ"] == "ó"
    assert UNICODE_TO_VNI["ỵ"] == "î" and UNICODE_TO_VNI["đ"] == "ñ"
    # Variants found in real files decode too.
    assert VNI_TO_UNICODE["yï"] == "ỵ" and VNI_TO_UNICODE["iù"] == "í"
    assert decode_vni("Aán Ñoä") == "Ấn Độ"


# --- round trips ------------------------------------------------------------


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_vni_round_trip_every_letter(letter: str) -> None:
    assert decode_vni(encode_vni(letter)) == letter
    assert decode_vni(encode_vni(f"x{letter}n")) == f"x{letter}n"


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_tcvn3_round_trip_every_letter(letter: str) -> None:
    code = encode_tcvn3(letter)
    assert len(code) == 1 and 0xA1 <= ord(code) <= 0xFE
    assert decode_tcvn3(code) == tcvn3_lowered(letter)
    if letter.isupper():  # .VnTimeH headings: capitals come from the font
        assert decode_tcvn3(code, upper=True) == letter


def test_encode_tcvn3_writes_capital_toned_letters_with_lower_case_codes() -> None:
    assert encode_tcvn3("CỘNG HÒA") == "CéNG HßA"
    assert encode_tcvn3("Ủy ban") == encode_tcvn3("ủy ban") == "ñy ban"
    assert encode_tcvn3("ĐẢNG") == "§¶NG"  # Đ has a capital code


def test_encoders_accept_decomposed_input_and_pass_other_characters_through() -> None:
    nfd = unicodedata.normalize("NFD", NATIONAL_MOTTO)
    assert encode_tcvn3(nfd) == MOTTO_TCVN3
    assert encode_vni(nfd) == MOTTO_VNI
    assert encode_vni("Giá 1.000 € – “tốt”") == "Giaù 1.000 € – “toát”"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_sentences_round_trip(sentence: str) -> None:
    assert decode_vni(encode_vni(sentence)) == sentence
    assert decode_tcvn3(encode_tcvn3(sentence)) == tcvn3_lowered(sentence)


# --- the two sample sentences and short cells ---------------------------------


def test_tcvn3_sample_sentence() -> None:
    assert detect_legacy(MOTTO_TCVN3) == "tcvn3"
    assert decode_tcvn3(MOTTO_TCVN3) == NATIONAL_MOTTO
    assert repair_legacy(MOTTO_TCVN3) == LegacyRepair(
        MOTTO_TCVN3, NATIONAL_MOTTO, "tcvn3", True, False
    )


def test_vni_sample_sentence() -> None:
    assert detect_legacy(MOTTO_VNI) == "vni"
    assert decode_vni(MOTTO_VNI) == NATIONAL_MOTTO
    assert repair_legacy(MOTTO_VNI) == LegacyRepair(MOTTO_VNI, NATIONAL_MOTTO, "vni", True, False)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Hoµn thµnh xuÊt s¾c nhiÖm vô", "Hoàn thành xuất sắc nhiệm vụ"),  # viparse misses it
        ("Hoµn thµnh", "Hoàn thành"),
        ("§¹t", "Đạt"),
        ("Kh«ng hoµn thµnh", "Không hoàn thành"),
        ("UBND tØnh H¶i D­¬ng", "UBND tỉnh Hải Dương"),
        ("§ang thùc hiÖn", "Đang thực hiện"),
        ("1.500.000 ®ång", "1.500.000 đồng"),
        ("ViÖt Nam", "Việt Nam"),  # no 0xA1-0xBE byte; Ö is also a VNI mark
        ("Thuû lîi", "Thuỷ lợi"),
    ],
)
def test_short_tcvn3_cells_are_detected_and_converted(cell: str, expected: str) -> None:
    repair = repair_legacy(cell)
    assert (repair.text, repair.encoding, repair.converted) == (expected, "tcvn3", True)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Hoaøn thaønh xuaát saéc", "Hoàn thành xuất sắc"),
        ("Ñaït", "Đạt"),
        ("Chuû tòch UBND tænh", "Chủ tịch UBND tỉnh"),
        ("Ñaø Naüng", "Đà Nẵng"),
        ("Nöôùc", "Nước"),
        ("Löu yù", "Lưu ý"),
    ],
)
def test_short_vni_cells_are_detected_and_converted(cell: str, expected: str) -> None:
    repair = repair_legacy(cell)
    assert (repair.text, repair.encoding, repair.converted) == (expected, "vni", True)


def test_tcvn3_heading_with_vntimeh_font_is_upper_cased() -> None:
    cell = encode_tcvn3("cộng hòa xã hội chủ nghĩa việt nam")
    assert cell == "céng hßa x· héi chñ nghÜa viÖt nam"
    repair = repair_legacy(cell, font=".VnTimeH")
    assert repair.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert (repair.encoding, repair.converted, repair.suspicious) == ("tcvn3", True, False)
    # Typed with Caps Lock: ASCII capitals, lower-case toned codes.
    caps = encode_tcvn3("ĐỘC LẬP - TỰ DO - HẠNH PHÚC")
    assert repair_legacy(caps, font=".VnTimeH").text == "ĐỘC LẬP - TỰ DO - HẠNH PHÚC"
    assert repair_legacy(caps).text == "ĐỘC LẬP - TỰ DO - HẠNH PHÚC"  # guessed from the caps


def test_font_hint_converts_cells_without_signature_characters() -> None:
    assert repair_legacy("Tèt", font=".VnTime").text == "Tốt"  # "tèt" is no Unicode word
    assert repair_legacy("Néi dung", font=".VnTime").text == "Nội dung"
    assert repair_legacy("Coù", font="VNI-Times").text == "Có"
    assert repair_legacy("Néi dung") == unchanged("Néi dung")  # no font: nothing to go on
    assert repair_legacy("1.500.000 ®", font=".VnTime").text == "1.500.000 đ"
    assert repair_legacy("1.500.000 ®") == unchanged("1.500.000 ®")  # could be "registered"


def test_font_hint_never_converts_text_with_unicode_only_letters() -> None:
    assert repair_legacy(NATIONAL_MOTTO, font=".VnTime") == unchanged(NATIONAL_MOTTO)
    assert repair_legacy(NATIONAL_MOTTO, font="VNI-Times") == unchanged(NATIONAL_MOTTO)
    assert repair_legacy("Plain ASCII", font=".VnTime") == unchanged("Plain ASCII")


def test_other_fonts_mean_content_detection() -> None:
    assert repair_legacy(MOTTO_TCVN3, font="Times New Roman").text == NATIONAL_MOTTO
    assert repair_legacy(NATIONAL_MOTTO, font="Arial") == unchanged(NATIONAL_MOTTO)


# --- Unicode is left alone ----------------------------------------------------


@pytest.mark.parametrize("sentence", SENTENCES)
def test_unicode_sentences_are_untouched(sentence: str) -> None:
    assert detect_legacy(sentence) is None
    assert repair_legacy(sentence) == unchanged(sentence)


@needs_context
def test_every_line_of_the_context_articles_is_untouched() -> None:
    for line in CONTEXT_LINES:
        assert repair_legacy(line) == unchanged(line), line


@needs_context
def test_context_articles_encoded_in_legacy_fonts_come_back() -> None:
    for line in CONTEXT_LINES:
        vni = encode_vni(line)
        if vni != line:
            assert repair_legacy(vni, font="VNI-Times").text in (line, vni)  # vni: ambiguous
        tcvn3 = encode_tcvn3(line)
        if tcvn3 != line:
            got = repair_legacy(tcvn3, font=".VnTime")
            assert got.converted and got.text in (line, tcvn3_lowered(line)), line
            if re.search(f"[{re.escape(TCVN3_SIGNATURE)}]", tcvn3):
                assert repair_legacy(tcvn3).text == got.text, line


@pytest.mark.parametrize(
    "text",
    [
        "Bản quyền © 2024 Sở Văn hóa",
        "Theo § 3 của quy chế",
        "Nghỉ ½ ngày",
        "Hòa ½ ngày",  # only Latin-1 letters, stray "½"
        "Copyright © 2024",
        "Microsoft® Office",
        "Đạt 95%·",
        "Điều\xad 5",
    ],
)
def test_unicode_with_a_stray_symbol_is_not_converted(text: str) -> None:
    assert detect_legacy(text) is None
    assert repair_legacy(text) == unchanged(text)


def test_decomposed_unicode_is_not_broken() -> None:
    nfd = unicodedata.normalize("NFD", NATIONAL_MOTTO + " © ½")
    assert repair_legacy(nfd) == unchanged(nfd)
    assert repair_legacy(nfd, font=".VnTime") == unchanged(nfd)
    assert detect_legacy(nfd) is None


def test_converting_unicode_blindly_would_corrupt_it() -> None:
    assert decode_vni("Thơ") == "Thơ" and decode_vni("Hòa Bình") == "Hịa Bình"
    assert decode_tcvn3("Hòa Bình") == "Hũa Bỡnh"
    assert repair_legacy("Hòa Bình") == unchanged("Hòa Bình")


# --- suspicious cells -----------------------------------------------------------


@pytest.mark.parametrize("garbage", ["xy¸zq ®®k", "Zürich", "Gödel ©abc", "qq«ww"])
def test_garbage_with_signature_characters_is_flagged(garbage: str) -> None:
    repair = repair_legacy(garbage)
    assert repair.suspicious and not repair.converted
    assert repair.text == garbage and repair.encoding is not None


@pytest.mark.parametrize(
    ("cell", "font"),
    [
        ("Nhö", None),  # VNI "Như" or TCVN3 "Nhử"
        ("chuû", None),  # VNI "chủ" or TCVN3 "chuỷ"
        ("Không", ".VnTime"),  # Unicode "Không" or TCVN3 "Khụng"
        ("Chính trò", "VNI-Times"),  # Unicode "Chính trò" or VNI "Chính trị"
        ("Müller", ".VnTime"),
    ],
)
def test_ambiguous_cells_are_flagged_not_guessed(cell: str, font: str | None) -> None:
    repair = repair_legacy(cell, font)
    assert repair.suspicious and not repair.converted and repair.text == cell


# --- syllable checker -------------------------------------------------------------


@needs_context
def test_every_lower_case_word_of_the_context_articles_is_a_syllable() -> None:
    words = {w for line in CONTEXT_LINES for w in WORD.findall(line)}
    lower = {w for w in words if w == w.lower() and not w.isascii()}
    assert len(lower) > 400
    assert [w for w in sorted(words) if not is_plausible_vietnamese(w)] == []


@pytest.mark.parametrize(
    "text",
    [
        *SENTENCES,
        "UBND HĐND ĐBQH QĐ-UBND NĐ-CP ĐVT TP.HCM",
        "COVID-19 website email Facebook Zalo",
        "nghiêng khuya khuỷu quýt quỳnh giữa gìn gì thuở huơ oẳn",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "",
        "2024",
    ],
)
def test_plausible_vietnamese(text: str) -> None:
    assert is_plausible_vietnamese(text)


@pytest.mark.parametrize(
    "text",
    [
        "Coọng hoứa",  # VNI read as TCVN3
        "nhiƯm vơ",  # TCVN3 read as VNI
        "Vieät",  # leftover signature character
        "tèt",  # stop coda needs sắc or nặng
        "cí",  # c is written k before i
        "ngé",  # ng is written ngh before e (ASCII "nge" passes as a foreign word)
        "ghà",  # gh only before e, ê, i
        "hoaà",  # two tones
        "nhÊt",  # capital in the middle of a word
        "Zỹrich",
        "Bản quyền © 2024",  # a signature character is left
    ],
)
def test_implausible_vietnamese(text: str) -> None:
    assert not is_plausible_vietnamese(text)


# --- the result type ----------------------------------------------------------------


def test_legacy_repair_is_frozen_and_the_fast_path_builds_an_equal_value() -> None:
    repair = repair_legacy("Hoàn thành")
    assert repair == LegacyRepair("Hoàn thành", "Hoàn thành", None, False, False)
    assert hash(repair) == hash(unchanged("Hoàn thành"))
    assert "original='Hoàn thành'" in repr(repair)
    with pytest.raises(dataclasses.FrozenInstanceError):
        repair.text = "x"  # type: ignore[misc]
