"""Text read from images, and identity documents parsed from it.

Every position is in the frame of the image the caller sent (the manuals return positions "on
the original image"), as a quadrilateral because cards are photographed at an angle; `box` gives
the axis-aligned rectangle that most wire formats want. `rotation` says how the input had to be
turned to read it: clockwise degrees, the same sense as `faces.Detection.rotation` × 90.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from contracts.faces import Box, Point


class Quad(BaseModel):
    """Four corners in the input image: top-left, top-right, bottom-right, bottom-left of the
    upright content (so after a 180° turn the first point is the input's bottom-right)."""

    model_config = ConfigDict(frozen=True)

    points: tuple[Point, Point, Point, Point]

    @property
    def box(self) -> Box:
        xs = [p.x for p in self.points]
        ys = [p.y for p in self.points]
        return Box(left=min(xs), top=min(ys), right=max(xs), bottom=max(ys))


class TextLine(BaseModel):
    """One line of text as the recogniser read it; `score` is its mean character confidence."""

    model_config = ConfigDict(frozen=True)

    text: str
    score: float
    quad: Quad


class OcrPage(BaseModel):
    """All text lines of an image, in reading order of the upright page."""

    model_config = ConfigDict(frozen=True)

    lines: tuple[TextLine, ...]
    rotation: int = Field(0, description="clockwise degrees (0, 90, 180, 270) to read it upright")
    width: int
    height: int

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class TextField(BaseModel):
    """One parsed value. `valid` is False where the value was read but fails its own rules (a
    date that does not exist, a nation that is not one of the 56, a malformed number): it is
    reported as printed, never replaced by a guess."""

    model_config = ConfigDict(frozen=True)

    name: str
    value: str
    score: float
    quad: Quad | None = None
    valid: bool = True

    @property
    def box(self) -> Box | None:
        return self.quad.box if self.quad is not None else None


class CardSide(StrEnum):
    """Which face of which card: the portrait side (人像面), the emblem side (国徽面), or the
    one-sided temporary card (临时居民身份证) that carries both sets of fields."""

    front = "front"
    back = "back"
    temporary = "temporary"


class DocumentKind(StrEnum):
    """What an image holds, for callers that must say "this is not an ID card"."""

    id_card = "id_card"
    other_card = "other_card"  # a card or document with text, but not a resident ID card
    none = "none"  # no document found


class IdNumberCheck(StrEnum):
    """GB 11643-1999 checks of a citizen id number, and its agreement with the printed fields.

    The first failing rule wins, in the order listed; the number itself is always reported as
    read, so a bad check digit is flagged and never corrected.
    """

    valid = "valid"
    missing = "missing"  # no number was read
    bad_format = "bad_format"  # not 17 digits followed by a digit or X
    bad_check_digit = "bad_check_digit"  # the ISO 7064 MOD 11-2 digit does not match
    bad_region = "bad_region"  # the first two digits name no province-level division
    bad_birth_date = "bad_birth_date"  # digits 7-14 are not a possible date of birth
    birth_mismatch = "birth_mismatch"  # well-formed, but the printed birth date differs
    sex_mismatch = "sex_mismatch"  # well-formed, but the printed sex differs
    birth_and_sex_mismatch = "birth_and_sex_mismatch"


class CardQuality(BaseModel):
    """Image analysis of one card, each in [0, 1] where larger means more of the problem
    (the orientation of SenseTime's quality scores, seed 000 §6.3); `normal` is the opposite of
    the worst of them. docs/ocr.md says how each is measured and what it cannot see."""

    model_config = ConfigDict(frozen=True)

    blur: float
    crop: float  # part of the card outside the image, or cut off
    occlusion: float  # expected fields missing or unreadable
    strong_light: float  # glare or over-exposure on the card
    weak_light: float  # under-exposure

    @property
    def normal(self) -> float:
        return 1.0 - max(self.blur, self.crop, self.occlusion, self.strong_light, self.weak_light)


class CardSource(StrEnum):
    """Where a card image came from (SenseTime seed 000 §6.2, Waiqin risk_type)."""

    normal = "normal"  # a photo or scan of the card itself
    copy = "copy"  # a greyscale photocopy
    screen = "screen"  # a photo of a screen showing the card
    edited = "edited"  # saved by image-editing software
    temporary = "temporary"  # a temporary resident ID card


class SourceAssessment(BaseModel):
    """The most likely source, a score in [0, 1] for each, and the editing tool named in the
    file's metadata where there was one."""

    model_config = ConfigDict(frozen=True)

    source: CardSource
    scores: dict[CardSource, float]
    edit_tool: str | None = None


class IdCard(BaseModel):
    """One side of a mainland resident ID card, read and checked.

    `fields` uses canonical names: name, sex, nation, birth (YYYY-MM-DD), birth_year,
    birth_month, birth_day (as printed), address, id_number on the front; authority, validity
    (as printed, `YYYY.MM.DD-YYYY.MM.DD` or `…-长期`), valid_from (YYYY-MM-DD), valid_to
    (YYYY-MM-DD or 长期) on the back; all of them on a temporary card. Fields that could not be
    read are absent.
    """

    model_config = ConfigDict(frozen=True)

    side: CardSide
    fields: dict[str, TextField]
    id_number_check: IdNumberCheck | None = None  # None on the back, which has no number
    rotation: int = 0
    card: Quad
    card_detected: bool  # False when no card edge was found and the whole image was read
    card_jpeg: bytes  # the card, upright and perspective-corrected
    portrait: Quad | None = None  # the printed photo, where it was asked for
    portrait_jpeg: bytes | None = None
    quality: CardQuality
    source: SourceAssessment

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found.value if found is not None else None


class IdCardScan(BaseModel):
    """Everything found in one image: what it is, each ID card side read from it (an image of
    a photocopy can hold both sides), and the quality of the main view, which says why no card
    was read where none was (too blurred, too dark)."""

    model_config = ConfigDict(frozen=True)

    kind: DocumentKind
    cards: tuple[IdCard, ...] = ()
    quality: CardQuality


class DocumentType(StrEnum):
    """The identity and business documents read besides the resident ID card."""

    bank_card = "bank_card"  # 银行卡
    hk_id = "hk_id"  # 香港永久性居民身份证
    macao_id = "macao_id"  # 澳门永久性居民身份证
    hk_macao_residence = "hk_macao_residence"  # 港澳居民居住证
    taiwan_residence = "taiwan_residence"  # 台湾居民居住证
    hk_macao_travel = "hk_macao_travel"  # 港澳居民来往内地通行证
    taiwan_travel = "taiwan_travel"  # 台湾居民来往大陆通行证
    exit_entry_hk_macao = "exit_entry_hk_macao"  # 往来港澳通行证
    exit_entry_taiwan = "exit_entry_taiwan"  # 大陆居民往来台湾通行证
    foreign_permanent = "foreign_permanent"  # 外国人永久居留身份证, 2017 and 2023
    driving_licence = "driving_licence"  # 机动车驾驶证
    vehicle_licence = "vehicle_licence"  # 机动车行驶证
    business_licence = "business_licence"  # 营业执照
    organisation_code = "organisation_code"  # 组织机构代码证
    bank_account = "bank_account"  # 开户许可证
    passport = "passport"  # any ICAO 9303 machine-readable document: TD3, TD2, TD1


class Document(BaseModel):
    """One document read and checked.

    `fields` uses each type's canonical names (docs/ocr.md lists them), every value as printed
    except dates (YYYY-MM-DD); `checks` holds, for each number that has check digits, whether
    they hold (a failed check is reported, never corrected: the field keeps the printed value
    with `valid: false`). `page` is the side read (1 front or data page, 2 back). `outline`
    and `crop_jpeg` are the document (or the whole image where no outline was found) and its
    upright, perspective-corrected view.
    """

    model_config = ConfigDict(frozen=True)

    type: DocumentType
    fields: dict[str, TextField]
    checks: dict[str, bool] = {}
    page: int = 1
    rotation: int = 0
    outline: Quad
    outline_detected: bool
    crop_jpeg: bytes

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found.value if found is not None else None


class DocumentScan(BaseModel):
    """The documents of one type found in an image, and what the image holds otherwise:
    `lines` is the number of text lines read, so that a caller can tell "no text" (0) from
    "some other document"."""

    model_config = ConfigDict(frozen=True)

    type: DocumentType
    documents: tuple[Document, ...] = ()
    lines: int = 0
