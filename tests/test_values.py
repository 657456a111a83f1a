"""Cell text → value."""

import pytest

from nianbao.values import is_blank, parse_value


@pytest.mark.parametrize(("raw", "value"), [
    ("0", 0), ("15", 15), ("-3", -3), ("+5", 5), ("12.35", 12.35), ("1,234", 1234), ("１２８", 128),
    ("\u30000\u3000", 0), ("\xa06", 6), ("22（其中修订 16 件）", 22), ("55(含自然失效29件)", 55),
    ("15件", 15), ("251000元", 251000), ("1646.5万元", 1646.5), ("12¹", 12), ("12①", 12), ("3₂", 3),
])
def test_numbers(raw: str, value: float) -> None:
    assert parse_value(raw) == (value, True)


@pytest.mark.parametrize("raw", ["", "无", "无\xa0", "-", "—", "／", "/", "\u3000", "---", "\\-"])
def test_nothing_reported(raw: str) -> None:
    assert parse_value(raw) == (None, True)
    assert is_blank(raw)


@pytest.mark.parametrize("raw", ["规章", "1.属于国家秘密", "2020年", "（其中修订16件）", "3.其他", "¹12", "1²3", "⑫"])
def test_text_is_not_a_value(raw: str) -> None:
    assert parse_value(raw) == (None, False)
