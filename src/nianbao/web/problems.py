"""A refused request (HTTP status, or the validation errors of its parameters) → what to tell the user, in
Chinese: never a framework's English phrase, never an object that cannot be written as JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

STATUS_WORDS = {400: "请求有误", 401: "请先登录", 403: "没有权限", 404: "页面不存在", 405: "不支持此请求方法",
                406: "无法提供所要求的格式", 413: "请求内容过大", 415: "不支持的文件类型", 422: "请求参数有误",
                429: "请求过于频繁，请稍后再试", 500: "服务器内部错误", 503: "服务器正忙，请稍后再试"}
FIELD_NAMES = {"file": "文件", "page": "页码", "per_page": "每页条数", "year": "年度", "level": "层级",
               "template": "格式版本", "status": "处理状态", "has_errors": "是否有错误", "region": "地区",
               "q": "单位名称", "text": "正文", "decision": "审核结论", "note": "备注", "fmt": "格式",
               "kind": "文件类型", "report_id": "报告编号", "name": "用户名", "password": "密码"}
_MESSAGES = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "string_too_long": "过长（最多 {max_length} 个字符）",
    "string_too_short": "过短（至少 {min_length} 个字符）",
    "value_error": "不是上传的文件",
    "too_long": "过长",
}


def status_words(code: int, detail: Any) -> str:
    """The detail of an HTTP error: ours when the route gave one, the Chinese words of the status otherwise."""
    text = str(detail)
    try:
        default = HTTPStatus(code).phrase
    except ValueError:
        default = ""
    if detail is None or text == default:
        return STATUS_WORDS.get(code, f"请求未能完成（{code}）")
    return text


def _message(error: dict[str, Any]) -> str:
    context = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    template = _MESSAGES.get(str(error.get("type")), "取值无效")
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return "取值无效"


def _field(loc: Sequence[Any]) -> str:
    name = str(loc[-1]) if loc else ""
    return FIELD_NAMES.get(name, name)


def validation_errors(errors: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The validation errors as JSON-able dicts (location, type, and a Chinese message), their context dropped."""
    return [{"loc": [str(part) for part in e.get("loc", ())], "type": str(e.get("type")),
             "msg": f"{_field(e.get('loc', ()))}：{_message(e)}"} for e in errors]


def validation_summary(errors: Sequence[dict[str, Any]]) -> str:
    """The validation errors in one Chinese line."""
    return "请求参数有误：" + "；".join(e["msg"] for e in validation_errors(errors))
