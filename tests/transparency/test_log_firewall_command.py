"""`safereport firewall check`: 0 on the published policy, non-zero on a weakened one.

Run in this (multi-threaded) test process, so with one worker: the command's
default, one process per core, forks, which is safe in the command's own fresh
process but not beside this one's threads."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from safereport.core.policy import firewall


@pytest.mark.slow
def test_the_published_policy_passes():
    out = io.StringIO()
    call_command("firewall", "check", "--workers", "1", stdout=out)
    text = out.getvalue()
    assert f"Firewall policy sha256 {firewall.policy_hash()}" in text
    assert "OK: every invariant holds." in text


@pytest.mark.slow
def test_a_policy_without_the_immigration_forbid_fails_with_a_counterexample(tmp_path):
    text = firewall.policy_text()
    start = text.index('@id("inv1-no-immigration-authority")')
    end = text.index(";", start) + 1
    weakened = text[:start] + text[end:]
    assert "inv1-no-immigration-authority" not in weakened
    path = tmp_path / "weakened.cedar"
    path.write_text(weakened, encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("firewall", "check", str(path), "--workers", "1", stdout=out)
    assert raised.value.returncode == 1
    assert "VIOLATED inv1" in out.getvalue()
    assert "Counterexample:" in out.getvalue()


def test_a_policy_that_does_not_load_exits_2(tmp_path):
    path = tmp_path / "broken.cedar"
    path.write_text("permit(principal, action, resource", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("firewall", "check", str(path), stdout=io.StringIO())
    assert raised.value.returncode == 2
    with pytest.raises(CommandError) as raised:
        call_command("firewall", "check", str(tmp_path / "missing.cedar"), stdout=io.StringIO())
    assert raised.value.returncode == 2
