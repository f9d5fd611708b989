"""The synthetic document templates: each draws its document's titles, labels and values where
the real one prints them (approximately), and says what a reader must return.

`truth` uses engine.ocr's canonical field names and forms (dates YYYY-MM-DD, validity periods
as printed with `-` between the dates); `checks` says, for each checked number, whether its
check digits hold, computed by the standards' rules when the value was drawn.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from mrz.checker.td1 import TD1CodeChecker
from mrz.checker.td2 import TD2CodeChecker
from mrz.checker.td3 import TD3CodeChecker
from mrz.generator.td1 import TD1CodeGenerator
from mrz.generator.td2 import TD2CodeGenerator
from mrz.generator.td3 import TD3CodeGenerator

from engine.ocr._bins import ISSUERS
from specimens import values as v
from specimens.sheet import OCRB_ADVANCE, Rule, Sheet, render

CARD = (856, 540)
LABEL = (60, 60, 60)
NAVY = (20, 40, 90)
STAMP = (200, 35, 35)
INK = (25, 25, 25)


@dataclass
class Specimen:
    kind: str  # the template
    type: str  # engine.ocr's DocumentType value
    image: np.ndarray
    truth: dict[str, str]
    checks: dict[str, bool] = field(default_factory=dict)
    page: int = 1


Template = Callable[[random.Random, bool], tuple[Sheet, dict[str, str], dict[str, bool], int]]


def _dotted(day: date) -> str:
    return f"{day:%Y.%m.%d}"


def _card(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Sheet:
    return Sheet(CARD[0], CARD[1], top, bottom)


def _pairs(sheet: Sheet, y: int, pairs: list[tuple[int, str, str]], size: int = 26) -> None:
    """Label-value pairs on one row: (x, label, value); the value follows its label."""
    for x, label, value in pairs:
        sheet.add(x, y + 2, label, size - 4, colour=LABEL)
        sheet.add(x + (size - 4) * len(label) + 14, y, value, size)


def bank_card(rng: random.Random, valid: bool) -> tuple:
    bin_ = rng.choice(sorted(ISSUERS))
    issuer = ISSUERS[bin_]
    number = v.card_number(rng, bin_, rng.choice((16, 19)), valid=valid)
    who = v.person(rng)
    month, year = rng.randrange(1, 13), rng.randrange(26, 34)
    sheet = _card((150, 40, 40) if bin_ < "622" else (40, 70, 140), (90, 20, 30))
    white = (245, 245, 245)
    sheet.add(50, 40, issuer.bank, 40, bold=True, colour=white)
    sheet.add(50, 100, issuer.product, 26, colour=white)
    groups = [number[i : i + 4] for i in range(0, 16, 4)] + (
        [number[16:]] if len(number) > 16 else []
    )
    sheet.add(50, 290, " ".join(groups), 44, face="mono", colour=white)
    sheet.add(330, 365, "VALID THRU", 18, colour=white)
    sheet.add(470, 356, f"{month:02d}/{year:02d}", 30, face="mono", colour=white)
    sheet.add(50, 440, who.latin, 30, colour=white)
    sheet.add(650, 440, "银联", 30, bold=True, colour=white)
    sheet.add(650, 480, "UnionPay", 22, bold=True, colour=white)
    truth = {
        "card_number": number,
        "expiry": f"{month:02d}/{year:02d}",
        "holder": who.latin,
        "bank_name": issuer.bank,
        "card_name": issuer.product,
        "issuer_code": issuer.code,
        "card_type": issuer.kind,
    }
    return sheet, truth, {"card_number": valid}, 1


def hk_id(rng: random.Random, valid: bool) -> tuple:
    who = v.person(rng)
    number = v.hkid(rng, valid=valid)
    code = " ".join(f"{rng.randrange(10000):04d}" for _ in who.name)
    issued = v.later(rng, who.birth, (18, 30))
    registered = v.later(rng, who.birth, (0, 10))
    sheet = _card((225, 215, 235), (245, 225, 215))
    sheet.add(40, 24, "香港永久性居民身份證", 34, face="tc", bold=True, colour=NAVY)
    sheet.add(40, 70, "HONG KONG PERMANENT IDENTITY CARD", 22, colour=NAVY)
    sheet.add(40, 120, who.name, 38, face="tc")
    surname, given = who.surname, who.given.title().replace(" ", " ")
    sheet.add(40, 175, f"{surname}, {given}", 28)
    sheet.add(40, 220, code, 28, face="mono")
    sheet.add(40, 272, "出生日期 Date of Birth", 20, face="tc", colour=LABEL)
    sheet.add(40, 300, f"{who.birth:%d-%m-%Y}", 28)
    sheet.add(300, 300, f"{who.sex} {'M' if who.sex == '男' else 'F'}", 28, face="tc")
    sheet.add(40, 352, "***AZ", 28)
    sheet.add(40, 400, f"({registered:%m-%y})", 26)
    sheet.add(40, 446, f"{issued:%d-%m-%y}", 26)
    sheet.add(560, 470, number, 34)
    sheet.portrait = (580, 120, 800, 400)
    truth = {
        "name": who.name,
        "name_en": f"{surname}, {given}",
        "name_code": code,
        "birth": who.birth.isoformat(),
        "sex": who.sex,
        "symbols": "***AZ",
        "registration_date": f"{registered:%Y-%m}",
        "issue_date": issued.isoformat(),
        "id_number": number,
    }
    return sheet, truth, {"id_number": valid}, 1


def macao_id(rng: random.Random, valid: bool) -> tuple:
    who = v.person(rng)
    digits = "".join(str(rng.randrange(10)) for _ in range(7))
    number = f"{'157'[rng.randrange(3)]}{digits[1:]}({rng.randrange(10)})"
    first = v.later(rng, who.birth, (18, 25))
    current = v.later(rng, first, (5, 10))
    expires = date(current.year + 10, current.month, min(current.day, 28))
    height = f"1,{rng.randrange(50, 90)}"
    sheet = _card((220, 235, 225), (235, 240, 215))
    sheet.add(40, 20, "澳門特別行政區永久性居民身份證", 30, face="tc", bold=True, colour=NAVY)
    _pairs(sheet, 80, [(40, "姓名/Nome", who.name)])
    sheet.add(40, 124, f"{who.surname}, {who.given}", 24)
    _pairs(sheet, 170, [(40, "出生日期", _dotted_dash(who.birth)), (380, "性別", who.sex)])
    _pairs(sheet, 216, [(40, "身高", height)])
    _pairs(sheet, 262, [(40, "首次發證", _dotted_dash(first))])
    _pairs(sheet, 308, [(40, "本次發證", _dotted_dash(current))])
    _pairs(sheet, 354, [(40, "有效期至", _dotted_dash(expires))])
    sheet.add(40, 440, number, 36)
    sheet.portrait = (600, 90, 810, 370)
    surname, given = (who.name[:1], who.name[1:])
    truth = {
        "name": who.name,
        "surname": surname,
        "given_name": given,
        "birth": who.birth.isoformat(),
        "sex": who.sex,
        "height": height,
        "first_issue_date": first.isoformat(),
        "issue_date": current.isoformat(),
        "valid_to": expires.isoformat(),
        "id_number": number,
    }
    return sheet, truth, {}, 1


def _dotted_dash(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def _residence(title: str, region: str, pass_prefix: str) -> Template:
    """港澳 / 台湾居民居住证: a front like the resident ID card's, a back with the pass number."""

    def draw(rng: random.Random, valid: bool, back: bool = False) -> tuple:
        who = v.person(rng)
        number = v.citizen_number(rng, who, region, valid=valid)
        start = v.later(rng, date(2018, 9, 1), (0, 5))
        end = date(start.year + 5, start.month, start.day)
        pass_number = pass_prefix + "".join(str(rng.randrange(10)) for _ in range(8))
        sheet = _card((235, 238, 245), (240, 232, 225))
        if not back:
            _pairs(sheet, 50, [(50, "姓名", who.name)], 30)
            _pairs(sheet, 110, [(50, "性别", who.sex)], 30)
            birth = f"{who.birth.year}年{who.birth.month}月{who.birth.day}日"
            _pairs(sheet, 170, [(50, "出生", birth)], 30)
            address = rng.choice(v.ADDRESSES)
            _pairs(sheet, 230, [(50, "住址", address[:13])], 30)
            sheet.add(50 + 26 * 2 + 14, 275, address[13:], 30)
            _pairs(sheet, 440, [(50, "公民身份号码", number)], 30)
            sheet.portrait = (600, 60, 800, 310)
            truth = {
                "name": who.name,
                "sex": who.sex,
                "birth": who.birth.isoformat(),
                "address": address,
                "id_number": number,
            }
            return sheet, truth, {"id_number": valid}, 1
        sheet.add(150, 60, "中华人民共和国", 40, bold=True, colour=NAVY)
        sheet.add(150, 120, title, 40, bold=True, colour=NAVY)
        authority = rng.choice(("北京市公安局", "上海市公安局", "深圳市公安局"))
        _pairs(sheet, 260, [(80, "签发机关", authority)])
        _pairs(sheet, 320, [(80, "有效期限", f"{_dotted(start)}-{_dotted(end)}")])
        _pairs(sheet, 380, [(80, "签发次数", "01")])
        _pairs(sheet, 440, [(80, "通行证号码", pass_number)])
        truth = {
            "authority": authority,
            "validity": f"{_dotted(start)}-{_dotted(end)}",
            "issue_count": "01",
            "pass_number": pass_number,
        }
        return sheet, truth, {}, 2

    return draw


