"""The firewall: a published Cedar policy, a pure decision function, and an
exhaustive checker that proves the invariants over the whole decision space.
"""

from __future__ import annotations

from safereport.core.policy.explanations import IMMIGRATION_AUTHORITY_REQUEST, explain
from safereport.core.policy.firewall import (
    DEFAULT_DENY,
    POLICY_ERROR,
    Actor,
    CompiledPolicy,
    Consent,
    Decision,
    DisclosureRequest,
    FirewallError,
    InvalidDisclosureRequest,
    LocalRuleRefused,
    Override,
    PolicyInvalid,
    Recipient,
    Refusal,
    decide,
    decide_many,
    load_policy,
    policy_hash,
    policy_text,
    schema_text,
    with_local_rules,
)

__all__ = [
    "DEFAULT_DENY",
    "IMMIGRATION_AUTHORITY_REQUEST",
    "POLICY_ERROR",
    "Actor",
    "CompiledPolicy",
    "Consent",
    "Decision",
    "DisclosureRequest",
    "FirewallError",
    "InvalidDisclosureRequest",
    "LocalRuleRefused",
    "Override",
    "PolicyInvalid",
    "Recipient",
    "Refusal",
    "decide",
    "decide_many",
    "explain",
    "load_policy",
    "policy_hash",
    "policy_text",
    "schema_text",
    "with_local_rules",
]
