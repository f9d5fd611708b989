"""One package per vendor wire API. Each facade module exposes `routes(services)`."""

from types import ModuleType

from vendors import netocr, sensetime, waiqin, yitu

FACADES: tuple[ModuleType, ...] = (sensetime, yitu, waiqin, netocr)
