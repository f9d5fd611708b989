"""Synthetic identity documents drawn in code: the ground truth of the document OCR tests and
benchmarks.

No public specimen exists with known values for most document types the manuals read (the
permits, the licences, the foreigner's card; ../shared/data/MANIFEST.md says so), so they are
drawn here: each template lays out the labels and values of its document as the real one
prints them (not pixel-exact), in Noto Sans CJK from Debian's fonts-noto-cjk, with a portrait
from ../shared/data/faces where the document has one. Every number is generated with a valid
check and, in the `invalid` variant, with a wrong one; a phone-photo variant adds perspective,
shadow, blur and JPEG. The generator is the source of truth: `Specimen.truth` is what a reader
must return.

    python -m specimens OUT_DIR [--faces ../shared/data/faces] [--seed 1]
"""

from specimens.documents import KINDS, Specimen, make_specimen
from specimens.photo import photographed

__all__ = ["KINDS", "Specimen", "make_specimen", "photographed"]
