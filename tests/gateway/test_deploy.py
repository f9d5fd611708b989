"""The deployment files name only settings that exist (a misspelt one would stop the gateway)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gateway.settings import ENV_PREFIX, load_settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


@pytest.mark.parametrize("name", ["compose.gateway.yml", "docker-compose.yml"])
def test_the_gateways_environment_in_each_compose_file_is_made_of_settings(name: str):
    compose = yaml.safe_load((DEPLOY / name).read_text())
    environment = compose["services"]["gateway"]["environment"]
    assert all(key.startswith(ENV_PREFIX) for key in environment)
    given = {key: str(value).split("${")[0] or "x" for key, value in environment.items()}
    if "IDFACADE_GALLERY_METADATA_DSN" in given:
        given["IDFACADE_GALLERY_METADATA_DSN"] = "postgresql://idfacade@postgres/idfacade"
    settings = load_settings(environ=given)
    assert str(settings.data) == "/var/lib/idfacade"
