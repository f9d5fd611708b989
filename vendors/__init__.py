"""One package per vendor wire API, each declaring its `FACADE` (vendors.common.routing)."""

from vendors import netocr, sensetime, waiqin, yitu
from vendors.common.routing import Facade

FACADES: tuple[Facade, ...] = (sensetime.FACADE, yitu.FACADE, waiqin.FACADE, netocr.FACADE)
