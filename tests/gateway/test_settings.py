from pathlib import Path

import pytest
from pydantic import ValidationError

from engine.gallery import HnswSettings
from gateway.app import build_services
from gateway.settings import Settings, UnknownSetting, load_settings


def test_defaults_bind_loopback_with_data_in_var():
    s = load_settings(environ={})
    assert (s.host, s.port, s.data) == ("127.0.0.1", 8080, Path("var"))
    assert s.sensetime_auth == "open" and s.yitu_signature == "required"
    assert s.web_links is False and s.image_root is None


def test_environment_overrides_toml_and_flags_override_environment(tmp_path: Path):
    config = tmp_path / "idfacade.toml"
    config.write_text('port = 9000\nhost = "0.0.0.0"\nsensetime_auth = "account"\n')
    env = {
        "IDFACADE_CONFIG": str(config),
        "IDFACADE_PORT": "9100",
        "IDFACADE_YITU_SIGNATURE": "off",
    }
    s = load_settings({"data": tmp_path / "d"}, environ=env)
    assert s.host == "0.0.0.0"  # from the file
    assert s.port == 9100  # environment beats the file
    assert s.sensetime_auth == "account" and s.yitu_signature == "off"
    assert load_settings({"port": 9200}, environ=env).port == 9200  # flags beat both


def test_unknown_auth_mode_is_refused():
    with pytest.raises(ValidationError):
        load_settings(environ={"IDFACADE_SENSETIME_AUTH": "maybe"})


def test_the_gallery_search_effort_reaches_the_embedded_gallery(tmp_path: Path):
    assert load_settings(environ={}).gallery_ef_search == HnswSettings().ef_search
    settings = load_settings(
        {"data": tmp_path},
        environ={"IDFACADE_GALLERY_EF_SEARCH": "512", "IDFACADE_GALLERY_EF_GROWTH": "0"},
    )
    services = build_services(settings)
    try:
        assert services.gallery._index._params.ef_search == 512
        assert services.gallery._index._params.ef_growth == 0
    finally:
        services.gallery.close()
    with pytest.raises(ValidationError):
        load_settings(environ={"IDFACADE_GALLERY_EF_SEARCH": "0"})


def test_an_unknown_toml_key_is_refused_with_its_name(tmp_path: Path):
    config = tmp_path / "idfacade.toml"
    config.write_text('port = 9000\nimage_rot = "/srv/images"\n')
    with pytest.raises(UnknownSetting, match=r"image_rot \(did you mean image_root\?\)"):
        load_settings(environ={"IDFACADE_CONFIG": str(config)})


def test_an_unknown_environment_variable_is_refused_with_its_name():
    with pytest.raises(UnknownSetting, match=r"IDFACADE_WEBLINKS \(did you mean IDFACADE_WEB_"):
        load_settings(environ={"IDFACADE_WEBLINKS": "true"})
    # the settings file's own variable and the test suite's are not settings
    assert load_settings(environ={"IDFACADE_TEST_POSTGRES_DSN": "x"}).port == 8080


def test_settings_given_in_code_are_checked_too():
    with pytest.raises(ValidationError, match="max_body_byte"):
        Settings(max_body_byte=1)  # type: ignore[call-arg]
