"""netocr's statuses. The manual gives only the successes (verapi `"2000"`; `/api/` 0 for a
face comparison, and what clients read as 2 for a recognised ID card); every failure below is
ours, documented in docs/netocr.md, and one number always means one thing.

Failures are negative, so no client that tests for 0, 2 or 2000 mistakes one for a success.
A few kinds are told apart by the field they concern: a wrong key is not a wrong secret, a
missing typeId is not any other missing parameter.
"""

from __future__ import annotations

from contracts.errors import ErrorKind, IdfError

SUCCESS_VERAPI = "2000"  # seed 003 §1-§3 messageString.status
SUCCESS_COMPARED = 0  # seed 003 §4 message.status, "比对完成"
SUCCESS_RECOGNISED = 2  # message.status of a recognised ID card, as clients test it

BY_FIELD: dict[tuple[ErrorKind, str], tuple[int, str]] = {
    (ErrorKind.auth, "key"): (-1, "ocrKey 不存在"),
    (ErrorKind.auth, "secret"): (-2, "ocrSecret 错误"),
    (ErrorKind.missing_param, "key"): (-1, "ocrKey 不存在"),
    (ErrorKind.missing_param, "secret"): (-2, "ocrSecret 错误"),
    (ErrorKind.missing_param, "typeId"): (-4, "缺少识别类型 typeId"),
    (ErrorKind.bad_param, "typeId"): (-5, "识别类型 typeId 不受支持"),
    (ErrorKind.bad_param, "format"): (-6, "返回格式 format 只能是 xml 或 json"),
}
TABLE: dict[ErrorKind, tuple[int, str]] = {
    ErrorKind.auth: (-1, "ocrKey 不存在"),
    ErrorKind.forbidden: (-3, "该 ocrKey 无权调用此接口"),
    ErrorKind.missing_one_of: (-7, "缺少上传的文件 {field}"),
    ErrorKind.image_decode: (-8, "图片无法解码"),
    ErrorKind.image_type: (-9, "图片格式不支持, 支持 BMP/JPG/TIF/PNG"),
    ErrorKind.image_size: (-10, "图片尺寸不合法"),
    ErrorKind.image_too_large: (-11, "上传的文件过大"),
    ErrorKind.video_decode: (-12, "视频无法解码"),
    ErrorKind.video_too_short: (-13, "视频过短"),
    ErrorKind.no_face: (-14, "{field} 未检测到人脸"),
    ErrorKind.no_document: (-15, "{field} 未检测到证件"),
    ErrorKind.missing_param: (-16, "缺少参数 {field}"),
    ErrorKind.bad_param: (-17, "参数 {field} 不合法"),
    ErrorKind.unsupported: (-18, "{field} 不可用"),
    ErrorKind.model_mismatch: (-19, "模型版本不一致"),
    ErrorKind.no_api: (-20, "接口不存在"),
    ErrorKind.busy: (-21, "服务繁忙, 请稍后重试"),
    ErrorKind.timeout: (-22, "处理超时"),
    ErrorKind.internal: (-23, "服务内部错误"),
    ErrorKind.quota: (-24, "调用次数已用完"),
}
_FALLBACK = TABLE[ErrorKind.bad_param]
# Kinds whose detail would tell a caller more than it should know (which keys exist, faults).
_TERSE = frozenset({ErrorKind.auth, ErrorKind.internal})


def render(error: IdfError) -> tuple[int, str]:
    """Status and message; where the detail adds something, it follows the template."""
    status, template = BY_FIELD.get((error.kind, error.field or "")) or TABLE.get(
        error.kind, _FALLBACK
    )
    message = template.format(field=error.field or "")
    if error.detail and error.kind not in _TERSE:
        message = f"{message} ({error.detail})"
    return status, message