def _travel(title: str, english: str, prefix: str, digits: int, place: bool) -> Template:
    """The travel permits (来往内地, 往来港澳 and 往来台湾 通行证): names, dates, authority,
    number."""

    def draw(rng: random.Random, valid: bool) -> tuple:
        who = v.person(rng)
        number = prefix + "".join(str(rng.randrange(10)) for _ in range(digits))
        start = v.later(rng, date(2016, 1, 1), (0, 8))
        end = date(start.year + 10, start.month, start.day) - (date(2020, 1, 2) - date(2020, 1, 1))
        authority = "公安部出入境管理局" if place else "中华人民共和国国家移民管理局"
        sheet = _card((225, 240, 235), (240, 235, 220))
        sheet.add(40, 20, title, 30, bold=True, colour=NAVY)
        sheet.add(40, 60, english, 16, colour=NAVY)
        _pairs(sheet, 100, [(40, "姓名", who.name)], 28)
        sheet.add(40, 146, f"{who.surname}, {who.given}", 24)
        _pairs(sheet, 190, [(40, "出生日期", _dotted(who.birth)), (400, "性别", who.sex)], 26)
        _pairs(sheet, 240, [(40, "有效期限", f"{_dotted(start)}-{_dotted(end)}")], 26)
        _pairs(sheet, 290, [(40, "签发机关", authority)], 26)
        truth = {
            "name": who.name,
            "name_en": f"{who.surname}, {who.given}",
            "birth": who.birth.isoformat(),
            "sex": who.sex,
            "validity": f"{_dotted(start)}-{_dotted(end)}",
            "authority": authority,
            "number": number,
        }
        if place:
            issue_place = rng.choice(("福建", "广东", "上海"))
            _pairs(sheet, 340, [(40, "签发地点", issue_place), (300, "签发次数", "01")], 26)
            truth |= {"issue_place": issue_place, "issue_count": "01"}
        _pairs(sheet, 440, [(40, "证件号码", number)], 30)
        sheet.portrait = (630, 100, 820, 340)
        return sheet, truth, {}, 1

    return draw


