"""ID-card reading as every facade starts it, and the date form the manuals print.

Each vendor names and places the fields its own way (SenseTime `idInfos`, Yitu
`idcard_ocr_result`, Waiqin's Chinese keys); what they share is the call that turns an input
into a scan, with the file's own bytes so that its metadata can name an editing tool, and the
compact `YYYYMMDD` dates that Yitu and Waiqin print.
"""

from __future__ import annotations

from contracts.documents import DocumentScan, DocumentType, IdCardScan
from contracts.images import DecodedImage, ImageInput
from engine import ocr
from engine.media import decode_image


def read_cards(image: ImageInput, *, portrait: bool = False) -> tuple[DecodedImage, IdCardScan]:
    """Decode the input and read every ID card side in it (blocking: run it in the pool).

    `portrait` asks for the printed photo's crop and position (it runs the face detector).
    """
    decoded = decode_image(image)
    return decoded, ocr.scan_id_cards(decoded, portrait=portrait, data=image.data)


def read_documents(image: ImageInput, kind: DocumentType) -> tuple[DecodedImage, DocumentScan]:
    """Decode the input and read every document of `kind` in it (blocking: run it in the pool)."""
    decoded = decode_image(image)
    return decoded, ocr.scan_documents(decoded, kind)


def compact_date(value: str) -> str:
    """A canonical `YYYY-MM-DD` as `YYYYMMDD` (Yitu's birthday and validity dates, Waiqin's
    出生, 签发日期, 失效日期); `长期` (no end date) stays as it is."""
    return value.replace("-", "")
