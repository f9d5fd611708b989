"""What each labelled document prints: the titles that name it, its labels and their values'
forms, which numbers carry check digits, and whether it is a card or a page.

Labels are those of the real documents (Chinese, with the English that the bilingual ones
add); a document is recognised by its title, or by enough of its labels where the title was
not read. The residence permits' front is the resident ID card's layout; what tells them
apart is the number, which starts 81/82 (Hong Kong, Macao) or 83 (Taiwan). The driving and
vehicle licences' layouts hold the labels of both their pages (the main page and the second
page, 副页); which page was read is told by the fields found (engine.ocr._licence_pages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from contracts.documents import DocumentType, TextField
from engine.ocr import _checksums as checksums
from engine.ocr._labelled import Form, Label

NAME = Label("name", ("姓名/Name", "中文姓名", "姓名", "所有人"))
SEX = Label("sex", ("性别/Sex", "性别", "性別"))
BIRTH = Label("birth", ("出生日期/Date of Birth", "出生日期", "出生"), Form.date)
ADDRESS = Label("address", ("住址", "住所", "地址"), runs_on=True)
AUTHORITY = Label("authority", ("签发机关", "颁发单位", "发证机关"))
PERIOD = Label(
    "validity", ("有效期限/Period of Validity", "有效期限", "有效期", "营业期限"), Form.period
)
ISSUE_PLACE = Label("issue_place", ("签发地点",))
ISSUE_COUNT = Label("issue_count", ("签发次数", "换证次数"), Form.code)
NUMBER = Label("number", ("证件号码/Card No.", "证件号码", "证件号"), Form.code)
FILE_NUMBER = Label("file_number", ("档案编号",), Form.code)
# the number printed under the licences' second-page barcode: 13 digits, unlabelled
BARCODE = ("barcode", r"(?<![0-9A-Z])\d{13}(?![0-9A-Z])")


@dataclass(frozen=True)
class Layout:
    type: DocumentType
    titles: tuple[str, ...]
    labels: tuple[Label, ...]
    page: bool = False  # a page (licence, certificate) rather than a card
    checks: Callable[[dict[str, TextField]], dict[str, bool]] = lambda fields: {}
    back_titles: tuple[str, ...] = ()  # titles printed on the second side only
    patterns: tuple[tuple[str, str], ...] = ()  # (field, regex) for unlabelled values


def _check(name: str, rule: Callable[[str], bool]) -> Callable[[dict[str, TextField]], dict]:
    def check(fields: dict[str, TextField]) -> dict[str, bool]:
        found = fields.get(name)
        return {name: rule(found.value)} if found is not None else {}

    return check


def _residence_number(prefixes: tuple[str, ...]) -> Callable[[str], bool]:
    return lambda number: number.startswith(prefixes) and checksums.mod_11_2_valid(number)


def _foreigner_number(number: str) -> bool:
    """2023 cards: 18 digits from 9, GB 11643's MOD 11-2 check. 2017 cards (3 letters, 12
    digits) have a check digit whose rule is not published: their form is what is checked."""
    if len(number) == 18:
        return number.startswith("9") and checksums.mod_11_2_valid(number)
    return len(number) == 15 and number[:3].isalpha() and number[3:].isdigit()


def _citizen_number(number: str) -> bool:
    return checksums.mod_11_2_valid(number)


RESIDENCE_LABELS = (
    NAME,
    SEX,
    BIRTH,
    ADDRESS,
    Label("id_number", ("公民身份号码",), Form.code),
    AUTHORITY,
    PERIOD,
    ISSUE_COUNT,
    Label("pass_number", ("通行证号码",), Form.code),
)
TRAVEL_LABELS = (NAME, BIRTH, SEX, PERIOD, AUTHORITY, ISSUE_PLACE, ISSUE_COUNT, NUMBER)

LAYOUTS: dict[DocumentType, Layout] = {
    DocumentType.hk_macao_residence: Layout(
        DocumentType.hk_macao_residence,
        ("港澳居民居住证",),
        RESIDENCE_LABELS,
        checks=_check("id_number", _residence_number(("81", "82"))),
        back_titles=("港澳居民居住证",),
    ),
    DocumentType.taiwan_residence: Layout(
        DocumentType.taiwan_residence,
        ("台湾居民居住证",),
        RESIDENCE_LABELS,
        checks=_check("id_number", _residence_number(("83",))),
        back_titles=("台湾居民居住证",),
    ),
    DocumentType.macao_id: Layout(
        DocumentType.macao_id,
        ("澳門特別行政區", "澳门特别行政区", "澳門永久性居民身份證"),
        (
            Label("name", ("姓名/Nome", "姓名")),
            Label("birth", ("出生日期",), Form.date),
            SEX,
            Label("height", ("身高",)),
            Label("first_issue_date", ("首次發證", "首次发证"), Form.date),
            Label("issue_date", ("本次發證", "本次发证"), Form.date),
            Label("valid_to", ("有效期至", "有效期"), Form.date),
        ),
        patterns=(("id_number", r"[157]\d{6}\(\d\)"),),
    ),
    DocumentType.hk_macao_travel: Layout(
        DocumentType.hk_macao_travel, ("港澳居民来往内地通行证",), TRAVEL_LABELS
    ),
    DocumentType.taiwan_travel: Layout(
        DocumentType.taiwan_travel, ("台湾居民来往大陆通行证",), TRAVEL_LABELS
    ),
    DocumentType.exit_entry_hk_macao: Layout(
        DocumentType.exit_entry_hk_macao, ("往来港澳通行证",), TRAVEL_LABELS
    ),
    DocumentType.exit_entry_taiwan: Layout(
        DocumentType.exit_entry_taiwan, ("往来台湾通行证",), TRAVEL_LABELS
    ),
    DocumentType.foreign_permanent: Layout(
        DocumentType.foreign_permanent,
        ("外国人永久居留身份证", "外国人永久居留证"),
        (
            Label("name_en", ("姓名/Name",)),
            Label("name", ("中文姓名",)),
            SEX,
            BIRTH,
            Label("nationality", ("国籍/Nationality", "国籍")),
            PERIOD,
            AUTHORITY,
            NUMBER,
        ),
        checks=_check("number", _foreigner_number),
    ),
    DocumentType.driving_licence: Layout(
        DocumentType.driving_licence,
        ("机动车驾驶证", "驾驶证"),
        (
            Label("id_number", ("证号",), Form.code),
            Label("name", ("姓名",)),
            SEX,
            Label("nationality", ("国籍",)),
            ADDRESS,
            BIRTH,
            Label("first_issue_date", ("初次领证日期",), Form.date),
            Label("class", ("准驾车型",), Form.code),
            Label("valid", ("有效期限",), Form.period),
            FILE_NUMBER,
            Label("record", ("记录",)),
        ),
        checks=_check("id_number", _citizen_number),
        patterns=(BARCODE,),
    ),
    DocumentType.vehicle_licence: Layout(
        DocumentType.vehicle_licence,
        ("机动车行驶证", "行驶证"),
        (
            Label("plate_number", ("号牌号码",)),
            Label("vehicle_type", ("车辆类型",)),
            Label("owner", ("所有人",)),
            ADDRESS,
            Label("use_character", ("使用性质",)),
            Label("model", ("品牌型号",)),
            Label("vin", ("车辆识别代号",), Form.code),
            Label("engine_number", ("发动机号码", "发动机号"), Form.code),
            Label("register_date", ("注册日期",), Form.date),
            Label("issue_date", ("发证日期",), Form.date),
            # the second page (GA 37's 副页)
            FILE_NUMBER,
            Label("passengers", ("核定载人数",)),
            Label("gross_mass", ("总质量",), Form.mass),
            Label("unladen_mass", ("整备质量",), Form.mass),
            Label("approved_load", ("核定载质量",), Form.mass),
            Label("dimensions", ("外廓尺寸",), Form.dimensions),
            Label("traction_mass", ("准牵引总质量",), Form.mass),
            Label("comment", ("备注",)),
            Label("inspection_record", ("检验记录",)),
        ),
        checks=_check("vin", checksums.vin_valid),
        patterns=(BARCODE,),
    ),
    DocumentType.business_licence: Layout(
        DocumentType.business_licence,
        ("营业执照",),
        (
            Label("code", ("统一社会信用代码",), Form.code),
            Label("name", ("名称",)),
            Label("type", ("类型",)),
            Label("legal_person", ("法定代表人", "负责人", "经营者")),
            Label("capital", ("注册资本",)),
            Label("established", ("成立日期",), Form.date),
            Label("term", ("营业期限",)),
            Label("address", ("住所", "经营场所"), runs_on=True),
            Label("scope", ("经营范围",), runs_on=True),
        ),
        page=True,
        checks=_check("code", checksums.uscc_valid),
    ),
    DocumentType.organisation_code: Layout(
        DocumentType.organisation_code,
        ("组织机构代码证",),
        (
            Label("code", ("代码",), Form.code),
            Label("name", ("机构名称",)),
            Label("type", ("机构类型",)),
            Label("legal_person", ("法定代表人",)),
            Label("address", ("地址",), runs_on=True),
            Label("validity", ("有效期",), Form.period),
            Label("authority", ("颁发单位",)),
            Label("registration_number", ("登记号",)),
        ),
        page=True,
        checks=_check("code", checksums.organisation_code_valid),
    ),
    DocumentType.bank_account: Layout(
        DocumentType.bank_account,
        ("开户许可证",),
        (
            Label("grant_number", ("核准号",), Form.code),
            Label("number", ("编号",), Form.code),
            Label("name", ("存款人名称", "开户名称")),
            Label("legal_person", ("法定代表人", "单位负责人")),
            Label("bank_name", ("开户银行",)),
            Label("account_number", ("账号",), Form.code),
            Label("date", ("开户日期",), Form.date),
        ),
        page=True,
    ),
}
MIN_LABELS = 3  # labels found that make a document of this type where its title was not read
