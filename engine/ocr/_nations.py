"""The 56 officially recognised ethnic groups (民族), as printed on resident ID cards.

Cards print the name without the trailing 族. A reading is normalised to an official name only
when exactly one name lies within one edit of it and the reading is at least two characters
long: every one-character name is one edit from every other, so a misread single character is
left as read (and marked invalid) rather than guessed.
"""

from __future__ import annotations

NATIONS: tuple[str, ...] = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
    "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
    "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
    "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)  # fmt: skip

_OFFICIAL = frozenset(NATIONS)


def normalise_nation(reading: str) -> str | None:
    """The official name a reading stands for, or None when it is not one of the 56."""
    name = reading.strip().removesuffix("族")
    if name in _OFFICIAL:
        return name
    if len(name) < 2:
        return None
    close = [nation for nation in NATIONS if _within_one_edit(name, nation)]
    return close[0] if len(close) == 1 else None


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
