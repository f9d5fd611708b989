"""Image processing on faces and documents: de-reticulation and the family of a mesh,
annotated images, face regions, the live face and card portrait of a photo of someone holding
their ID card, the keyed watermark, and face-swap evidence."""

from engine.imaging._annotate import mark_faces
from engine.imaging._defake import Evidence
from engine.imaging._defake import examine as examine_swap
from engine.imaging._dereticulate import remove_mesh
from engine.imaging._holding import holder_and_portrait
from engine.imaging._mesh_family import MeshFamily, mesh_family
from engine.imaging._regions import face_region
from engine.imaging._watermark import Reading, watermark_secrets
from engine.imaging._watermark import embed as embed_watermark
from engine.imaging._watermark import read as read_watermark

__all__ = [
    "Evidence",
    "MeshFamily",
    "Reading",
    "embed_watermark",
    "examine_swap",
    "face_region",
    "holder_and_portrait",
    "mark_faces",
    "mesh_family",
    "read_watermark",
    "remove_mesh",
    "watermark_secrets",
]