def _foreigner(version: int) -> Template:
    """外国人永久居留身份证, the 2017 card (15 characters) or the 2023 card (18 digits)."""

    def draw(rng: random.Random, valid: bool) -> tuple:
        who = v.person(rng)
        country, code, numeric = rng.choice((("加拿大", "CAN", "124"), ("美国", "USA", "840")))
        if version == 2017:
            number = f"{code}1100{who.birth:%y%m%d}{rng.randrange(10)}{rng.randrange(10)}"
        else:
            # 9, the province of acceptance, the numeric nationality, then as GB 11643
            number = v.citizen_number(rng, who, "911" + numeric, valid=valid)
        start = v.later(rng, date(2017, 6, 1), (0, 6))
        end = date(start.year + 10, start.month, start.day)
        sheet = _card((245, 235, 215), (230, 225, 240))
        sheet.add(40, 18, "中华人民共和国外国人永久居留身份证", 28, bold=True, colour=NAVY)
        sheet.add(40, 56, "Foreign Permanent Resident ID Card", 18, colour=NAVY)
        _pairs(sheet, 100, [(40, "姓名/Name", f"{who.surname}, {who.given}")], 26)
        _pairs(sheet, 150, [(40, "中文姓名", who.name), (380, "性别/Sex", who.sex)], 26)
        _pairs(sheet, 200, [(40, "出生日期", _dotted(who.birth))], 26)
        _pairs(sheet, 250, [(40, "国籍", f"{country}/{code}")], 26)
        _pairs(sheet, 300, [(40, "有效期限", f"{_dotted(start)}-{_dotted(end)}")], 26)
        _pairs(sheet, 350, [(40, "签发机关", "国家移民管理局")], 26)
        _pairs(sheet, 440, [(40, "证件号码", number)], 30)
        sheet.portrait = (640, 100, 820, 330)
        truth = {
            "name_en": f"{who.surname}, {who.given}",
            "name": who.name,
            "sex": who.sex,
            "birth": who.birth.isoformat(),
            "nationality": f"{country}/{code}",
            "validity": f"{_dotted(start)}-{_dotted(end)}",
            "authority": "国家移民管理局",
            "number": number,
        }
        return sheet, truth, {"number": valid} if version == 2023 else {}, 1

    return draw


