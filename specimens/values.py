"""Fictional field values for the synthetic documents, with numbers whose checks are computed
by the standards' own rules (python-stdnum, mrz, engine.ocr._checksums) and, for the invalid
variant, deliberately broken."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from stdnum import luhn
from stdnum.cn import uscc

from engine.ocr._checksums import (
    hkid_check,
    mod_11_2_check,
    organisation_code_check,
    vin_check,
)

# (Chinese name, pinyin as a passport prints it, sex): invented people
PEOPLE = (
    ("王建国", "WANG JIANGUO", "男"),
    ("李晓燕", "LI XIAOYAN", "女"),
    ("陈志明", "CHEN ZHIMING", "男"),
    ("刘芳", "LIU FANG", "女"),
    ("张伟", "ZHANG WEI", "男"),
    ("赵丽华", "ZHAO LIHUA", "女"),
    ("周文斌", "ZHOU WENBIN", "男"),
    ("黄淑芬", "HUANG SHUFEN", "女"),
)
ADDRESSES = (
    "北京市海淀区中关村南大街27号",
    "上海市浦东新区世纪大道100号",
    "广东省深圳市南山区科技园路8号",
    "浙江省杭州市西湖区文三路90号",
    "四川省成都市武侯区人民南路四段12号",
)
REGIONS = ("110108", "310115", "440305", "330106", "510107")


@dataclass(frozen=True)
class Person:
    name: str
    latin: str  # SURNAME GIVEN
    sex: str
    birth: date

    @property
    def surname(self) -> str:
        return self.latin.split()[0]

    @property
    def given(self) -> str:
        return " ".join(self.latin.split()[1:])


def person(rng: random.Random) -> Person:
    name, latin, sex = rng.choice(PEOPLE)
    birth = date(1960, 1, 1) + timedelta(days=rng.randrange(40 * 365))
    return Person(name, latin, sex, birth)


def later(rng: random.Random, start: date, years: tuple[int, int]) -> date:
    return start + timedelta(days=rng.randrange(years[0] * 365, years[1] * 365))


def broken(check: str, alphabet: str = "0123456789") -> str:
    """A check character other than `check`."""
    return alphabet[(alphabet.index(check) + 3) % len(alphabet)] if check in alphabet else "0"


def citizen_number(rng: random.Random, who: Person, region: str, *, valid: bool) -> str:
    """A GB 11643 number for `who` in `region` (81/82/83 for the residence permits)."""
    sequence = rng.randrange(0, 50) * 2 + (1 if who.sex == "男" else 0)
    body = f"{region}{who.birth:%Y%m%d}{sequence:03d}"
    check = mod_11_2_check(body)
    return body + (check if valid else broken(check, "0123456789X"))


def card_number(rng: random.Random, bin_: str, length: int, *, valid: bool) -> str:
    body = bin_ + "".join(str(rng.randrange(10)) for _ in range(length - len(bin_) - 1))
    check = luhn.calc_check_digit(body)
    return body + (check if valid else broken(check))


def hkid(rng: random.Random, *, valid: bool) -> str:
    prefix = rng.choice("ACDEGKPRVZ")
    digits = "".join(str(rng.randrange(10)) for _ in range(6))
    check = hkid_check(prefix, digits)
    return f"{prefix}{digits}({check if valid else broken(check, '0123456789A')})"


def vin(rng: random.Random, *, valid: bool) -> str:
    allowed = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    wmi = rng.choice(("LGB", "LSV", "LFV", "LHG", "LVS"))
    chars = wmi + "".join(rng.choice(allowed) for _ in range(14))
    check = vin_check(chars)
    return chars[:8] + (check if valid else broken(check, "0123456789X")) + chars[9:]


def organisation_code(rng: random.Random, *, valid: bool) -> str:
    body = "".join(rng.choice("0123456789") for _ in range(8))
    check = organisation_code_check(body)
    return f"{body}-{check if valid else broken(check, '0123456789X')}"


def credit_code(rng: random.Random, *, valid: bool) -> str:
    """A unified social credit code: 91 (enterprise), a region, an organisation code, a check."""
    org = organisation_code(rng, valid=True).replace("-", "")
    body = "91" + rng.choice(REGIONS) + org
    check = uscc.calc_check_digit(body)
    return body + (check if valid else broken(check, "0123456789ABCDEFGHJKLMNPQRTUWXY"))
