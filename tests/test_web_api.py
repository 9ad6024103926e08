"""``camket serve``'s JSON API through Starlette's test client: the same answers as the
command line's ``--json``, a Bearer token on every call but the health check, and uploads
that go through the same ingest, ledger and archive as ``camket ingest``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from camket import Workspace
from camket.cli import cli
from camket.ledger import Ledger

from .webtools import RETURNED, ROUND, bearer, client, fixture_workspace


def _files(*names: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, (RETURNED / name).read_bytes(), "application/octet-stream")) for name in names]


def _cli_json(root: Path, *args: str) -> object:
    result = CliRunner().invoke(cli, ["-w", str(root), *args, "--json"], catch_exceptions=False)
    assert result.exit_code in (0, 3), result.output
    return json.loads(result.stdout)


def test_health_answers_without_a_token(tmp_path: Path) -> None:
    answer = client(fixture_workspace(tmp_path)).get("/api/health")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"


def test_every_other_call_needs_the_bearer_token(tmp_path: Path) -> None:
    web = client(fixture_workspace(tmp_path))
    for headers in ({}, {"Authorization": "Bearer sai-ma"}, {"Authorization": "Basic bWE6bWE="},
                    {"Authorization": "Bearer"}):
        assert web.get(f"/api/rounds/{ROUND}/status", headers=headers).status_code == 401
        assert web.get(f"/api/rounds/{ROUND}/submissions", headers=headers).status_code == 401
        refused = web.post(f"/api/rounds/{ROUND}/files", headers=headers, files=_files("returned_clean.xlsx"))
        assert refused.status_code == 401
        assert "Bearer" in refused.json()["error"]
    assert Workspace.open(web.app.state.site.root).submissions(ROUND) == []


def test_uploaded_files_go_through_ingest_into_the_ledger_and_the_archive(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    names = ("returned_clean.xlsx", "returned_date_31_02.xlsx", "returned_truncated.xlsx")
    answer = client(root).post(f"/api/rounds/{ROUND}/files", headers=bearer(), files=_files(*names))
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["round"] == ROUND
    assert [(f["name"], f["state"]) for f in result["files"]] == [  # in the order sent: the second replaces the first
        ("returned_clean.xlsx", "superseded"), ("returned_date_31_02.xlsx", "accepted"),
        ("returned_truncated.xlsx", "rejected")]
    by_name = {f["name"]: f for f in result["files"]}
    assert ("date-invalid", "K8") in {(f["code"], f["cell"]) for f in by_name["returned_date_31_02.xlsx"]["findings"]}
    assert [f["code"] for f in by_name["returned_truncated.xlsx"]["findings"]] == ["file-corrupt"]
    assert result["counts"] == {"accepted": 1, "superseded": 1, "rejected": 1}
    subs = {s.name: s for s in Workspace.open(root).submissions(ROUND)}
    assert set(subs) == set(names)
    with Ledger(root, create=False, archive=True) as ledger:  # the archive holds each file exactly as sent
        for name in names:
            stored = ledger.archived(subs[name].sha256)
            assert stored == (RETURNED / name).read_bytes()
            assert hashlib.sha256(stored).hexdigest() == subs[name].sha256


def test_status_and_submissions_are_the_command_lines_json(tmp_path: Path) -> None:
    root = fixture_workspace(tmp_path)
    web = client(root)
    web.post(f"/api/rounds/{ROUND}/files", headers=bearer(),
             files=_files("returned_clean.xlsx", "returned_clean_other_unit.xlsx", "returned_empty.xlsx"))
    status = web.get(f"/api/rounds/{ROUND}/status", headers=bearer())
    assert status.status_code == 200
    assert status.json() == _cli_json(root, "status", "--round", ROUND)
    assert status.json()["units"]["answered"] == 2
    submissions = web.get(f"/api/rounds/{ROUND}/submissions", headers=bearer())
    assert submissions.json() == _cli_json(root, "submissions", "--round", ROUND)
    assert len(submissions.json()) == 3


def test_an_unknown_round_is_not_found_in_vietnamese(tmp_path: Path) -> None:
    answer = client(fixture_workspace(tmp_path)).get("/api/rounds/2099-6T/status", headers=bearer())
    assert answer.status_code == 404
    assert answer.json()["error"].startswith('Không có kỳ báo cáo "2099-6T"')


def test_a_request_without_files_is_refused(tmp_path: Path) -> None:
    web = client(fixture_workspace(tmp_path))
    empty = web.post(f"/api/rounds/{ROUND}/files", headers=bearer(), data={"x": "1"},
                     files=[("khac", ("a.txt", b"x", "text/plain"))])
    assert empty.status_code == 400
    not_multipart = web.post(f"/api/rounds/{ROUND}/files", headers=bearer(), content=b"{}")
    assert not_multipart.status_code == 400
    assert "multipart/form-data" in not_multipart.json()["error"]
