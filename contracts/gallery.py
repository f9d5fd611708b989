"""Feature databases (collections of embeddings) and the hits of a 1:N search.

SenseTime's feature databases (seed 000 ch. 3) and Yitu's repos (seed 001 §9.3) are the same
thing: a named, size-limited set of embeddings, each with an external key, a remark and an image
reference. A namespace keeps each facade's collections apart (`"sensetime"`, `"yitu:1"` for
Yitu's label 1), so the same name can live in both without meeting.

A collection holds embeddings of one model version. It is bound to that version when it is
created with `model`, or else by its first insert; the binding (with the vector dimension) never
changes afterwards, even when the collection is emptied, so an embedding of another version is
refused (`model_mismatch`) rather than compared.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from contracts.embeddings import Embedding

NAME_MAX = 128


class CollectionSpec(BaseModel):
    """What a caller asks for when it creates a collection."""

    model_config = ConfigDict(frozen=True)

    namespace: str = Field(min_length=1, max_length=NAME_MAX)
    name: str = Field(min_length=1, max_length=NAME_MAX)
    max_size: int = Field(gt=0, description="most items the collection may hold")
    metadata: dict[str, JsonValue] = Field(default_factory=dict)
    model: str | None = Field(None, description="bind a model version now, not at first insert")


class CollectionInfo(BaseModel):
    """A collection as it stands: its spec, its binding and how many items it holds."""

    model_config = ConfigDict(frozen=True)

    namespace: str
    name: str
    max_size: int
    metadata: dict[str, JsonValue]
    model: str | None = Field(description="None until bound by the spec or the first insert")
    dim: int | None = Field(description="vector length; None until the first insert")
    size: int


class NewItem(BaseModel):
    """One embedding to store, with what the caller wants back from a search."""

    model_config = ConfigDict(frozen=True)

    embedding: Embedding
    external_id: str | None = Field(None, description="the caller's key (externalUuid, user_id)")
    remark: str | None = Field(None, description="kept verbatim; the manuals put JSON here")
    image_ref: str | None = Field(None, description="where the source image is kept")
    owns_image: bool = Field(
        False, description="the service made the image at image_ref and removes it with the item"
    )


class ItemPatch(BaseModel):
    """Changes to an item: only the fields given are changed, and None given clears a field.

    Which fields were given is pydantic's `model_fields_set`, so `ItemPatch(remark=None)` clears
    the remark while `ItemPatch()` changes nothing.
    """

    model_config = ConfigDict(frozen=True)

    embedding: Embedding | None = None
    external_id: str | None = None
    remark: str | None = None
    image_ref: str | None = None
    owns_image: bool = False


class GalleryItem(BaseModel):
    """A stored item; `item_id` is assigned by the gallery and never changes."""

    model_config = ConfigDict(frozen=True)

    item_id: str
    namespace: str
    collection: str
    embedding: Embedding
    external_id: str | None = None
    remark: str | None = None
    image_ref: str | None = None
    owns_image: bool = False  # a caller's image_ref, even one naming a kept file, is False


class SearchHit(BaseModel):
    """One result of a 1:N search; `score` is the cosine similarity to the query."""

    model_config = ConfigDict(frozen=True)

    namespace: str
    collection: str
    item_id: str
    score: float
    external_id: str | None = None
    remark: str | None = None
    image_ref: str | None = None