def driving_licence(rng: random.Random, valid: bool) -> tuple:
    who = v.person(rng)
    number = v.citizen_number(rng, who, rng.choice(v.REGIONS), valid=valid)
    first = v.later(rng, who.birth, (18, 30))
    start = v.later(rng, first, (0, 6))
    end = date(start.year + 10, start.month, start.day)
    kind = rng.choice(("C1", "C2", "B2", "A1"))
    address = rng.choice(v.ADDRESSES)
    sheet = _card((235, 235, 238), (225, 230, 240))
    sheet.add(120, 16, "中华人民共和国机动车驾驶证", 32, bold=True, colour=NAVY)
    _pairs(sheet, 66, [(30, "证号", number)], 26)
    _pairs(sheet, 112, [(30, "姓名", who.name), (300, "性别", who.sex), (450, "国籍", "中国")])
    _pairs(sheet, 158, [(30, "住址", address)], 24)
    _pairs(sheet, 214, [(30, "出生日期", who.birth.isoformat())])
    _pairs(sheet, 260, [(30, "初次领证日期", first.isoformat())])
    _pairs(sheet, 306, [(30, "准驾车型", kind)])
    _pairs(sheet, 352, [(30, "有效期限", f"{start.isoformat()}至{end.isoformat()}")])
    sheet.portrait = (640, 200, 820, 440)
    truth = {
        "id_number": number,
        "name": who.name,
        "sex": who.sex,
        "nationality": "中国",
        "address": address,
        "birth": who.birth.isoformat(),
        "first_issue_date": first.isoformat(),
        "class": kind,
        "valid_from": start.isoformat(),
        "valid_to": end.isoformat(),
    }
    return sheet, truth, {"id_number": valid}, 1


def _plate(rng: random.Random) -> str:
    return (
        rng.choice(("京", "沪", "粤", "浙"))
        + rng.choice("ABCDE")
        + "".join(rng.choice("0123456789ABCDEFGHJK") for _ in range(5))
    )


def _barcode(rng: random.Random, sheet: Sheet, top: int) -> str:
    """The second pages' barcode: bars, and under them the 13 digits they encode (the bars
    are drawn at random widths; nothing reads them, the digits are the field)."""
    number = "".join(str(rng.randrange(10)) for _ in range(13))
    x = 260
    while x < 600:
        width = rng.randrange(2, 6)
        sheet.rules.append(Rule(x, top, x + width - 1, top + 44, INK))
        x += width + rng.randrange(2, 6)
    sheet.add(330, top + 50, number, 22, face="mono")
    return number


def _file_number(rng: random.Random, region: str) -> str:
    """A licence's file number (档案编号): the issuing office's region, then 6 digits."""
    return region + "".join(str(rng.randrange(10)) for _ in range(6))


