"""``{% proof_fields "send" %}``: the proof-of-work fields of a public form
(a work challenge for proof.js, a wait ticket for browsers without it).
``{% proof_fields "name" 3 %}`` prices them for a form that can buy three
things at once (proofs.py)."""

from __future__ import annotations

from typing import Any

from django import template

from safereport.core.pow import ProofPurpose
from safereport.intake import proofs

register = template.Library()


@register.inclusion_tag("intake/_proof.html", takes_context=True)
def proof_fields(context: template.Context, purpose: str, units: int = 1) -> dict[str, Any]:
    return {"proof": proofs.issue(context["request"], ProofPurpose(purpose), max(1, int(units)))}
