"""Image processing on faces and documents: de-reticulation, annotated images, face regions,
and the live face and card portrait of a photo of someone holding their ID card."""

from engine.imaging._annotate import mark_faces
from engine.imaging._dereticulate import remove_mesh
from engine.imaging._holding import holder_and_portrait
from engine.imaging._regions import face_region

__all__ = ["face_region", "holder_and_portrait", "mark_faces", "remove_mesh"]
