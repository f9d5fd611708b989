"""What can be read off a face besides who it is: age, gender, and whether a mask covers it.

Age groups follow the PRC's legal definitions, which is what a Chinese client means by 儿童 and
老人: a child is under 14 (Criminal Law art. 17 and the Law on the Protection of Minors use
"不满十四周岁" for 儿童), an elderly person is 60 or older (Law on the Protection of the
Rights and Interests of the Elderly, art. 2: "六十周岁以上"). Confidences are probabilities in
[0, 1]; facades rescale them to their vendor's range.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from contracts.faces import Detection
from contracts.images import DecodedImage

CHILD_BELOW = 14.0  # years
ELDERLY_FROM = 60.0  # years


class AgeGroup(StrEnum):
    child = "child"
    adult = "adult"
    elderly = "elderly"

    @classmethod
    def of(cls, years: float) -> AgeGroup:
        if years < CHILD_BELOW:
            return cls.child
        return cls.elderly if years >= ELDERLY_FROM else cls.adult


class Gender(StrEnum):
    female = "female"
    male = "male"


class Mask(StrEnum):
    absent = "absent"
    worn = "worn"
    undetermined = "undetermined"  # the lower face is out of the image or too small to judge


class FaceAttributes(BaseModel):
    """Age, gender and mask of one face."""

    model_config = ConfigDict(frozen=True)

    age: float = Field(description="expected age in years")
    age_group: AgeGroup = Field(description="the group of `age`")
    age_group_confidence: float = Field(
        ge=0.0, le=1.0, description="probability that the age falls in `age_group`"
    )
    gender: Gender
    gender_confidence: float = Field(ge=0.0, le=1.0)
    mask: Mask
    mask_score: float = Field(ge=0.0, le=1.0, description="1 = surely masked, 0 = surely bare")


@dataclass(frozen=True, eq=False)
class AttributedFaces:
    """A decoded image, its faces, and each face's attributes (in the detection's order):
    what "detect with attributes" returns in one call."""

    image: DecodedImage
    detection: Detection
    attributes: tuple[FaceAttributes, ...]
