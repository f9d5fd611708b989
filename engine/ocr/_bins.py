"""Issuer identification for payment card numbers: the card network from the IIN ranges of
ISO/IEC 7812, and, for the mainland banks, the issuer, card product and kind from their BIN.

Sources (public facts, not a licensed BIN file):
- networks: the IIN ranges that the networks publish, as collected in the Wikipedia article
  "Payment card number" (Visa 4; Mastercard 51-55 and 2221-2720; American Express 34, 37;
  UnionPay 62 and 81; JCB 3528-3589; Diners Club 36, 300-305, 38-39; Discover 6011, 644-649,
  65);
- issuer codes (发卡行标识代码, the 8-digit institution code that SenseTime returns as
  `cardIdentificationNumber`): China UnionPay's institution codes, the first four digits of
  which are the PBOC financial-institution code of the head office (0102 ICBC, 0103 ABC,
  0104 BOC, 0105 CCB, 0301 BOCOM, 0305 CMBC, 0308 CMB, 0309 CIB; 0100 PSBC);
- BINs: the first six digits of the banks' own card products, as printed on their cards and
  product pages (622202 ICBC 牡丹灵通卡, 622848 ABC 金穗借记卡, 621700 and 622700 CCB 龙卡储蓄卡,
  601382 BOC 长城电子借记卡, 622260 BOCOM 太平洋借记卡, 622588 CMB 一卡通, 622622 CMBC 借记卡,
  622908 CIB 兴业借记卡, 622188 PSBC 绿卡通).
The table is small and not exhaustive: an unknown BIN still gets its network, and its bank
name only where the card prints it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issuer:
    bank: str
    code: str  # 发卡行标识代码
    product: str  # card name
    kind: str  # 借记卡, 贷记卡, 准贷记卡, 预付费卡


ISSUERS = {
    "622202": Issuer("中国工商银行", "01020000", "牡丹灵通卡", "借记卡"),
    "622848": Issuer("中国农业银行", "01030000", "金穗借记卡", "借记卡"),
    "601382": Issuer("中国银行", "01040000", "长城电子借记卡", "借记卡"),
    "621700": Issuer("中国建设银行", "01050000", "龙卡储蓄卡", "借记卡"),
    "622700": Issuer("中国建设银行", "01050000", "龙卡储蓄卡", "借记卡"),
    "622260": Issuer("交通银行", "03010000", "太平洋借记卡", "借记卡"),
    "622622": Issuer("中国民生银行", "03050000", "民生借记卡", "借记卡"),
    "622588": Issuer("招商银行", "03080000", "一卡通", "借记卡"),
    "622908": Issuer("兴业银行", "03090000", "兴业借记卡", "借记卡"),
    "622188": Issuer("中国邮政储蓄银行", "01000000", "绿卡通", "借记卡"),
}

# (first digits, lowest, highest, network): a prefix of `len(lowest)` digits in the range
NETWORKS = (
    ("2221", "2720", "Mastercard"),
    ("300", "305", "Diners Club"),
    ("34", "34", "American Express"),
    ("3528", "3589", "JCB"),
    ("36", "36", "Diners Club"),
    ("37", "37", "American Express"),
    ("38", "39", "Diners Club"),
    ("4", "4", "Visa"),
    ("51", "55", "Mastercard"),
    ("6011", "6011", "Discover"),
    ("62", "62", "UnionPay"),
    ("644", "649", "Discover"),
    ("65", "65", "Discover"),
    ("81", "81", "UnionPay"),
)


def issuer(number: str) -> Issuer | None:
    """The mainland issuer of a card number, where its BIN is in the table."""
    return ISSUERS.get(number[:6])


def network(number: str) -> str | None:
    """The card network that the number's IIN range belongs to."""
    for low, high, name in NETWORKS:
        head = number[: len(low)]
        if len(head) == len(low) and head.isdigit() and low <= head <= high:
            return name
    return None