def driving_licence_second(rng: random.Random, valid: bool) -> tuple:
    """The driving licence's second page (副页, GA 482): the holder's number and name, the file
    number, the record box (a probation period or a medical-check reminder), a barcode."""
    who = v.person(rng)
    region = rng.choice(v.REGIONS)
    number = v.citizen_number(rng, who, region, valid=valid)
    file_number = _file_number(rng, region)
    due = v.later(rng, date(2024, 1, 1), (0, 4))
    record = rng.choice(
        (f"实习期至{due.year}年{due.month:02d}月{due.day:02d}日",
         f"请于{due.year}年{due.month:02d}月{due.day:02d}日前提交身体条件证明")
    )  # fmt: skip
    sheet = _card((236, 236, 236), (228, 232, 236))
    sheet.add(110, 16, "中华人民共和国机动车驾驶证副页", 32, bold=True, colour=NAVY)
    _pairs(sheet, 76, [(30, "证号", number)], 26)
    _pairs(sheet, 130, [(30, "姓名", who.name), (330, "档案编号", file_number)])
    sheet.rules.append(Rule(20, 180, 836, 420, LABEL, 1))
    _pairs(sheet, 200, [(34, "记录", record)], 24)
    barcode = _barcode(rng, sheet, 436)
    truth = {
        "id_number": number,
        "name": who.name,
        "file_number": file_number,
        "record": record,
        "barcode": barcode,
    }
    return sheet, truth, {"id_number": valid}, 2


