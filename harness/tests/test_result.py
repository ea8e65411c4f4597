"""``bridgemark.ExtractionResult`` keeps the frozen-dataclass contract with its faster constructor."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from bridgemark import ExtractionResult


def test_result_is_built_by_position_or_keyword_and_equal_by_value():
    by_position = ExtractionResult("text", "text/plain", {"title": "t"}, [[["a"]]])
    by_keyword = ExtractionResult(tables=[[["a"]]], metadata={"title": "t"}, mime_type="text/plain", content="text")
    assert by_position == by_keyword
    assert dataclasses.astuple(by_position) == ("text", "text/plain", {"title": "t"}, [[["a"]]])
    assert [f.name for f in dataclasses.fields(ExtractionResult)] == ["content", "mime_type", "metadata", "tables"]


def test_result_is_frozen_and_has_no_instance_dict():
    result = ExtractionResult("", "text/plain", {}, [])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.content = "changed"  # type: ignore[misc]
    assert not hasattr(result, "__dict__")


def test_result_missing_or_extra_arguments_are_a_type_error():
    with pytest.raises(TypeError):
        ExtractionResult("", "text/plain", {})  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        ExtractionResult("", "text/plain", {}, [], extra=1)  # type: ignore[call-arg]


def test_result_survives_copy_pickle_and_replace():
    result = ExtractionResult("text", "application/pdf", {"page_count": 2}, [])
    assert copy.deepcopy(result) == result
    assert pickle.loads(pickle.dumps(result)) == result
    assert dataclasses.replace(result, content="other").content == "other"
