"""idfacade.example.toml is the settings class written out: every setting, described."""

from __future__ import annotations

import tomllib
from pathlib import Path

from gateway.cli import main
from gateway.settings import Settings, load_settings
from gateway.settings_example import render_example

EXAMPLE = Path(__file__).resolve().parents[2] / "idfacade.example.toml"


def test_the_shipped_example_is_the_settings_class_written_out():
    assert EXAMPLE.read_text() == render_example(), (
        "idfacade.example.toml is stale: run `idfacade config example > idfacade.example.toml`"
    )


def test_every_setting_is_in_the_example_with_a_comment_above_it():
    lines = EXAMPLE.read_text().splitlines()
    for name in Settings.model_fields:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"# {name} = "))
        assert lines[at - 1].startswith("# ") and " = " not in lines[at - 1][:40]


def test_the_example_loads_as_it_is_and_with_every_line_uncommented(tmp_path: Path):
    assert load_settings(environ={}, config=EXAMPLE) == load_settings(environ={})
    names = set(Settings.model_fields)
    uncommented = [
        line[2:]
        for line in EXAMPLE.read_text().splitlines()
        if line.startswith("# ") and line[2:].split(" = ")[0] in names and " = " in line
    ]
    config = tmp_path / "all.toml"
    config.write_text("\n".join(uncommented) + "\n")
    assert set(tomllib.loads(config.read_text())) == names
    settings = load_settings(environ={}, config=config)
    assert settings.image_root == Path("/srv/idfacade/images")  # the example of an unset one
    assert settings.port == 8080 and settings.sensetime_auth == "open"


def test_the_cli_prints_the_example_and_its_version(capsys):
    assert main(["config", "example"]) == 0
    assert capsys.readouterr().out == render_example()
    try:
        main(["--version"])
    except SystemExit as exit_:
        assert exit_.code == 0
    out = capsys.readouterr().out.split()
    assert out[0] == "idfacade" and out[1][0].isdigit()


def test_the_cli_names_an_unknown_setting_instead_of_a_traceback(tmp_path: Path, capsys):
    config = tmp_path / "bad.toml"
    config.write_text("pool_worker = 4\n")
    assert main(["config", "check", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "pool_worker (did you mean pool_workers?)" in err and "Traceback" not in err
