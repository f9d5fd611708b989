"""`idfacade contract report`: text, JSON and JUnit XML of the journal, and --since."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET

import pytest

from gateway.cli import main
from gateway.contract_report import parse_since
from gateway.journal import Journal
from tests.contract.records import call_record


def _journal(data) -> None:
    journal = Journal(data / "journal.db")
    base = dict(request_id="r1", principal="acc1", latency_ms=12.5)
    journal.record(call_record(at=time.time() - 7200, **base))
    finding = {"rule": "unknown_field", "field": "colour", "detail": "not in §9.4"}
    faulted = {"request_id": "r2", "findings": [finding], "code": "-901", "fault": "busy"}
    journal.record(call_record(**(base | faulted)))
    netocr = {"vendor": "netocr", "api": "verFaceImage", "code": "2000", "decision": "yes"}
    journal.record(call_record(**(base | netocr | {"request_id": "r3", "score": 87.5})))
    journal.close()


def test_junit_shows_each_finding_as_a_failed_case(tmp_path, capsys):
    _journal(tmp_path)
    assert main(["contract", "report", "--data", str(tmp_path), "--format", "junit"]) == 0
    root = ET.fromstring(capsys.readouterr().out.encode())
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"idfacade.yitu", "idfacade.netocr"}
    yitu = suites["idfacade.yitu"]
    assert (yitu.get("tests"), yitu.get("failures")) == ("2", "1")
    (failure,) = yitu.iter("failure")
    assert failure.get("type") == "unknown_field" and "colour" in failure.get("message")
    assert [c.get("name") for c in yitu.iter("testcase")] == ["ocr [r1]", "ocr [r2]"]


def test_since_and_json_and_text(tmp_path, capsys):
    _journal(tmp_path)
    main(["contract", "report", "--data", str(tmp_path), "--format", "json", "--since", "1h"])
    rows = json.loads(capsys.readouterr().out)
    assert [r["request_id"] for r in rows] == ["r2", "r3"] and "replay" not in rows[0]
    main(["contract", "report", "--journal", str(tmp_path / "journal.db")])
    text = capsys.readouterr().out.splitlines()
    assert len(text) == 4 and "code=-901" in text[1] and "fault=busy" in text[1]
    assert text[2].strip() == "finding unknown_field colour: not in §9.4"
    assert "code=2000 yes score=87.5" in text[3]


def test_report_writes_a_file_and_names_a_missing_journal(tmp_path, capsys):
    _journal(tmp_path)
    out = tmp_path / "contract.xml"
    main(["contract", "report", "--data", str(tmp_path), "--format", "junit", "--output", str(out)])
    assert ET.parse(out).getroot().tag == "testsuites"
    assert main(["contract", "report", "--data", str(tmp_path / "empty")]) == 2
    assert "no call journal" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text, expected",
    [
        ("90s", 910.0),
        ("10m", 400.0),
        ("1h", -2600.0),
        ("250", 250.0),
        ("1970-01-01T00:10:00+00:00", 600.0),
    ],
)
def test_since_reads_durations_times_and_seconds(text, expected):
    assert parse_since(text, now=1000.0) == expected


def test_since_refuses_other_text():
    with pytest.raises(ValueError, match="--since"):
        parse_since("yesterday")
