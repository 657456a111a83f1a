"""Query parameters (region, year, level, template, status, has_errors, q, text) → a validated filter and the SQL
condition with its parameters that selects those reports.

Every user value becomes a bound parameter; the SQL text itself is fixed here.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..report import LevelKey, TemplateKey
from ..schema import formats
from ..store.review import OPEN_COUNTS_SQL

LEVEL_NAMES = {level.key: level.label for level in formats().levels.values()}
STATUS_NAMES = {"parsed": "已解析", "failed": "解析失败", "duplicate": "重复文件"}
TEMPLATE_NAMES = {key: template.name for key, template in formats().templates.items()}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
PARSE_ERROR_NAMES = {
    "not_a_report": "不是政府信息公开工作年度报告（未找到年报的表格或标题）",
    "no_report": "不是政府信息公开工作年度报告", "invalid_report": "报告内容不完整，无法解析",
    "unreadable": "文件无法读取", "corrupt": "文件已损坏或格式不正确", "encrypted": "文件已加密，无法读取",
    "too_large": "文件过大", "zip_bomb": "文件解压后过大（疑似压缩炸弹）", "too_deep": "文件嵌套层次过深",
    "timeout": "解析超时（超过时间上限）", "memory": "解析所需内存超过上限", "crashed": "解析进程意外终止",
    "internal": "解析时出现内部错误", "empty": "文件为空", "binary": "不是文本或可读的文档格式",
    "encoding": "无法识别文字编码", "no_text": "文件中没有文字",
    "no_text_layer": "PDF 没有文字层（扫描件），且未安装文字识别",
    "unsupported": "不支持的文件格式", "missing_dependency": "缺少解析此格式所需的组件",
}
"""Why a file could not be parsed, in words a user reads (by the error code the readers give)."""
SEARCH_MAX_CHARS = 100
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
SORTS = {"newest": "r.id DESC", "agency": "r.agency NULLS LAST, r.id DESC", "year": "r.year DESC NULLS LAST, r.id DESC",
         "errors": "n_errors DESC NULLS LAST, r.id DESC", "warnings": "n_warnings DESC NULLS LAST, r.id DESC"}


class ReportFilter(BaseModel):
    """Which reports to list, chart or export."""

    model_config = ConfigDict(extra="ignore")

    region: str | None = Field(default=None, max_length=SEARCH_MAX_CHARS,
                               description="省、市或县（区）名称或其开头（如“淮安”），或行政区划代码前缀")
    year: int | None = Field(default=None, ge=1990, le=2100, description="报告年度")
    level: LevelKey | None = Field(default=None, description="层级")
    template: TemplateKey | None = Field(default=None, description="格式版本")
    status: Literal["parsed", "failed", "duplicate"] | None = Field(default=None, description="处理状态")
    has_errors: bool | None = Field(default=None, description="是否有错误级审核发现")
    q: str | None = Field(default=None, max_length=SEARCH_MAX_CHARS, description="报告单位名称包含的文字")
    text: str | None = Field(default=None, max_length=SEARCH_MAX_CHARS, description="正文包含的文字")

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        """Empty form fields mean no filter."""
        return None if isinstance(value, str) and not value.strip() else value

    def where(self, alias: str = "r") -> tuple[str, list[Any]]:
        """SQL condition over the reports aliased ``alias`` and its parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.region:
            region = self.region.strip()
            parts.append(f"(starts_with({alias}.province, ?) OR starts_with({alias}.city, ?) "
                         f"OR starts_with({alias}.county, ?) OR starts_with({alias}.region_code, ?))")
            params += [region, region, region, region]
        for name in ("year", "level", "template", "status"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{alias}.{name} = ?")
                params.append(value)
        if self.has_errors is not None:
            parts.append(f"{alias}.id {'' if self.has_errors else 'NOT '}IN (SELECT report_id FROM ({OPEN_COUNTS_SQL}) "
                         "WHERE n_errors > 0)")
        if self.q:
            parts.append(f"contains(lower(coalesce({alias}.agency, '')), lower(?))")
            params.append(self.q.strip())
        if self.text:
            parts.append(f"EXISTS (SELECT 1 FROM sections s WHERE s.report_id = {alias}.id "
                         "AND contains(lower(s.text), lower(?)))")
            params.append(self.text.strip())
        return " AND ".join(parts) or "true", params

    def query_string(self) -> str:
        """The filter as URL query parameters (for links that keep it)."""
        return urlencode({k: v for k, v in self.model_dump().items() if v is not None})


class Paging(BaseModel):
    """Which page of a listing, in which order."""

    page: int = Field(default=1, ge=1, le=MAX_PAGE, description="页码，从1开始")
    sort: Literal["newest", "agency", "year", "errors", "warnings"] = Field(
        default="newest", description="排序：最新上传、单位名称、年度、错误数、警告数")
    per_page: int = Field(default=DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description="每页条数")

    @property
    def order_by(self) -> str:
        """The ORDER BY of a listing over reports ``r`` with its count columns ``n_errors``, ``n_warnings``."""
        return SORTS[self.sort]

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.page - 1) * self.per_page
