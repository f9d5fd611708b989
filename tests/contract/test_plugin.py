"""The pytest plugin as a suite uses it: the worked examples of docs/contract-testing.md,
run by pytester against a real gateway, and the handle's own checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "contract-testing.md"
EXAMPLES = re.findall(
    r"^### (\w+)\n```python\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.M | re.S
)

# What the examples' `photo(name)` reads: the suite's own test images.
CONFTEST = """
import pytest
from pathlib import Path

DATA = Path({data!r})
PHOTOS = {{
    "alice_1": "faces/joe_biden/biden.jpg",
    "alice_2": "faces/joe_biden/biden2.jpg",
    "bob_1": "faces/barack_obama/obama.jpg",
    "id_card_front": "id_documents/cn_id_card/cnid_syn_s1_front.jpg",
}}


@pytest.fixture
def photo():
    return lambda name: (DATA / PHOTOS[name]).read_bytes()
"""


def test_the_doc_has_one_example_per_vendor():
    assert [vendor for vendor, _ in EXAMPLES] == ["SenseTime", "Yitu", "Waiqin", "netocr"]


@pytest.mark.slow
@pytest.mark.parametrize("vendor, code", EXAMPLES, ids=[v for v, _ in EXAMPLES])
def test_the_worked_example_passes(pytester, shared_data, vendor, code):
    pytester.makeconftest(CONFTEST.format(data=str(shared_data)))
    pytester.makepyfile(**{f"test_{vendor.lower()}": code})
    result = pytester.runpytest("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1)


def test_assert_conformant_fails_the_test_on_findings(pytester):
    pytester.makepyfile(
        test_findings="""
import time

from gateway.journal import CallRecord

def test_a_finding_fails(idfacade):
    idfacade.app.state.journal.record(CallRecord(
        at=time.time(), request_id="r", vendor="yitu", api="ocr", route="/face/basic/ocr",
        method="POST", principal=None, fields={}, status=200, code="0", ok=True,
        decision=None, score=None, latency_ms=1.0,
        findings=[{"rule": "unknown_field", "field": "colour", "detail": "not documented"}]))
    idfacade.assert_conformant()

def test_the_next_test_starts_clean(idfacade):
    assert idfacade.calls() == [] and idfacade.findings() == []
    idfacade.assert_conformant()
"""
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*conformance findings:*", "*yitu ocr: unknown_field colour*"])


def test_settings_are_overridden_by_redefining_the_fixture(pytester):
    pytester.makeconftest(
        """
import pytest

@pytest.fixture(scope="session")
def idfacade_settings():
    return {"sensetime_auth": "open", "journal_keep_bodies": True}
"""
    )
    pytester.makepyfile(
        test_open="""
def test_open_mode(idfacade):
    settings = idfacade.app.state.services.settings
    assert settings.sensetime_auth == "open" and settings.journal_keep_bodies
    assert idfacade.base_url.startswith("http://127.0.0.1:")
    assert set(idfacade.credentials) == {"sensetime", "yitu", "waiqin", "netocr"}
"""
    )
    pytester.runpytest("-p", "no:cacheprovider", "-q").assert_outcomes(passed=1)