def vehicle_licence_second(rng: random.Random, valid: bool) -> tuple:
    """The vehicle licence's second page (副页, GA 37): plate, file number, the approved
    passengers and masses, overall dimensions, remarks and the inspection stamp, a barcode.
    A car prints no approved load or traction mass (the labels stay, the values are blank);
    a light truck prints its approved load."""
    plate = _plate(rng)
    file_number = _file_number(rng, rng.choice(v.REGIONS))
    truck = rng.random() < 0.5
    passengers = rng.choice((2, 3)) if truck else rng.choice((5, 7))
    unladen = rng.randrange(1800, 2600, 5) if truck else rng.randrange(1200, 1900, 5)
    load = rng.randrange(1000, 1800, 5) if truck else 0
    gross = unladen + load + 65 * passengers
    length, width, height = (
        (rng.randrange(5200, 6000, 5), rng.randrange(1800, 2100, 5), rng.randrange(2000, 2400, 5))
        if truck
        else (rng.randrange(4300, 5100, 5), rng.randrange(1700, 1900, 5),
              rng.randrange(1400, 1700, 5))
    )  # fmt: skip
    comment = rng.choice(("更换车身颜色", "营转非", "车身颜色白色"))
    due = v.later(rng, date(2024, 1, 1), (0, 4))
    stamp = f"检验有效期至{due.year}年{due.month:02d}月{plate[:2]}"
    sheet = _card((238, 236, 230), (228, 232, 238))
    sheet.add(120, 16, "中华人民共和国机动车行驶证副页", 32, bold=True, colour=NAVY)
    _pairs(sheet, 70, [(30, "号牌号码", plate), (420, "档案编号", file_number)])
    _pairs(sheet, 120, [(30, "核定载人数", f"{passengers}人"), (420, "总质量", f"{gross}kg")])
    _pairs(sheet, 170, [(30, "整备质量", f"{unladen}kg"),
                        (420, "核定载质量", f"{load}kg" if truck else "")])  # fmt: skip
    size = f"{length}×{width}×{height}mm"
    _pairs(sheet, 220, [(30, "外廓尺寸", size), (470, "准牵引总质量", "")])
    _pairs(sheet, 270, [(30, "备注", comment)])
    _pairs(sheet, 340, [(30, "检验记录", "")])
    left = 30 + 22 * 4 + 14
    sheet.add(left + 14, 338, stamp, 24, colour=STAMP)
    sheet.rules.append(Rule(left, 326, left + 28 + 24 * 12 + 12 * 7 // 2 + 20, 378, STAMP, 2))
    barcode = _barcode(rng, sheet, 430)
    truth = {
        "plate_number": plate,
        "file_number": file_number,
        "passengers": f"{passengers}人",
        "gross_mass": f"{gross}kg",
        "unladen_mass": f"{unladen}kg",
        "dimensions": size,
        "comment": comment,
        "inspection_record": stamp,
        "barcode": barcode,
    }
    if truck:
        truth["approved_load"] = f"{load}kg"
    return sheet, truth, {}, 2


def vehicle_licence(rng: random.Random, valid: bool) -> tuple:
    vin = v.vin(rng, valid=valid)
    plate = _plate(rng)
    owner = rng.choice(v.PEOPLE)[0]
    registered = v.later(rng, date(2012, 1, 1), (0, 10))
    issued = v.later(rng, registered, (0, 2))
    engine = "".join(rng.choice("0123456789ABCDEFGH") for _ in range(8))
    model = rng.choice(("大众牌SVW71612", "丰田牌TV7250", "比亚迪牌BYD7152"))
    address = rng.choice(v.ADDRESSES)
    sheet = _card((238, 236, 230), (228, 232, 238))
    sheet.add(130, 16, "中华人民共和国机动车行驶证", 32, bold=True, colour=NAVY)
    _pairs(sheet, 70, [(30, "号牌号码", plate), (420, "车辆类型", "小型轿车")])
    _pairs(sheet, 120, [(30, "所有人", owner)])
    _pairs(sheet, 170, [(30, "住址", address)], 24)
    _pairs(sheet, 220, [(30, "使用性质", "非营运"), (420, "品牌型号", model)])
    _pairs(sheet, 270, [(30, "车辆识别代号", vin)])
    _pairs(sheet, 320, [(30, "发动机号码", engine)])
    _pairs(sheet, 370, [(30, "注册日期", registered.isoformat())])
    _pairs(sheet, 420, [(30, "发证日期", issued.isoformat())])
    truth = {
        "plate_number": plate,
        "vehicle_type": "小型轿车",
        "owner": owner,
        "address": address,
        "use_character": "非营运",
        "model": model,
        "vin": vin,
        "engine_number": engine,
        "register_date": registered.isoformat(),
        "issue_date": issued.isoformat(),
    }
    return sheet, truth, {"vin": valid}, 1


def business_licence(rng: random.Random, valid: bool) -> tuple:
    code = v.credit_code(rng, valid=valid)
    name = rng.choice(("北京云启科技有限公司", "上海恒信贸易有限公司", "深圳明达电子有限公司"))
    person = rng.choice(v.PEOPLE)[0]
    founded = v.later(rng, date(2005, 1, 1), (0, 15))
    capital = f"{rng.choice((100, 500, 1000, 5000))}万元"
    address = rng.choice(v.ADDRESSES)
    sheet = Sheet(1200, 850, (250, 246, 238), (245, 240, 230))
    sheet.add(470, 40, "营业执照", 64, bold=True, colour=(160, 30, 30))
    _pairs(sheet, 170, [(80, "统一社会信用代码", code)], 30)
    rows = (
        ("名称", name),
        ("类型", "有限责任公司"),
        ("法定代表人", person),
        ("注册资本", capital),
        ("成立日期", f"{founded.year}年{founded.month:02d}月{founded.day:02d}日"),
        ("营业期限", "长期"),
        ("住所", address),
        ("经营范围", "技术开发、技术咨询、技术服务"),
    )
    for i, (label, value) in enumerate(rows):
        _pairs(sheet, 250 + 62 * i, [(80, label, value)], 30)
    truth = {
        "code": code,
        "name": name,
        "type": "有限责任公司",
        "legal_person": person,
        "capital": capital,
        "established": founded.isoformat(),
        "term": "长期",
        "address": address,
        "scope": "技术开发、技术咨询、技术服务",
    }
    return sheet, truth, {"code": valid}, 1


def organisation_code(rng: random.Random, valid: bool) -> tuple:
    code = v.organisation_code(rng, valid=valid)
    name = rng.choice(("北京云启科技有限公司", "上海恒信贸易有限公司", "深圳明达电子有限公司"))
    person = rng.choice(v.PEOPLE)[0]
    start = v.later(rng, date(2010, 1, 1), (0, 5))
    end = date(start.year + 4, start.month, start.day)
    number = f"组代管{rng.randrange(100000, 999999)}"
    address = rng.choice(v.ADDRESSES)
    sheet = Sheet(1200, 850, (240, 246, 250), (232, 240, 246))
    sheet.add(330, 40, "中华人民共和国组织机构代码证", 48, bold=True, colour=NAVY)
    rows = (
        ("代码", code), ("机构名称", name), ("机构类型", "企业法人"), ("法定代表人", person),
        ("地址", address), ("有效期", f"自{_dotted(start)}至{_dotted(end)}"),
        ("颁发单位", "北京市质量技术监督局"), ("登记号", number),
    )  # fmt: skip
    for i, (label, value) in enumerate(rows):
        _pairs(sheet, 170 + 70 * i, [(100, label, value)], 30)
    truth = {
        "code": code,
        "name": name,
        "type": "企业法人",
        "legal_person": person,
        "address": address,
        "validity": f"{_dotted(start)}-{_dotted(end)}",
        "authority": "北京市质量技术监督局",
        "registration_number": number,
    }
    return sheet, truth, {"code": valid}, 1


def bank_account(rng: random.Random, valid: bool) -> tuple:
    grant = f"J{rng.randrange(10**12, 10**13)}"
    number = f"{rng.randrange(1000, 9999)}-{rng.randrange(10**7, 10**8)}"
    name = rng.choice(("北京云启科技有限公司", "上海恒信贸易有限公司", "深圳明达电子有限公司"))
    person = rng.choice(v.PEOPLE)[0]
    bank = rng.choice(("中国工商银行北京中关村支行", "招商银行上海分行营业部"))
    account = "".join(str(rng.randrange(10)) for _ in range(19))
    opened = v.later(rng, date(2012, 1, 1), (0, 10))
    sheet = Sheet(1200, 850, (246, 240, 246), (240, 236, 244))
    sheet.add(460, 40, "开户许可证", 60, bold=True, colour=(160, 30, 30))
    _pairs(sheet, 150, [(100, "核准号", grant), (650, "编号", number)], 28)
    rows = (
        ("存款人名称", name), ("法定代表人", person), ("开户银行", bank), ("账号", account),
        ("开户日期", f"{opened.year}年{opened.month:02d}月{opened.day:02d}日"),
    )  # fmt: skip
    for i, (label, value) in enumerate(rows):
        _pairs(sheet, 250 + 80 * i, [(100, label, value)], 30)
    truth = {
        "grant_number": grant,
        "number": number,
        "name": name,
        "legal_person": person,
        "bank_name": bank,
        "account_number": account,
        "date": opened.isoformat(),
    }
    return sheet, truth, {}, 1


def _mrz_document(layout: str) -> Template:
    """A passport data page (TD3) or an identity card (TD1, TD2) with its MRZ."""

    def draw(rng: random.Random, valid: bool) -> tuple:
        who = v.person(rng)
        country = rng.choice(("CHN", "UTO", "CAN"))
        number = rng.choice("EGP") + "".join(str(rng.randrange(10)) for _ in range(8))
        expires = v.later(rng, date(2027, 1, 1), (0, 9))
        sex = "M" if who.sex == "男" else "F"
        args = (who.surname, who.given)
        dates = (f"{who.birth:%y%m%d}", sex, f"{expires:%y%m%d}")
        if layout == "td3":
            code = str(TD3CodeGenerator("P", country, *args, number, country, *dates))
            checker, sheet = (
                TD3CodeChecker,
                Sheet(1000, 704, (235, 238, 240), (230, 236, 226)),
            )
        elif layout == "td2":
            code = str(TD2CodeGenerator("I", country, *args, number, country, *dates))
            checker, sheet = (
                TD2CodeChecker,
                Sheet(840, 592, (238, 240, 232), (232, 236, 240)),
            )
        else:
            code = str(
                TD1CodeGenerator("ID", country, number, dates[0], sex, dates[2], country, *args)
            )
            checker, sheet = (
                TD1CodeChecker,
                Sheet(*CARD, (232, 240, 240), (236, 232, 240)),
            )
        lines = code.splitlines()
        if not valid:  # the document number's check digit, TD1 line 1 / TD2-TD3 line 2
            row = 0 if layout == "td1" else 1
            at = 14 if layout == "td1" else 9
            text = lines[row]
            lines[row] = text[:at] + str((int(text[at]) + 3) % 10) + text[at + 1 :]
        report = checker("\n".join(lines)).report
        failed = {name for name, ok in report.falses}
        # ICAO 9303: 2.54 mm a character, the zone 89% of the page's width (111.8 of 125 mm
        # for TD3, 76.2 of 85.6 for TD1, 91.4 of 105 for TD2), rows about 1.5 heights apart
        pitch = 0.89 * sheet.width / len(lines[0])
        size = round(pitch / OCRB_ADVANCE)
        width = round(pitch * len(lines[0]))
        top = sheet.height - len(lines) * (size + size // 2) - 30
        title = "PASSPORT 护照" if layout == "td3" else "IDENTITY CARD"
        sheet.add(40, 30, title, 30, bold=True, colour=NAVY)
        sheet.add(40, 90, f"{who.surname} / {who.given}", 26)
        sheet.add(40, 136, f"{who.birth:%d %b %Y}".upper(), 24)
        for i, line in enumerate(lines):
            left = (sheet.width - width) // 2
            sheet.add(left, top + i * (size + size // 2), line, size, face="ocrb")
        if layout != "td2":
            sheet.portrait = (sheet.width - 250, 80, sheet.width - 60, top - 30)
        truth = {
            "mrz": "\n".join(lines),
            "surname": who.surname,
            "given_names": who.given,
            "document_number": number,
            "country": country,
            "nationality": country,
            "birth": who.birth.isoformat(),
            "sex": sex,
            "expiry": expires.isoformat(),
        }
        checks = {
            "document_number": "document number hash" not in failed,
            "birth": "birth date hash" not in failed,
            "expiry": "expiry date hash" not in failed,
            "composite": "final hash" not in failed,
        }
        return sheet, truth, checks, 1

    return draw


HK_MACAO = "MAINLAND TRAVEL PERMIT FOR HONG KONG AND MACAO RESIDENTS"
TAIWAN = "MAINLAND TRAVEL PERMIT FOR TAIWAN RESIDENTS"
TO_HK_MACAO = "EXIT-ENTRY PERMIT FOR TRAVELLING TO AND FROM HONG KONG AND MACAO"
TO_TAIWAN = "EXIT-ENTRY PERMIT FOR TRAVELLING TO AND FROM TAIWAN"
# template name -> (DocumentType value, template)
KINDS: dict[str, tuple[str, Template]] = {
    "bank_card": ("bank_card", bank_card),
    "hk_id": ("hk_id", hk_id),
    "macao_id": ("macao_id", macao_id),
    "hk_macao_residence": ("hk_macao_residence", _residence("港澳居民居住证", "810000", "H")),
    "taiwan_residence": ("taiwan_residence", _residence("台湾居民居住证", "830000", "")),
    "hk_macao_travel": (
        "hk_macao_travel",
        _travel("港澳居民来往内地通行证", HK_MACAO, "H", 8, False),
    ),
    "taiwan_travel": (
        "taiwan_travel",
        _travel("台湾居民来往大陆通行证", TAIWAN, "", 8, True),
    ),
    "exit_entry_hk_macao": (
        "exit_entry_hk_macao",
        _travel("往来港澳通行证", TO_HK_MACAO, "C", 8, True),
    ),
    "exit_entry_taiwan": (
        "exit_entry_taiwan",
        _travel("大陆居民往来台湾通行证", TO_TAIWAN, "L", 8, True),
    ),
    "foreign_permanent_2017": ("foreign_permanent", _foreigner(2017)),
    "foreign_permanent_2023": ("foreign_permanent", _foreigner(2023)),
    "driving_licence": ("driving_licence", driving_licence),
    "vehicle_licence": ("vehicle_licence", vehicle_licence),
    "driving_licence_second": ("driving_licence", driving_licence_second),
    "vehicle_licence_second": ("vehicle_licence", vehicle_licence_second),
    "business_licence": ("business_licence", business_licence),
    "organisation_code": ("organisation_code", organisation_code),
    "bank_account": ("bank_account", bank_account),
    "passport_td3": ("passport", _mrz_document("td3")),
    "id_td1": ("passport", _mrz_document("td1")),
    "id_td2": ("passport", _mrz_document("td2")),
}  # fmt: skip
BACK_PAGES = frozenset({"hk_macao_residence", "taiwan_residence"})


def make_specimen(
    kind: str,
    seed: int,
    *,
    valid: bool = True,
    back: bool = False,
    portrait: np.ndarray | None = None,
) -> Specimen:
    """One flat document of a template, deterministic for (kind, seed, valid, back)."""
    document_type, template = KINDS[kind]
    rng = random.Random(f"{kind}/{seed}/{valid}")
    if back:
        sheet, truth, checks, page = template(rng, valid, True)  # type: ignore[call-arg]
    else:
        sheet, truth, checks, page = template(rng, valid)
    return Specimen(kind, document_type, render(sheet, portrait), truth, checks, page)
