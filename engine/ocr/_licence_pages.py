"""Which page of a driving or vehicle licence was read: the main page or the second (副页).

Both licences are booklets whose pages are photographed apart, and a client sends either page
to the same API (SenseTime's `resultType` 1 or 2). Their layouts (engine.ocr._layouts) hold
the labels of both pages, so one reading parses whichever page is shown; the fields found say
which it was. Each page prints some fields the other does not (the main page's dates, class or
vehicle particulars; the second page's file number, masses and records); the ones both print
(the number and name of the driving licence, the vehicle's plate, the barcode) say nothing.
A reading with more of the second page's own fields than of the main page's is the second;
it must name its holder or vehicle as every second page does (the driving licence's number or
name, the vehicle's plate), else it is not this licence: the vehicle licence's second page
prints 档案编号 and 检验记录 (记录) and a stamp "检验有效期至…" close to 有效期限, three of
the driving licence's labels.
"""

from __future__ import annotations

from contracts.documents import Document, DocumentScan, DocumentType
from contracts.images import DecodedImage
from engine.ocr import _reading

MAIN_FIELDS = {
    DocumentType.driving_licence: frozenset(
        {"sex", "nationality", "address", "birth", "first_issue_date", "class", "valid"}
    ),
    DocumentType.vehicle_licence: frozenset(
        {"vehicle_type", "owner", "address", "use_character", "model", "vin", "engine_number",
         "register_date", "issue_date"}
    ),
}  # fmt: skip
SECOND_FIELDS = {
    DocumentType.driving_licence: frozenset({"file_number", "record"}),
    DocumentType.vehicle_licence: frozenset(
        {"file_number", "passengers", "gross_mass", "unladen_mass", "approved_load",
         "dimensions", "traction_mass", "comment", "inspection_record"}
    ),
}  # fmt: skip
NAMED_BY = {
    DocumentType.driving_licence: frozenset({"id_number", "name"}),
    DocumentType.vehicle_licence: frozenset({"plate_number"}),
}


def scan_documents(image: DecodedImage, kind: DocumentType) -> DocumentScan:
    """Every document of `kind` in the image (engine.ocr._reading), a licence's page told."""
    scan = _reading.scan_documents(image, kind)
    if kind not in MAIN_FIELDS:
        return scan
    documents = (paged(document) for document in scan.documents)
    kept = tuple(d for d in documents if d.page == 1 or NAMED_BY[kind] & d.fields.keys())
    return scan.model_copy(update={"documents": kept})


def read_document(image: DecodedImage, kind: DocumentType) -> Document | None:
    """The first document of `kind` in the image, or None."""
    scan = scan_documents(image, kind)
    return scan.documents[0] if scan.documents else None


def paged(document: Document) -> Document:
    """The licence with `page` 2 where its fields are the second page's."""
    main = len(MAIN_FIELDS[document.type] & document.fields.keys())
    second = len(SECOND_FIELDS[document.type] & document.fields.keys())
    return document.model_copy(update={"page": 2 if second > main else 1})
