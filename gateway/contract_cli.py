"""`idfacade contract report|replay`: the call journal for a CI, and replay to another target."""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

from gateway.journal import FILE_NAME, open_journal


def add_contract_commands(commands: Any, common: Any) -> None:
    """The `contract` command group on the CLI's sub-parsers (`common` adds --data/--config)."""
    contract = commands.add_parser("contract", help="contract testing: the call journal")
    actions = contract.add_subparsers(required=True, metavar="ACTION")

    report = actions.add_parser("report", help="print the call journal")
    common(report)
    report.add_argument("--journal", type=Path, help=f"a {FILE_NAME} (default: in --data)")
    report.add_argument("--since", help="only calls since: 10m, 2h, 1d, an ISO time, Unix s")
    report.add_argument("--format", choices=("text", "json", "junit"), default="text")
    report.add_argument("--output", type=Path, help="write to this file instead of stdout")
    report.set_defaults(run=_report)

    again = actions.add_parser("replay", help="send journalled calls to another target")
    again.add_argument("journal", type=Path, metavar="JOURNAL", help=f"{FILE_NAME} or data dir")
    again.add_argument("--target", required=True, help="base URL to send the calls to")
    again.add_argument(
        "--credentials",
        type=Path,
        required=True,
        help="JSON or TOML: per vendor, the target's credentials as `credentials add` prints",
    )
    again.add_argument("--since", help="only calls since (as for report)")
    again.add_argument(
        "--tolerance", type=float, default=0.05, help="score difference allowed, share of scale"
    )
    again.set_defaults(run=_replay)


def _journal_path(args: argparse.Namespace) -> Path:
    if args.journal is not None:
        return args.journal
    from gateway.cli import _settings

    return _settings(args).data / FILE_NAME


def _since(value: str | None) -> float | None:
    from gateway.contract_report import parse_since

    return None if value is None else parse_since(value)


def _report(args: argparse.Namespace) -> int:
    from gateway.contract_report import FORMATS

    try:
        since = _since(args.since)
        journal = open_journal(_journal_path(args))
    except (ValueError, FileNotFoundError) as exc:
        print(f"idfacade: {exc}", file=sys.stderr)
        return 2
    try:
        text = FORMATS[args.format](journal.calls(since=since))
    finally:
        journal.close()
    if args.output is not None:
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def _credentials(path: Path) -> dict[str, dict[str, str]]:
    raw = path.read_bytes()
    loaded = tomllib.loads(raw.decode()) if path.suffix == ".toml" else json.loads(raw)
    return {vendor: dict(fields) for vendor, fields in loaded.items()}


def _replay(args: argparse.Namespace) -> int:
    from gateway.contract_replay import replay

    try:
        since = _since(args.since)
        credentials = _credentials(args.credentials)
        journal = open_journal(args.journal)
    except (ValueError, FileNotFoundError, OSError) as exc:
        print(f"idfacade: {exc}", file=sys.stderr)
        return 2
    try:
        outcome = replay(
            journal.calls(since=since), args.target, credentials, tolerance=args.tolerance
        )
    finally:
        journal.close()
    for difference in outcome.differences:
        print(f"DIFF {difference}")
    print(
        f"{outcome.replayed} calls replayed to {args.target}, {len(outcome.differences)} differ, "
        f"{outcome.skipped} skipped (fields not kept, no credentials, or a login)"
    )
    return 1 if outcome.differences else 0
