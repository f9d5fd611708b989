"""`import idfacade`: the version, the clients, the plugin, and that none of it is heavy."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points, version
from pathlib import Path

import idfacade

REPO = Path(__file__).resolve().parents[2]


def test_version_is_the_installed_distributions():
    assert idfacade.__version__ == version("idfacade")


def test_the_package_ships_its_type_marker():
    assert (Path(idfacade.__file__).parent / "py.typed").is_file()


def test_the_four_clients_are_the_vendor_modules_own():
    from vendors.netocr.client import NetocrClient
    from vendors.sensetime.client import SenseTimeClient
    from vendors.waiqin.client import WaiqinClient
    from vendors.yitu.client import YituClient

    assert idfacade.SenseTimeClient is SenseTimeClient
    assert idfacade.YituClient is YituClient
    assert idfacade.WaiqinClient is WaiqinClient
    assert idfacade.NetocrClient is NetocrClient


def test_the_pytest_plugin_is_registered_by_entry_point():
    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins["idfacade"] == "idfacade.testing"


def test_importing_the_package_and_plugin_loads_no_gateway_or_engine():
    probe = (
        "import sys, idfacade, idfacade.testing; "
        "print(sorted(m for m in ('gateway', 'engine', 'vendors', 'cv2', 'onnxruntime') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_an_unknown_name_is_an_attribute_error():
    try:
        idfacade.NoSuchClient  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchClient" in str(exc)
    else:
        raise AssertionError("expected AttributeError")
