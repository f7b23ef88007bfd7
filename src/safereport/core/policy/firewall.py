"""The firewall: one published Cedar policy decides every disclosure.

Python here only translates plain values into a Cedar request and Cedar's
answer back into a :class:`Decision`; every rule lives in ``firewall.cedar``.

Typical use on the Django side::

    decision = decide(DisclosureRequest(...))
    if not decision.allowed:
        for refusal in decision.refusals:
            show(gettext(refusal.explanation))
    log(decision.policy_hash, decision.rule_ids, ...)

There is deliberately no parameter, setting or flag that skips the policy.
A different policy text (a stricter local rule set, or a test's weakened copy)
is a different :class:`CompiledPolicy` with a different hash.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cedarpy

from safereport.core.policy.explanations import explain
from safereport.core.vocabulary import OrgKind, Purpose, Role, Section

POLICY_PATH = Path(__file__).with_name("firewall.cedar")
SCHEMA_PATH = Path(__file__).with_name("firewall.cedarschema")

DEFAULT_DENY = "default-deny"
POLICY_ERROR = "policy-error"

# Separator inside consent grant strings; ids containing it are refused.
_GRANT_SEPARATOR = "|"
_ACTIVE = "active"
_WITHDRAWN = "withdrawn"


class FirewallError(Exception):
    """Base class for the firewall's typed errors."""


class InvalidDisclosureRequest(FirewallError, ValueError):
    """A disclosure request holds a value the firewall cannot reason about."""


class PolicyInvalid(FirewallError):
    """A policy text does not parse or does not validate against the schema."""


class LocalRuleRefused(FirewallError):
    """A local rule set tried to do something other than add forbids."""


# ------------------------------------------------------------------ requests --


def _check_id(what: str, value: object) -> str:
    if not isinstance(value, str) or value == "":
        raise InvalidDisclosureRequest(f"{what} must be a non-empty string, got {value!r}")
    if _GRANT_SEPARATOR in value:
        raise InvalidDisclosureRequest(f"{what} must not contain {_GRANT_SEPARATOR!r}: {value!r}")
    return value


def _sections(what: str, values: Iterable[Section | str]) -> frozenset[Section]:
    if isinstance(values, str):
        raise InvalidDisclosureRequest(f"{what} must be a collection of sections, not a string")
    try:
        return frozenset(Section(v) for v in values)
    except (TypeError, ValueError) as exc:
        raise InvalidDisclosureRequest(f"{what}: {exc}") from exc


