"""Waiqin's return codes. The manual shows only success ("0"); the failures below are ours,
documented in docs/waiqin.md, and one code always means one thing."""

from __future__ import annotations

from contracts.errors import ErrorKind, IdfError

SUCCESS = "0"

TABLE: dict[ErrorKind, tuple[str, str]] = {
    ErrorKind.auth: ("40001", "鉴权失败: openid 或 digest 错误"),
    ErrorKind.replay: ("40003", "msg_id 重复"),
    ErrorKind.forbidden: ("40004", "无权调用该接口"),
    ErrorKind.no_api: ("40005", "接口不存在"),
    ErrorKind.quota: ("40006", "调用次数超过限额"),
    ErrorKind.missing_param: ("40101", "缺少参数 {field}"),
    ErrorKind.missing_one_of: ("40102", "image 和 url 必须提供一个"),
    ErrorKind.bad_param: ("40103", "参数 {field} 不合法"),
    ErrorKind.already_exists: ("40104", "transfer_id 重复"),
    ErrorKind.not_found: ("40105", "transfer_id 不存在"),
    ErrorKind.image_too_large: ("40201", "图片大小超过 8M"),
    ErrorKind.image_size: ("40202", "图片尺寸不合法: 最短边至少 15px, 最长边最大 8192px"),
    ErrorKind.image_type: ("40203", "图片格式不支持, 仅支持 jpg/jpeg/png/bmp"),
    ErrorKind.image_decode: ("40204", "图片数据损坏, 无法解码"),
    ErrorKind.unsupported: ("40205", "{field} 不可用"),
    ErrorKind.no_document: ("40206", "图片中没有身份证"),
    ErrorKind.busy: ("50001", "服务繁忙, 请稍后重试"),
    ErrorKind.timeout: ("50002", "处理超时"),
    ErrorKind.internal: ("50000", "服务内部错误"),
}
_FALLBACK = ("40103", "参数 {field} 不合法")
# (kind, field) -> code and message, where one kind means two things to a client
REFINED: dict[tuple[ErrorKind, str], tuple[str, str]] = {
    (ErrorKind.auth, "timestamp"): ("40002", "timestamp 不在允许的时间范围内"),
}
# not_found names a transfer_id, or an image given as a server path that is not there
_IMAGE_NOT_FOUND = ("40207", "图片不存在: {field}")


def render(error: IdfError) -> tuple[str, str]:
    """Return code and message; where the detail adds something, it follows the template."""
    refined = REFINED.get((error.kind, error.field or ""))
    code, template = refined or TABLE.get(error.kind, _FALLBACK)
    if error.kind is ErrorKind.not_found and error.field not in (None, "transfer_id"):
        code, template = _IMAGE_NOT_FOUND
    message = template.format(field=error.field or error.detail)
    if error.detail and (refined or error.kind not in (ErrorKind.internal, ErrorKind.auth)):
        message = f"{message} ({error.detail})"
    return code, message
