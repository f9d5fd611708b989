"""SenseTime's feature databases kept in the vendor-neutral gallery (seed 000 chapter 3).

A database is a gallery collection in the `sensetime` namespace, named by its dbId, which is its
dbName (§3.1's example answers dbId "TEST13" for dbName "TEST13"; §3.3 holds ids to the name
rule). The gallery binds it to the model version of its first feature and refuses any other
version from then on, so features are never compared across models. A feature is a gallery item,
its featureId the id the gallery assigns.

Features inserted by image keep that image under the data directory, and the feature's `image`
names it (§3.5.1 "特征值对应图片在服务器上的路径"); the image goes when its feature or database
goes, so deleting a person's feature deletes their photo. Each item records whether the service
made its image (`owns_image`); paths a caller gave (`imageUrl`, a bulkImport file, see bulk.py)
are theirs and are never touched, even when they name a photo kept for another item.

Every method blocks (SQL, the index, the face model): call them in the inference pool. Each
write is whole or nothing: a refused insert leaves neither an item nor a kept image behind.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import structlog

from contracts.embeddings import Embedding
from contracts.errors import ErrorKind, IdfError
from contracts.gallery import (
    CollectionInfo,
    CollectionSpec,
    GalleryItem,
    ItemPatch,
    NewItem,
    SearchHit,
)
from engine.gallery import Gallery
from engine.media import encode_image
from vendors.common.outputs import keep_bytes
from vendors.common.services import Services
from vendors.sensetime.context import FaceImage, FaceSubject, embedding_of

log = structlog.get_logger("idfacade.sensetime")

SERVICE = "ssid-feature"
NAMESPACE = "sensetime"
IMAGES = Path("images") / "feature"  # kept images, below the data directory


def largest(found: FaceImage) -> FaceSubject:
    """The face chapter 3 works on: "若传入图片为多人脸，取最大脸" (§3.4.1, §3.5.1)."""
    return max(found.subjects, key=lambda s: s.face.box.area)


OWNER = "owner"  # collection metadata: the account that created the database


@dataclass(frozen=True)
class FeatureDbs:
    """The databases one caller may use. In account mode a database belongs to the account
    that created it (`owner`): another account is told it does not exist, as if it did not.
    `owner` None sees every database (open mode, or an admin account)."""

    gallery: Gallery
    images: Path
    owner: str | None = None

    @classmethod
    def of(cls, services: Services, owner: str | None = None) -> FeatureDbs:
        return cls(services.gallery, (services.data_dir / IMAGES).resolve(), owner)

    # databases

    def create(self, name: str, max_size: int, metadata: dict[str, str]) -> CollectionInfo:
        if self.owner is not None:
            metadata = metadata | {OWNER: self.owner}
        spec = CollectionSpec(namespace=NAMESPACE, name=name, max_size=max_size, metadata=metadata)
        try:
            return self.gallery.create_collection(spec)
        except IdfError as exc:
            if exc.kind is ErrorKind.already_exists:
                raise IdfError(ErrorKind.already_exists, f"dbName {name}", field="dbName") from exc
            raise

    def info(self, name: str) -> CollectionInfo:
        """The database, or "[ssid-feature]dbId X is not exist" (63040502)."""
        try:
            info = self.gallery.collection(NAMESPACE, name)
        except IdfError as exc:
            if exc.kind is ErrorKind.not_found:
                raise IdfError(ErrorKind.not_found, f"dbId {name}", field="dbId") from exc
            raise
        if self.owner is not None and info.metadata.get(OWNER) != self.owner:
            raise IdfError(ErrorKind.not_found, f"dbId {name}", field="dbId")
        return info

    def drop(self, name: str) -> None:
        self.info(name)
        self.gallery.delete_collection(NAMESPACE, name)
        shutil.rmtree(self.images / name, ignore_errors=True)

    # features

    def get(self, name: str, feature_id: str) -> tuple[CollectionInfo, GalleryItem]:
        """A feature and its database, or "featureId X is not exist" (63040502)."""
        info = self.info(name)
        try:
            return info, self.gallery.get(NAMESPACE, name, feature_id)
        except IdfError as exc:
            if exc.kind is ErrorKind.not_found:
                raise IdfError(
                    ErrorKind.not_found, f"featureId {feature_id}", field="featureId"
                ) from exc
            raise

    def insert(self, name: str, item: NewItem) -> GalleryItem:
        self.info(name)
        return self.gallery.insert(NAMESPACE, name, item)

    def insert_image(self, name: str, found: FaceImage, **fields: str | None) -> GalleryItem:
        """Insert the largest selected face of `found`; `fields` are external_id and remark."""
        self.info(name)
        embedding, ref = self._embed_and_keep(name, found)
        try:
            item = NewItem(embedding=embedding, image_ref=ref, owns_image=True, **fields)
            return self.insert(name, item)
        except BaseException:
            self._discard(ref)
            raise

    def update(self, name: str, feature_id: str, patch: ItemPatch) -> GalleryItem:
        """Change what the patch names; an image the feature no longer names goes."""
        _, old = self.get(name, feature_id)
        given = patch.model_fields_set
        if "image_ref" in given and "owns_image" not in given:
            patch = patch.model_copy(update={"owns_image": False})  # the caller's path
        new = self.gallery.update(NAMESPACE, name, feature_id, patch)
        if old.owns_image and old.image_ref != new.image_ref:
            self._discard(old.image_ref)
        return new

    def update_image(
        self, name: str, feature_id: str, found: FaceImage, **fields: str | None
    ) -> GalleryItem:
        """Replace a feature by the largest selected face of `found`, and its image."""
        self.get(name, feature_id)
        embedding, ref = self._embed_and_keep(name, found)
        try:
            patch = ItemPatch(embedding=embedding, image_ref=ref, owns_image=True, **fields)
            return self.update(name, feature_id, patch)
        except BaseException:
            self._discard(ref)
            raise

    def delete(self, name: str, feature_ids: Sequence[str]) -> dict[str, bool]:
        """Per featureId, whether it was deleted; ids not in the database are not an error."""
        self.info(name)
        kept = self.items(name, feature_ids)
        deleted = self.gallery.delete(NAMESPACE, name, feature_ids)
        for feature_id, item in kept.items():
            if deleted[feature_id] and item.owns_image:
                self._discard(item.image_ref)
        return deleted

    def items(self, name: str, feature_ids: Sequence[str]) -> dict[str, GalleryItem]:
        """The features among `feature_ids` that exist, by featureId."""
        found = {}
        for feature_id in dict.fromkeys(feature_ids):
            try:
                found[feature_id] = self.gallery.get(NAMESPACE, name, feature_id)
            except IdfError as exc:
                if exc.kind is not ErrorKind.not_found:
                    raise
        return found

    def search(
        self, name: str, query: Embedding, count: int
    ) -> tuple[CollectionInfo, list[SearchHit]]:
        info = self.info(name)
        return info, self.gallery.search(NAMESPACE, query, collections=[name], top_k=count)

    # kept images

    def _embed_and_keep(self, name: str, found: FaceImage) -> tuple[Embedding, str]:
        subject = largest(found)
        embedding = embedding_of(subject)
        jpeg = encode_image(found.upright or subject.image, "jpeg")
        return embedding, str(keep_bytes(self.images / name, jpeg, "jpg"))

    def _discard(self, ref: str | None) -> None:
        """Delete an image this service kept; a caller's own file is never touched."""
        if ref is not None and Path(ref).resolve().is_relative_to(self.images):
            Path(ref).resolve().unlink(missing_ok=True)
