"""`idfacade contract report`: the call journal as text, JSON or JUnit XML.

JUnit XML gives a CI one test case per journalled call (suite = vendor, name = API and
request id); each conformance finding is a <failure> of its call, so a build that publishes
JUnit results shows them as failed tests. A vendor error code is not a failure: a contract
suite calls for errors on purpose.
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import datetime

from gateway.journal import CallRecord

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_since(value: str, now: float | None = None) -> float:
    """`--since`: a duration back from now (`90s`, `10m`, `2h`, `1d`), an ISO 8601 time, or
    Unix seconds."""
    now = time.time() if now is None else now
    text = value.strip()
    matched = _DURATION.match(text)
    if matched:
        return now - float(matched.group(1)) * _UNITS[matched.group(2)]
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError as exc:
        raise ValueError(f"--since {value!r}: not a duration, an ISO time or Unix seconds") from exc


def as_text(calls: Iterable[CallRecord]) -> str:
    lines = []
    for call in calls:
        when = datetime.fromtimestamp(call.at).isoformat(timespec="seconds")
        outcome = f"{call.code}" + (f" {call.decision}" if call.decision else "")
        score = f" score={call.score:g}" if call.score is not None else ""
        fault = f" fault={call.fault}" if call.fault else ""
        lines.append(
            f"{when} {call.vendor} {call.api or call.route} {call.principal or '-'} "
            f"http={call.status} code={outcome}{score} {call.latency_ms:.1f}ms{fault}"
        )
        lines.extend(f"    finding {f['rule']} {f['field']}: {f['detail']}" for f in call.findings)
    return "\n".join(lines)


def as_json(calls: Iterable[CallRecord]) -> str:
    return json.dumps([call.to_json() for call in calls], ensure_ascii=False, indent=2)


def as_junit(calls: Iterable[CallRecord]) -> str:
    by_vendor: dict[str, list[CallRecord]] = {}
    for call in calls:
        by_vendor.setdefault(call.vendor, []).append(call)
    root = ET.Element("testsuites", name="idfacade contract")
    for vendor, listed in by_vendor.items():
        failures = sum(1 for call in listed if call.findings)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"idfacade.{vendor}",
            tests=str(len(listed)),
            failures=str(failures),
            errors="0",
            time=f"{sum(call.latency_ms for call in listed) / 1000:.3f}",
        )
        for call in listed:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"idfacade.{vendor}.{call.api or 'unserved'}",
                name=f"{call.api or call.route} [{call.request_id}]",
                time=f"{call.latency_ms / 1000:.3f}",
            )
            for finding in call.findings:
                failure = ET.SubElement(
                    case,
                    "failure",
                    type=finding["rule"],
                    message=f"{finding['field']}: {finding['detail']}",
                )
                failure.text = f"{finding['rule']} on {finding['field']}: {finding['detail']}"
            out = ET.SubElement(case, "system-out")
            out.text = f"route={call.route} http={call.status} code={call.code}"
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


FORMATS = {"text": as_text, "json": as_json, "junit": as_junit}
