"""The findings catalogue: documented in docs/findings.md, every code used in the code is in it."""

from __future__ import annotations

import re
from pathlib import Path

from camket.findings import CATALOGUE, catalogue_markdown

ROOT = Path(__file__).parent.parent


def test_docs_findings_md_is_generated_from_the_catalogue() -> None:
    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert text == catalogue_markdown(), "regenerate: camket findings --markdown > docs/findings.md"


def test_every_finding_code_is_kebab_case_with_message_and_advice() -> None:
    for code, kind in CATALOGUE.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code)
        assert kind.message and kind.advice
        assert kind.stage in {"config", "master", "file", "identify", "row", "cross-round", "ledger", "appraisal",
                              "rollup", "verify", "mail", "registration"}


def test_every_catalogued_kind_is_used_somewhere_in_the_code() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "camket").rglob("*.py")
                       if p.name != "findings.py")
    constants = re.findall(r"^([A-Z_0-9]+) = _kind\(", (ROOT / "src/camket/findings.py").read_text(), re.M)
    unused = [c for c in constants if f"F.{c}" not in source]
    assert unused == []


def test_every_finding_has_a_vietnamese_name():
    """Every output shows a finding's Vietnamese name beside its code: no kind may lack one."""
    from camket.findings import CATALOGUE, TITLES

    assert sorted(code for code in CATALOGUE if code not in TITLES) == []
