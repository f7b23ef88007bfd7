"""Long and wide CSV formats: round trips, and typed errors with line numbers."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest
from _choice_testdata import TRUE_MNL, barriers_design
from hypothesis import given, settings
from hypothesis import strategies as st

from safereport.core.choice import (
    BARRIERS_EXPERIMENT,
    ChoiceData,
    DataFormatError,
    read_csv,
    read_long_csv,
    read_wide_csv,
    write_long_csv,
    write_wide_csv,
)
from safereport.core.choice.synthetic import synthetic_responses

E = BARRIERS_EXPERIMENT


def _data() -> ChoiceData:
    return synthetic_responses(barriers_design(), 5, TRUE_MNL, seed=4)


def _long_text(data: ChoiceData) -> str:
    out = io.StringIO()
    write_long_csv(data, out)
    return out.getvalue()


def _wide_text(data: ChoiceData) -> str:
    out = io.StringIO()
    write_wide_csv(data, out)
    return out.getvalue()


def _same(a: ChoiceData, b: ChoiceData) -> None:
    assert a.respondents == b.respondents
    assert np.array_equal(a.blocks, b.blocks)
    assert np.array_equal(a.tasks, b.tasks)
    assert np.array_equal(a.levels, b.levels)
    assert np.array_equal(a.choices, b.choices)


def test_long_format_has_one_row_per_alternative_and_round_trips() -> None:
    data = _data()
    text = _long_text(data)
    lines = text.strip().split("\n")
    assert lines[0] == (
        "respondent,block,task,alternative,chosen,data_sharing,channel,interpreter,"
        "specialist_worker,believed,time_hours"
    )
    assert len(lines) == 1 + data.n_tasks * 3
    assert lines[3].split(",")[3] == "no_report" and lines[3].endswith(",,,,,,")
    _same(read_long_csv(io.StringIO(text), E), data)


def test_wide_format_has_one_row_per_task_and_round_trips() -> None:
    data = _data()
    text = _wide_text(data)
    lines = text.strip().split("\n")
    assert lines[0].startswith("respondent,block,task,choice,A_data_sharing,A_channel")
    assert len(lines) == 1 + data.n_tasks
    _same(read_wide_csv(io.StringIO(text), E), data)


def test_read_csv_recognises_either_format() -> None:
    data = _data()
    _same(read_csv(io.StringIO(_long_text(data)), E), data)
    _same(read_csv(io.StringIO(_wide_text(data)), E), data)


def _break_line(text: str, line: int, old: str, new: str) -> str:
    lines = text.split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


def _error(reader: object, text: str) -> DataFormatError:
    with pytest.raises(DataFormatError) as info:
        reader(io.StringIO(text), E)  # type: ignore[operator]
    return info.value


def test_unknown_level_is_reported_with_its_line() -> None:
    text = _long_text(_data())
    first_option = text.split("\n")[1].split(",")[5]
    err = _error(read_long_csv, _break_line(text, 2, f",{first_option},", ",sometimes,"))
    assert err.line == 2
    assert "sometimes" in str(err) and "data_sharing" in str(err)
    assert str(err).startswith("line 2: ")


def test_two_chosen_alternatives_are_refused() -> None:
    lines = _long_text(_data()).split("\n")
    for i in (1, 2, 3):
        parts = lines[i].split(",")
        parts[4] = "1"
        lines[i] = ",".join(parts)
    err = _error(read_long_csv, "\n".join(lines))
    assert err.line == 2 and "exactly one chosen" in str(err)


def test_chosen_must_be_zero_or_one() -> None:
    lines = _long_text(_data()).split("\n")
    parts = lines[5].split(",")
    parts[4] = "yes"
    lines[5] = ",".join(parts)
    err = _error(read_long_csv, "\n".join(lines))
    assert err.line == 6 and "chosen must be 0 or 1" in str(err)


def test_missing_alternative_row_is_refused() -> None:
    lines = _long_text(_data()).split("\n")
    del lines[3]  # the first task's no_report row
    err = _error(read_long_csv, "\n".join(lines))
    assert err.line == 4 and "3 expected" in str(err)


def test_opt_out_row_must_leave_attributes_empty() -> None:
    text = _long_text(_data())
    err = _error(read_long_csv, _break_line(text, 4, "no_report,0,,", "no_report,0,firewall,"))
    if err.line != 4:  # the first task's opt-out might have been chosen
        err = _error(read_long_csv, _break_line(text, 4, "no_report,1,,", "no_report,1,firewall,"))
    assert err.line == 4 and "empty" in str(err)


def test_wrong_header_is_line_one() -> None:
    text = _long_text(_data()).replace("believed", "trusted", 1)
    err = _error(read_long_csv, text)
    assert err.line == 1 and "missing believed" in str(err) and "unexpected trusted" in str(err)


def test_wrong_field_count_and_bad_numbers() -> None:
    text = _wide_text(_data())
    lines = text.split("\n")
    lines[2] = lines[2] + ",extra"
    err = _error(read_wide_csv, "\n".join(lines))
    assert err.line == 3 and "fields" in str(err)
    lines = text.split("\n")
    parts = lines[3].split(",")
    parts[2] = "two"
    lines[3] = ",".join(parts)
    err = _error(read_wide_csv, "\n".join(lines))
    assert err.line == 4 and "task must be a whole number" in str(err)


def test_duplicate_task_and_block_change_are_refused() -> None:
    text = _wide_text(_data())
    lines = text.split("\n")
    dup = "\n".join([*lines[:3], lines[2], *lines[3:]])
    err = _error(read_wide_csv, dup)
    assert err.line == 4 and "appears twice (first at line 3)" in str(err)
    parts = lines[2].split(",")
    parts[1] = str(int(parts[1]) % 3 + 1)
    lines[2] = ",".join(parts)
    err = _error(read_wide_csv, "\n".join(lines))
    assert err.line == 3 and "block" in str(err)


def test_wide_choice_must_name_an_alternative() -> None:
    lines = _wide_text(_data()).split("\n")
    parts = lines[1].split(",")
    parts[3] = "C"
    lines[1] = ",".join(parts)
    err = _error(read_wide_csv, "\n".join(lines))
    assert err.line == 2 and "choice must be one of A, B, no_report" in str(err)


def test_empty_file_and_header_only() -> None:
    assert _error(read_long_csv, "").line == 1
    header = _wide_text(_data()).split("\n")[0] + "\n"
    assert "no answered tasks" in str(_error(read_wide_csv, header))
    assert _error(read_csv, "a,b,c\n1,2,3\n").line == 1


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab,01\n"AB_no_report\r')), max_size=300))
def test_garbage_never_escapes_as_another_exception(text: str) -> None:
    for reader in (read_long_csv, read_wide_csv, read_csv):
        with contextlib.suppress(DataFormatError):
            reader(io.StringIO(text), E)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_single_cell_corruption_is_caught_or_harmless(data: st.DataObject) -> None:
    text = _long_text(_data())
    lines = text.strip().split("\n")
    i = data.draw(st.integers(1, len(lines) - 1))
    parts = lines[i].split(",")
    j = data.draw(st.integers(0, len(parts) - 1))
    parts[j] = data.draw(st.sampled_from(["", "x", "-1", "0", "1", "2", "firewall", "A"]))
    lines[i] = ",".join(parts)
    try:
        parsed = read_long_csv(io.StringIO("\n".join(lines) + "\n"), E)
    except DataFormatError as err:
        assert err.line is not None and 1 <= err.line <= len(lines)
    else:  # accepted: then it must describe a valid set of answered tasks
        assert parsed.n_tasks == _data().n_tasks
        assert np.all(parsed.choices >= 0) and np.all(parsed.choices < 3)
