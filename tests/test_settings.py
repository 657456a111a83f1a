"""Settings are validated where they are made and accepted as objects or dicts."""

import pytest
from pydantic import ValidationError

from nianbao.settings import DEFAULTS, Settings, resolve


def test_invalid_values_raise() -> None:
    with pytest.raises(ValidationError):
        Settings.model_validate({"extract": {"fuzzy_min_ratio": 1.5}})
    with pytest.raises(ValidationError):
        Settings.model_validate({"reader": {"max_file_bytes": 0}})
    with pytest.raises(ValidationError):
        Settings.model_validate({"layout": {"no_such_setting": 1}})


def test_resolve_accepts_none_dicts_and_objects() -> None:
    assert resolve(None) == Settings()
    assert resolve({"audit": {"amount_wan_yuan_suspect": 5.0}}).audit.amount_wan_yuan_suspect == 5.0
    custom = Settings.model_validate({"extract": {"min_fragment_chars": 3}})
    assert resolve(custom) is custom


def test_the_built_in_settings_are_valid_settings() -> None:
    assert Settings.model_validate(DEFAULTS.model_dump()) == DEFAULTS == Settings()
    assert hash(DEFAULTS.extract) == hash(Settings().extract)
