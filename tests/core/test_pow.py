"""The proof-of-work puzzles: issue, solve, check (core/pow.py)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safereport.core.pow import (
    LoadRule,
    ProofPurpose,
    ProofRefused,
    Refusal,
    check_solution,
    check_ticket,
    difficulty,
    issue_challenge,
    issue_ticket,
    leading_zero_bits,
    parse,
    solve,
    solves,
    unit_bits,
    wait_seconds,
    work_digest,
)

KEY = hashlib.sha256(b"test key").digest()
NOW = 1_800_000_000.0
START = ProofPurpose.START


def _refused(reason: Refusal, call, *args, **kwargs):  # type: ignore[no-untyped-def]
    with pytest.raises(ProofRefused) as caught:
        call(*args, **kwargs)
    assert caught.value.reason is reason
    return caught.value


def test_a_solved_challenge_is_accepted_and_names_its_nonce():
    token = issue_challenge(KEY, START, bits=10, now=NOW, ttl=60)
    counter = solve(token, 10)
    checked = check_solution(KEY, token, str(counter), purpose=START, now=NOW + 1, min_bits=10)
    assert checked.purpose is START and checked.bits == 10 and len(checked.nonce) == 32
    assert leading_zero_bits(work_digest(checked.seed, counter)) >= 10


def test_the_solver_finds_the_first_solution():
    token = issue_challenge(KEY, START, bits=8, now=NOW, ttl=60)
    counter = solve(token, 8)
    seed = parse(KEY, token).seed
    assert solves(seed, counter, 8)
    assert not any(solves(seed, c, 8) for c in range(counter))


@pytest.mark.parametrize(
    ("reason", "change"),
    [
        (Refusal.TAMPERED, lambda t: t.replace(".10.", ".1.", 1)),
        (Refusal.TAMPERED, lambda t: t[:-1] + ("0" if t[-1] != "0" else "1")),
        (Refusal.MALFORMED, lambda t: "pow1.work.start"),
        (Refusal.MALFORMED, lambda t: t.replace("pow1", "pow2", 1)),
        (Refusal.MALFORMED, lambda t: "é" + t),
    ],
)
def test_a_changed_token_is_refused(reason, change):
    token = issue_challenge(KEY, START, bits=10, now=NOW, ttl=60)
    _refused(reason, check_solution, KEY, change(token), "0", purpose=START, now=NOW, min_bits=0)


def test_another_servers_key_is_tampering():
    token = issue_challenge(hashlib.sha256(b"other").digest(), START, bits=0, now=NOW, ttl=60)
    _refused(Refusal.TAMPERED, check_solution, KEY, token, "0", purpose=START, now=NOW, min_bits=0)


def test_expired_wrong_purpose_too_easy_and_wrong_answers_are_refused():
    token = issue_challenge(KEY, START, bits=8, now=NOW, ttl=60)
    good = str(solve(token, 8))
    check = check_solution
    _refused(Refusal.EXPIRED, check, KEY, token, good, purpose=START, now=NOW + 60, min_bits=8)
    _refused(
        Refusal.WRONG_PURPOSE,
        check,
        KEY,
        token,
        good,
        purpose=ProofPurpose.RETURN,
        now=NOW,
        min_bits=8,
    )
    _refused(Refusal.TOO_EASY, check, KEY, token, good, purpose=START, now=NOW, min_bits=9)
    seed = parse(KEY, token).seed
    wrong = next(c for c in range(1000) if not solves(seed, c, 8))
    for answer in (str(wrong), "-1", "1e3", "9" * 17, ""):
        _refused(
            Refusal.WRONG_ANSWER, check, KEY, token, answer, purpose=START, now=NOW, min_bits=8
        )


def test_a_ticket_is_valid_from_its_time_until_it_expires():
    ticket = issue_ticket(KEY, ProofPurpose.SEND, now=NOW, wait=5, ttl=60)
    send = ProofPurpose.SEND
    refused = _refused(
        Refusal.NOT_YET, check_ticket, KEY, ticket, purpose=send, now=NOW + 4, min_wait=5
    )
    assert refused.token is not None and refused.token.not_before == NOW + 5
    assert check_ticket(KEY, ticket, purpose=send, now=NOW + 5, min_wait=5).bits == 5
    _refused(Refusal.EXPIRED, check_ticket, KEY, ticket, purpose=send, now=NOW + 65, min_wait=5)
    _refused(Refusal.TOO_EASY, check_ticket, KEY, ticket, purpose=send, now=NOW + 6, min_wait=6)
    _refused(
        Refusal.WRONG_PURPOSE, check_ticket, KEY, ticket, purpose=START, now=NOW + 6, min_wait=0
    )


def test_a_ticket_is_not_a_solution_nor_a_solution_a_ticket():
    ticket = issue_ticket(KEY, START, now=NOW, wait=0, ttl=60)
    challenge = issue_challenge(KEY, START, bits=0, now=NOW, ttl=60)
    _refused(
        Refusal.MALFORMED, check_solution, KEY, ticket, "0", purpose=START, now=NOW, min_bits=0
    )
    _refused(Refusal.MALFORMED, check_ticket, KEY, challenge, purpose=START, now=NOW, min_wait=0)


RULE = LoadRule(base_bits=16, threshold=100, max_extra_bits=6, base_wait=4, max_wait=120)


@pytest.mark.parametrize(
    ("recent", "bits", "wait"),
    [
        (0, 16, 4),
        (99, 16, 4),
        (100, 17, 8),
        (199, 17, 8),
        (200, 18, 16),
        (400, 19, 32),
        (10**9, 22, 120),
    ],
)
def test_difficulty_and_wait_rise_with_load(recent, bits, wait):
    assert difficulty(recent, RULE) == bits
    assert wait_seconds(recent, RULE) == wait


def test_a_penalty_adds_bits_and_wait_within_the_same_ceiling():
    assert difficulty(0, RULE, penalty_bits=2) == 18
    assert wait_seconds(0, RULE, penalty_bits=2) == 16
    # Load and penalty together never pass the ceiling: a reporter who mistyped
    # many times during a flood still solves at most 2**22 hashes.
    assert difficulty(10**9, RULE, penalty_bits=6) == 22
    assert wait_seconds(10**9, RULE, penalty_bits=6) == 120


@given(st.integers(min_value=1, max_value=1000), st.integers(min_value=0, max_value=10**6))
def test_a_proof_for_several_things_costs_at_least_as_many_proofs(units, recent):
    """Priced per detail: the work (2**bits) and the wait are at least ``units``
    times one proof's, under any load, and the load's ceiling does not cap them."""
    one, several = difficulty(recent, RULE), difficulty(recent, RULE, units=units)
    assert 2**several >= units * 2**one
    assert 2**several < 2 * units * 2**one  # rounded up to a power of two, no more
    assert wait_seconds(recent, RULE, units=units) == units * wait_seconds(recent, RULE)


def test_unit_bits():
    assert [unit_bits(n) for n in (1, 2, 3, 4, 5, 8, 9, 10)] == [0, 1, 2, 2, 3, 3, 4, 4]


@given(st.integers(min_value=0, max_value=10**12))
def test_difficulty_never_falls_as_load_rises(recent):
    assert difficulty(recent + 1, RULE) >= difficulty(recent, RULE) >= RULE.base_bits
    assert wait_seconds(recent + 1, RULE) >= wait_seconds(recent, RULE) >= RULE.base_wait


@given(st.binary(min_size=32, max_size=32))
def test_leading_zero_bits_matches_the_bit_string(digest):
    bits = "".join(f"{b:08b}" for b in digest)
    assert leading_zero_bits(digest) == len(bits) - len(bits.lstrip("0"))