def _enum[E: (Role, OrgKind, Purpose)](kind: type[E], what: str, value: object) -> E:
    if not isinstance(value, str):
        raise InvalidDisclosureRequest(f"{what} must be a {kind.__name__}, got {value!r}")
    try:
        return kind(value)
    except ValueError as exc:
        raise InvalidDisclosureRequest(f"{what}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Actor:
    """The staff member asking to disclose."""

    staff_id: str
    organisation_id: str
    role: Role

    def __post_init__(self) -> None:
        _check_id("actor staff id", self.staff_id)
        _check_id("actor organisation id", self.organisation_id)
        object.__setattr__(self, "role", _enum(Role, "actor role", self.role))


@dataclass(frozen=True, slots=True)
class Recipient:
    """The organisation the data would go to."""

    organisation_id: str
    kind: OrgKind

    def __post_init__(self) -> None:
        _check_id("recipient organisation id", self.organisation_id)
        object.__setattr__(self, "kind", _enum(OrgKind, "recipient kind", self.kind))


@dataclass(frozen=True, slots=True)
class Consent:
    """One consent on record for the report: to whom, why, which sections."""

    recipient_organisation_id: str
    purpose: Purpose
    sections: frozenset[Section]
    withdrawn: bool = False

    def __post_init__(self) -> None:
        _check_id("consent recipient organisation id", self.recipient_organisation_id)
        object.__setattr__(self, "purpose", _enum(Purpose, "consent purpose", self.purpose))
        object.__setattr__(self, "sections", _sections("consent sections", self.sections))
        if not isinstance(self.withdrawn, bool):
            raise InvalidDisclosureRequest("consent withdrawn flag must be a bool")


@dataclass(frozen=True, slots=True)
class Override:
    """A safeguarding override (risk to life) and who approved it."""

    reason: str
    approver_staff_id: str
    approver_organisation_id: str

    def __post_init__(self) -> None:
        if not isinstance(self.reason, str):
            raise InvalidDisclosureRequest("override reason must be a string")
        _check_id("override approver staff id", self.approver_staff_id)
        _check_id("override approver organisation id", self.approver_organisation_id)


@dataclass(frozen=True, slots=True)
class DisclosureRequest:
    """Everything the firewall looks at to decide one disclosure."""

    actor: Actor
    custodian_organisation_id: str
    recipient: Recipient
    purpose: Purpose
    sections: frozenset[Section]
    consents: tuple[Consent, ...] = ()
    override: Override | None = None
    # Only names the Cedar resource (useful in logs); it never changes a decision.
    report_id: str = "report"

    def __post_init__(self) -> None:
        if not isinstance(self.actor, Actor) or not isinstance(self.recipient, Recipient):
            raise InvalidDisclosureRequest("actor and recipient must be Actor and Recipient")
        _check_id("custodian organisation id", self.custodian_organisation_id)
        object.__setattr__(self, "purpose", _enum(Purpose, "purpose", self.purpose))
        object.__setattr__(self, "sections", _sections("sections", self.sections))
        consents = tuple(self.consents)
        if not all(isinstance(c, Consent) for c in consents):
            raise InvalidDisclosureRequest("consents must be Consent records")
        object.__setattr__(self, "consents", consents)
        if self.override is not None and not isinstance(self.override, Override):
            raise InvalidDisclosureRequest("override must be an Override or None")
        if not isinstance(self.report_id, str):
            raise InvalidDisclosureRequest("report id must be a string")


def _grant(state: str, recipient: str, purpose: Purpose, section: Section | None) -> str:
    """One grant string; ``section`` None is the consent as a whole (its
    recipient and purpose, whatever its sections), ending in the separator."""
    named = "" if section is None else section.value
    return _GRANT_SEPARATOR.join((state, recipient, purpose.value, named))


def _entity(kind: str, eid: str) -> dict[str, dict[str, str]]:
    return {"__entity": {"type": kind, "id": eid}}


# The Cedar context is written as JSON in four parts, each a function of a few
# fields of the request, so that the exhaustive checker can reuse a part across
# the many requests that share it while asking Cedar through exactly this
# translation. A part is JSON object members without the braces; the parts
# have disjoint keys, so joining them with commas inside braces is the object.


def _members(values: Mapping[str, Any]) -> str:
    return json.dumps(values, separators=(",", ":"))[1:-1]


def actor_context(actor: Actor, custodian_organisation_id: str) -> str:
    """Who asks, and which organisation holds the report."""
    return _members(
        {
            "actor_org": actor.organisation_id,
            "actor_role": actor.role.value,
            "custodian_org": custodian_organisation_id,
        }
    )


def recipient_context(recipient: Recipient, purpose: Purpose, sections: frozenset[Section]) -> str:
    """To whom, why and which sections; the grants a live consent would need."""
    org = recipient.organisation_id
    return _members(
        {
            "recipient_org": org,
            "recipient_kind": recipient.kind.value,
            "purpose": purpose.value,
            "sections": sorted(s.value for s in sections),
            # The whole-consent grant too: a request for no section (coordinated
            # support) needs a live consent for this recipient and purpose; for any
            # other request the section grants already imply it.
            "requested_grants": sorted(_grant(_ACTIVE, org, purpose, s) for s in (None, *sections)),
        }
    )


def consents_context(consents: tuple[Consent, ...]) -> str:
    """Every consent on record: one grant string per section, and one for the
    consent as a whole."""
    grants = {
        _grant(
            _WITHDRAWN if consent.withdrawn else _ACTIVE,
            consent.recipient_organisation_id,
            consent.purpose,
            section,
        )
        for consent in consents
        for section in (None, *consent.sections)
    }
    return _members({"consent_grants": sorted(grants)})


def override_context(override: Override | None) -> str:
    """The safeguarding override, if any ("" when none: the key is absent)."""
    if override is None:
        return ""
    return _members(
        {
            "override": {
                "reason": override.reason.strip(),
                "approver": _entity("Staff", override.approver_staff_id),
                "approver_org": override.approver_organisation_id,
            }
        }
    )


def join_context(parts: Iterable[str]) -> str:
    """The context JSON object made of parts from the functions above."""
    return "{" + ",".join(part for part in parts if part) + "}"


def cedar_context(request: DisclosureRequest) -> dict[str, Any]:
    """The Cedar context for a request: plain values, no decisions."""
    loaded: dict[str, Any] = json.loads(cedar_context_json(request))
    return loaded


def cedar_context_json(request: DisclosureRequest) -> str:
    """The Cedar context for a request, as the JSON Cedar reads."""
    return join_context(
        (
            actor_context(request.actor, request.custodian_organisation_id),
            recipient_context(request.recipient, request.purpose, request.sections),
            consents_context(request.consents),
            override_context(request.override),
        )
    )


ACTION = {"type": "Action", "id": "disclose"}


def cedar_principal(staff_id: str) -> dict[str, str]:
    return {"type": "Staff", "id": staff_id}


def cedar_resource(report_id: str) -> dict[str, str]:
    return {"type": "Report", "id": report_id}


def cedar_request(request: DisclosureRequest) -> dict[str, Any]:
    """The full Cedar authorisation request (context serialised to JSON)."""
    return {
        "principal": cedar_principal(request.actor.staff_id),
        "action": ACTION,
        "resource": cedar_resource(request.report_id),
        "context": cedar_context_json(request),
    }


# -------------------------------------------------------------------- policy --


@dataclass(frozen=True)
class CompiledPolicy:
    """A parsed, schema-validated policy text and its SHA-256."""

    text: str
    sha256: str
    policy_set: cedarpy.PolicySet = field(repr=False, compare=False)
    schema: cedarpy.Schema = field(repr=False, compare=False)


def policy_text() -> str:
    """The published policy, exactly as shipped."""
    return POLICY_PATH.read_bytes().decode("utf-8")


def schema_text() -> str:
    """The Cedar schema the policy is validated against."""
    return SCHEMA_PATH.read_bytes().decode("utf-8")


def hash_policy_text(text: str) -> str:
    """SHA-256 hex of a policy text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def policy_hash() -> str:
    """SHA-256 hex of the exact bytes of the published policy file."""
    return hashlib.sha256(POLICY_PATH.read_bytes()).hexdigest()


@functools.cache
def _schema() -> cedarpy.Schema:
    return cedarpy.Schema.from_str(schema_text())


@functools.lru_cache(maxsize=16)
def load_policy(text: str | None = None) -> CompiledPolicy:
    """Parse and validate a policy text (the published one when ``None``).

    Cached: loading the same text again costs a dictionary lookup.
    Raises :class:`PolicyInvalid` if the text does not parse or validate.
    """
    if text is None:
        text = policy_text()
    schema = _schema()
    try:
        policy_set = cedarpy.PolicySet.from_str(text)
    except ValueError as exc:
        raise PolicyInvalid(f"the policy does not parse: {exc}") from exc
    result = cedarpy.validate_policies(text, schema)
    if not result.validation_passed:
        problems = "; ".join(str(e) for e in result.errors)
        raise PolicyInvalid(f"the policy does not validate against the schema: {problems}")
    return CompiledPolicy(
        text=text, sha256=hash_policy_text(text), policy_set=policy_set, schema=schema
    )


def with_local_rules(fragment: str, base: CompiledPolicy | None = None) -> CompiledPolicy:
    """The published policy (or ``base``) plus stricter local rules.

    Local rules may only add ``forbid`` policies: they can refuse more, never
    allow more, and the core rules stay in place. The combined text has its
    own hash, which is what the transparency log records.
    """
    try:
        parsed = cedarpy.policies_to_pst(fragment)
    except ValueError as exc:
        raise PolicyInvalid(f"the local rules do not parse: {exc}") from exc
    if parsed.templates or parsed.template_links:
        raise LocalRuleRefused("local rules may not use templates")
    permits = [p for p in parsed.static_policies.values() if p.effect != "forbid"]
    if permits:
        raise LocalRuleRefused("local rules may only add forbid rules; found a permit")
    core = base if base is not None else load_policy()
    return load_policy(core.text.rstrip("\n") + "\n\n// ---- local rules ----\n\n" + fragment)


# ------------------------------------------------------------------ decision --


@dataclass(frozen=True, slots=True)
class Refusal:
    """One reason a disclosure was refused.

    ``explanation`` is English marked with ``gettext_noop``; translate it
    when rendering (``gettext(refusal.explanation)``).
    """

    rule_id: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Decision:
    """What the firewall decided, which rules decided it, under which policy."""

    allowed: bool
    rule_ids: tuple[str, ...]
    refusals: tuple[Refusal, ...]
    policy_hash: str
    errors: tuple[str, ...] = ()


def _rule_ids(result: cedarpy.AuthzResult) -> tuple[str, ...]:
    names: Mapping[str, str] = result.diagnostics.id_annotations_by_reason
    reasons: Sequence[str] = result.diagnostics.reasons
    return tuple(sorted(names.get(pid) or pid for pid in reasons))


def is_allowed(result: cedarpy.AuthzResult) -> bool:
    """Cedar's answer as the firewall reads it: allowed, and without any error."""
    return result.allowed and not result.diagnostics.errors


def to_decision(result: cedarpy.AuthzResult, policy: CompiledPolicy) -> Decision:
    """Cedar's answer as a :class:`Decision` (allowed exactly when ``is_allowed``)."""
    errors = tuple(str(e) for e in result.diagnostics.errors)
    if errors:
        # Cedar skips a policy whose evaluation errors, which could silently drop
        # a forbid. Fail closed: any error refuses the disclosure.
        return Decision(
            allowed=False,
            rule_ids=(POLICY_ERROR,),
            refusals=(Refusal(POLICY_ERROR, explain(POLICY_ERROR)),),
            policy_hash=policy.sha256,
            errors=errors,
        )
    ids = _rule_ids(result)
    if is_allowed(result):
        return Decision(allowed=True, rule_ids=ids, refusals=(), policy_hash=policy.sha256)
    if not ids:
        ids = (DEFAULT_DENY,)
    return Decision(
        allowed=False,
        rule_ids=ids,
        refusals=tuple(Refusal(rule_id, explain(rule_id)) for rule_id in ids),
        policy_hash=policy.sha256,
    )


# Requests are not re-validated against the schema at decision time: they are
# built here from validated dataclasses, the policy was validated against the
# schema when it was loaded, and a malformed request makes Cedar report an
# evaluation error, which refuses the disclosure (see to_decision). Skipping
# the per-request schema pass roughly halves the cost of a decision.


# The firewall's requests carry everything in their context: no entities. One
# parsed (empty) entity set serves every call.
NO_ENTITIES = cedarpy.Entities.from_json_str("[]")


def decide(request: DisclosureRequest, policy: CompiledPolicy | None = None) -> Decision:
    """Decide one disclosure under the published policy (or ``policy``)."""
    compiled = policy if policy is not None else load_policy()
    result = cedarpy.is_authorized(cedar_request(request), compiled.policy_set, NO_ENTITIES)
    return to_decision(result, compiled)


def decide_many(
    requests: Sequence[DisclosureRequest], policy: CompiledPolicy | None = None
) -> list[Decision]:
    """Decide many disclosures in one call to Cedar (same answers as ``decide``)."""
    compiled = policy if policy is not None else load_policy()
    return decide_cedar_requests([cedar_request(r) for r in requests], compiled)


def decide_cedar_requests(
    cedar_requests: list[dict[str, Any]], policy: CompiledPolicy
) -> list[Decision]:
    """Decide already-translated Cedar requests."""
    return [to_decision(r, policy) for r in ask_cedar(cedar_requests, policy)]


def ask_cedar(
    cedar_requests: list[dict[str, Any]], policy: CompiledPolicy
) -> list[cedarpy.AuthzResult]:
    """Cedar's raw answers to translated requests, in one batch call (the checker
    reads them with ``is_allowed`` and builds a Decision only to describe one)."""
    return cedarpy.is_authorized_batch(cedar_requests, policy.policy_set, NO_ENTITIES)
