"""The reporting journey: one question per page, then review, consent and send.

Answers are kept in a server-side draft (drafts.py) until the reporter
submits; a page that fails validation shows what was typed with an error
summary, so nothing is lost. What may be shared, and with whom, is decided
in the core (core/referrals/consent_offers.py); this module only asks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safereport import admission
from safereport.accounts.actions import ActionRefused
from safereport.accounts.models import Organisation
from safereport.cases.actions import (
    AlreadySubmitted,
    CleanFile,
    ConsentChoice,
    NewReport,
    derive_receipt_in,
    do_set_duress_phrase,
    do_submit_report,
    submission_key_for,
)
from safereport.cases.models import Report
from safereport.core.admission import KdfBusy
from safereport.core.pow import ProofPurpose
from safereport.core.referrals.consent_offers import consent_offers, filled_sections
from safereport.core.scan import remove_identifiers
from safereport.core.vocabulary import OrgKind
from safereport.intake import carry, checks, directory, drafts, receipts
from safereport.intake import forms as intake_forms
from safereport.intake.consent_sentence import consent_sentence
from safereport.intake.drafts import Draft, DraftAttachment
from safereport.intake.proofs import proof_required
from safereport.matching.actions import MatchingRefused, do_add_identifiers
from safereport.matching.forms import NameThemForm


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type[intake_forms.StepForm]
    optional: bool = False


STEPS = (
    Step("kind", "What happened", intake_forms.CrimeTypeForm),
    Step("what-happened", "Tell us what happened", intake_forms.WhatHappenedForm),
    Step("person", "The person responsible", intake_forms.PersonForm, optional=True),
    Step("what-you-want", "What you want", intake_forms.WantsForm),
    Step("safe-contact", "Contacting you safely", intake_forms.ContactForm, optional=True),
    Step("about-you", "About you", intake_forms.IdentityForm, optional=True),
    Step("attachments", "Photos and files", intake_forms.AttachmentForm, optional=True),
    Step("area", "Your area", intake_forms.AreaForm, optional=True),
    Step("organisation", "Choose an organisation", intake_forms.OrganisationForm),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}
SLUGS = [step.slug for step in STEPS]
STEP_TITLES = {
    "kind": lambda: _("What happened"),
    "what-happened": lambda: _("Tell us what happened"),
    "person": lambda: _("The person responsible"),
    "what-you-want": lambda: _("What you want"),
    "safe-contact": lambda: _("Contacting you safely"),
    "about-you": lambda: _("About you"),
    "attachments": lambda: _("Photos and files"),
    "area": lambda: _("Your area"),
    "organisation": lambda: _("Choose an organisation"),
}


def _step_url(slug: str) -> str:
    return reverse("public:report_step", args=[slug])


def _first_missing(draft: Draft, before: str | None = None) -> str | None:
    for slug in SLUGS:
        if slug == before:
            return None
        if slug not in draft.answers:
            return slug
    return None


def _next_url(slug: str, request: HttpRequest) -> str:
    if request.POST.get("then") == "review":
        return reverse("public:report_review")
    index = SLUGS.index(slug)
    return (
        _step_url(SLUGS[index + 1]) if index + 1 < len(SLUGS) else reverse("public:report_review")
    )


def _back_url(slug: str) -> str:
    index = SLUGS.index(slug)
    return _step_url(SLUGS[index - 1]) if index > 0 else reverse("public:report_start")


def _language(draft: Draft) -> str:
    chosen = draft.answer("safe-contact", "language")
    return chosen if chosen and chosen != "other" else (get_language() or "en")


def _organisation_choices(draft: Draft) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    suggestions = directory.suggest(
        language=_language(draft),
        area=draft.answer("area", "area"),
        crime_type=draft.answer("kind", "crime_type"),
    )
    # She came through an organisation's leaflet (its start page): it comes first.
    via = draft.answer(VIA, "organisation")
    suggestions.sort(key=lambda s: s.organisation.slug != via)
    return [(s.organisation.slug, s.organisation.name) for s in suggestions], {
        s.organisation.slug: s for s in suggestions
    }


VIA = "via"  # not a step: the organisation whose start page (leaflet, QR code) she came from


def _via(request: HttpRequest) -> str:
    """The organisation named by a start page's link, while it takes reports."""
    slug = request.GET.get(VIA) or request.POST.get(VIA) or ""
    return slug if slug and directory.custodians().filter(slug=slug[:100]).exists() else ""


def _initial(slug: str, draft: Draft) -> dict[str, Any]:
    initial: dict[str, Any] = dict(draft.answers.get(slug, {}))
    if slug == "organisation" and not initial and draft.answer(VIA, "organisation"):
        initial["organisation"] = draft.answer(VIA, "organisation")
    return initial


def _form_kwargs(slug: str, draft: Draft) -> dict[str, Any]:
    if slug == "area":
        return {"areas": directory.areas()}
    if slug == "organisation":
        return {"choices": _organisation_choices(draft)[0]}
    return {}


def _texts_digest(texts: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(texts, sort_keys=True).encode()).hexdigest()


def _render_step(
    request: HttpRequest,
    step: Step,
    form: intake_forms.StepForm,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    draft = drafts.load(request)
    context = {
        "step": step,
        "title": STEP_TITLES[step.slug](),
        "form": form,
        "back_url": _back_url(step.slug),
        "then": request.GET.get("then") or request.POST.get("then") or "",
        "position": SLUGS.index(step.slug) + 1,
        "total": len(SLUGS),
        # A new report needs a proof of work with its first answer (proofs.py).
        "proof_purpose": ProofPurpose.START.value if draft is None else "",
        "via": _via(request) if draft is None else "",
        **extra,
    }
    if step.slug == "organisation":
        context["suggestions"] = _organisation_choices(draft or Draft.start())[1]
    if step.slug != "attachments":
        # The language choices become buttons of this form, so what was typed goes along.
        context["language_form"] = "step-form"
    return render(request, "intake/step.html", context, status=status)


@require_safe
def report_start(request: HttpRequest) -> HttpResponse:
    draft = drafts.load(request)
    return render(
        request,
        "intake/start.html",
        {
            "resume": _first_missing(draft) if draft else None,
            "has_draft": draft is not None,
            "via": _via(request),
        },
    )


def _no_draft_yet(request: HttpRequest) -> bool:
    return drafts.load(request) is None


@require_http_methods(["GET", "POST"])
@proof_required(ProofPurpose.START, when=_no_draft_yet)
def report_step(request: HttpRequest, slug: str) -> HttpResponse:
    step = STEP_BY_SLUG.get(slug)
    if step is None:
        raise Http404("No such step.")
    # A draft is kept from the first answer sent (with its proof), never for a page view.
    loaded = drafts.load(request)
    draft = loaded or Draft.start()
    if loaded is None and (via := _via(request)):
        draft.answers[VIA] = {"organisation": via}
    missing = _first_missing(draft, before=slug)
    if missing is not None:
        return redirect(_step_url(missing))
    if slug == "attachments":
        return _attachments_step(request, step, draft)
    kwargs = _form_kwargs(slug, draft)
    if request.method != "POST":
        initial = {**_initial(slug, draft), **(carry.take(request, f"step:{slug}") or {})}
        return _render_step(request, step, step.form(initial=initial, **kwargs))
    form = step.form(request.POST, **kwargs)
    language = carry.requested_language(request)
    if language is not None:
        carry.keep(request, f"step:{slug}", carry.typed_values(form, request))
        then = request.POST.get("then")
        here = _step_url(slug) + (f"?{urlencode({'then': then})}" if then else "")
        return redirect(translate_url(here, language))
    if not form.is_valid():
        return _render_step(request, step, form, status=400)
    data = dict(form.cleaned_data)
    texts = {name: data[name] for name in form.free_text if data.get(name)}
    offers = checks.identifier_offers(
        {name: (form[name].label, text) for name, text in texts.items()}
    )
    choice = request.POST.get("identifiers")
    if offers:
        if choice == "remove":
            for name in texts:
                data[name] = remove_identifiers(data[name])
            draft.answers[slug] = data
            drafts.save(request, draft)
            return _render_step(request, step, step.form(initial=data, **kwargs), removed=True)
        if choice == "keep":
            draft.kept[slug] = _texts_digest(texts)
        elif draft.kept.get(slug) != _texts_digest(texts):
            return _render_step(request, step, form, identifiers=offers)
    draft.answers[slug] = data
    drafts.save(request, draft)
    return redirect(_next_url(slug, request))


def _attachment_rows(draft: Draft) -> list[dict[str, Any]]:
    return [
        {"id": item.id, "number": n, "kind": item.kind, "size_kb": max(1, item.size // 1024)}
        for n, item in enumerate(draft.attachments, start=1)
    ]


def _attachments_step(request: HttpRequest, step: Step, draft: Draft) -> HttpResponse:
    if request.method != "POST":
        return _render_step(request, step, step.form(), attachments=_attachment_rows(draft))
    form = step.form(request.POST, request.FILES)
    remove = request.POST.get("remove")
    if remove:
        draft.attachments = [a for a in draft.attachments if a.id != remove]
        drafts.save(request, draft)
        messages.info(request, _("The file was removed."))
        return redirect(_step_url("attachments"))
    upload = request.FILES.get("file")
    if upload is not None:
        error = _add_attachment(draft, upload)
        if error:
            form.is_valid()
            form.add_error("file", error)
            return _render_step(
                request, step, form, status=400, attachments=_attachment_rows(draft)
            )
        drafts.save(request, draft)
        if request.POST.get("action") == "upload":
            messages.info(request, _("The file was attached. You can attach another."))
            return redirect(_step_url("attachments"))
    elif request.POST.get("action") == "upload":
        form.is_valid()
        form.add_error("file", _("Choose a file to attach first."))
        return _render_step(request, step, form, status=400, attachments=_attachment_rows(draft))
    draft.answers["attachments"] = {"count": len(draft.attachments)}
    drafts.save(request, draft)
    return redirect(_next_url("attachments", request))


def _add_attachment(draft: Draft, upload: Any) -> str | None:
    if len(draft.attachments) >= settings.ATTACHMENT_MAX_COUNT:
        return checks.limit_message()
    clean = checks.clean_upload(upload)
    if isinstance(clean, str):
        return clean
    draft.attachments.append(DraftAttachment.new(clean.data, clean.media_type))
    return None


# -- review, consent, submit ---------------------------------------------------------


def _custodian(draft: Draft) -> Organisation | None:
    """The chosen organisation while it can still read reports, else None."""
    slug = draft.answer("organisation", "organisation")
    return directory.custodians().filter(slug=slug).first() if slug else None


def _say_organisation_unavailable(request: HttpRequest) -> None:
    messages.warning(request, str(intake_forms.ORGANISATION_UNAVAILABLE))


def _nearest(kind: OrgKind, custodian: Organisation) -> Organisation | None:
    candidates = list(Organisation.objects.filter(kind=kind.value).order_by("name"))
    for org in candidates:
        if set(org.areas) & set(custodian.areas):
            return org
    return candidates[0] if candidates else None


def _consent_offers(draft: Draft, custodian: Organisation) -> list[dict[str, Any]]:
    """What the reporter may agree to on the review page (the core decides), each
    addressed to the nearest organisation of its kind and worded as her own
    sentence. Nothing is ticked in advance; nothing is shared without a tick."""
    offers: list[dict[str, Any]] = []
    filled = filled_sections(draft.sections())
    named = bool(draft.answer("about-you", "name").strip())
    for offer in consent_offers(draft.answer("what-you-want", "wants"), filled):
        recipient = _nearest(offer.recipient_kind, custodian)
        if recipient is None:
            continue
        choice = ConsentChoice(recipient=recipient, purpose=offer.purpose, sections=offer.sections)
        offers.append(
            {
                "key": offer.key,
                "choice": choice,
                "recipient": recipient,
                "may_reach_police": offer.may_reach_police,
                "sentence": consent_sentence(
                    organisation=custodian.name,
                    recipient=recipient.name,
                    purpose=offer.purpose,
                    sections=offer.sections,
                    named=named,
                ),
            }
        )
    return offers


# What the review page's "You skipped" line calls each optional question.
SKIPPED_WORDS = {
    ("what-happened", "when"): gettext_lazy("when it happened"),
    ("what-happened", "where"): gettext_lazy("where it happened"),
    ("person", "who"): gettext_lazy("who did it"),
    ("person", "relationship"): gettext_lazy("how you know them"),
    ("person", "more"): gettext_lazy("more about them"),
    ("what-you-want", "needs"): gettext_lazy("what you need now"),
    ("safe-contact", "detail"): gettext_lazy("a phone number or email address"),
    ("safe-contact", "safe_times"): gettext_lazy("safe times to contact you"),
    ("safe-contact", "code_word"): gettext_lazy("a code word"),
    ("safe-contact", "language"): gettext_lazy("your language"),
    ("about-you", "name"): gettext_lazy("your name"),
    ("about-you", "other"): gettext_lazy("more about you"),
    ("area", "area"): gettext_lazy("your area"),
}
SKIPPED_FILES = gettext_lazy("photos and files")


@dataclass(frozen=True)
class Summary:
    """The review page's answers: a row for each question answered, with a link
    to change it, and the questions skipped, each linked to its page."""

    rows: list[dict[str, Any]]
    skipped: list[tuple[str, str]]


def _shown_value(field: forms.Field, value: Any) -> str:
    """The answer as the reporter chose it ('' when not answered). A contact
    channel left empty is an answer: "only through this website"."""
    if isinstance(field, forms.BooleanField):
        return str(_("Yes")) if value else ""
    if isinstance(field, forms.ChoiceField):
        if value or (field.widget.input_type == "radio" and not field.required):
            return str(dict(field.choices).get(value or "", value))
        return ""
    return str(value or "")


def _summary(draft: Draft) -> Summary:
    rows: list[dict[str, Any]] = []
    skipped: list[tuple[str, str]] = []
    for step in STEPS:
        change = _step_url(step.slug) + "?then=review"
        if step.slug == "attachments":
            if not draft.attachments:
                skipped.append((str(SKIPPED_FILES), change))
            continue
        if step.slug == "organisation":
            continue
        answers = draft.answers.get(step.slug, {})
        form = step.form(**_form_kwargs(step.slug, draft))
        for name, field in form.fields.items():
            value = _shown_value(field, answers.get(name, ""))
            if value.strip():
                rows.append({"label": field.label, "value": value, "change": change})
            elif (step.slug, name) in SKIPPED_WORDS:
                skipped.append((str(SKIPPED_WORDS[step.slug, name]), change))
    return Summary(rows, skipped)


@require_safe
def report_review(request: HttpRequest) -> HttpResponse:
    draft = drafts.load(request)
    if draft is None:
        return redirect("public:report_start")
    missing = _first_missing(draft)
    custodian = _custodian(draft)
    if missing is not None or custodian is None:
        if missing is None:
            _say_organisation_unavailable(request)
        return redirect(_step_url(missing or "organisation"))
    return _render_review(request, draft, custodian, NameThemForm())


def _render_review(
    request: HttpRequest,
    draft: Draft,
    custodian: Organisation,
    name_them: NameThemForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "intake/review.html",
        {
            "draft": draft,
            "custodian": custodian,
            "summary": _summary(draft),
            "attachments": _attachment_rows(draft),
            "offers": _consent_offers(draft, custodian),
            "receipt_forms": receipts.receipt_forms(get_language() or "en"),
            "name_them": name_them,
            "proof_units": REVIEW_UNITS,
            "back_url": _step_url("organisation"),
        },
        status=status,
    )


# What the review page's form can buy: the report, and one detail of who is
# responsible (a tag from the server's hourly budget, docs/matching.md).
REVIEW_UNITS = 2


def _send_units(request: HttpRequest) -> int:
    """Sending is priced as one; a detail of who is responsible sent with it as one
    more, so flooding the hourly tag budget costs work for every detail (proofs.py)."""
    return 1 + (1 if request.POST.get("who-value", "").strip() else 0)


@require_POST
@proof_required(ProofPurpose.SEND, units=_send_units)
def report_submit(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("draft", "")
    draft = drafts.load(request)
    if draft is None or draft.token != token:
        if token and Report.objects.filter(submission_key=submission_key_for(token)).exists():
            return render(request, "intake/already_sent.html")
        messages.info(request, _("Your draft had expired. Please start again."))
        return redirect("public:report_start")
    custodian = _custodian(draft)
    if _first_missing(draft) is not None or custodian is None:
        return redirect("public:report_review")
    name_them = NameThemForm(request.POST)
    if not name_them.is_valid():
        return _render_review(request, draft, custodian, name_them, status=400)
    chosen = set(request.POST.getlist("consent"))
    new = NewReport(
        crime_type=draft.answer("kind", "crime_type"),
        danger_now=draft.answers.get("kind", {}).get("danger_now") is True,
        wants=draft.answer("what-you-want", "wants"),
        custodian=custodian,
        sections=draft.sections(),
        attachments=tuple(
            CleanFile(data=a.data, media_type=a.media_type) for a in draft.attachments
        ),
        consents=tuple(
            offer["choice"] for offer in _consent_offers(draft, custodian) if offer["key"] in chosen
        ),
    )
    form = receipts.chosen_form(request.POST.get("receipt", ""), get_language() or "en")
    try:
        shown, receipt = derive_receipt_in(form)
    except KdfBusy as busy:  # nothing sent; the draft stays sealed in its store
        return admission.busy_page(
            request,
            busy,
            again=reverse("public:report_submit"),
            fields=[
                ("draft", token),
                ("receipt", form),
                *(("consent", key) for key in sorted(chosen)),
                *((name, value) for name, value in request.POST.items() if name.startswith("who-")),
            ],
            back=reverse("public:report_review"),
        )
    try:
        report = do_submit_report(new, receipt=receipt, submission_token=token, acting_user=None)
    except AlreadySubmitted:
        drafts.discard(request)
        return render(request, "intake/already_sent.html")
    drafts.discard(request)
    if name_them.identifier is not None:
        try:
            do_add_identifiers(report, [name_them.identifier], acting_user=None)
        except MatchingRefused:
            # The report is sent; the detail was not kept (the hour's limit is spent).
            messages.info(request, _("The detail you added could not be used now."))
    receipts.offer_duress(request, receipt, form)
    return render(request, "intake/receipt.html", {"receipt": shown, "custodian": custodian})


@require_POST
def report_second_phrase(request: HttpRequest) -> HttpResponse:
    """Just after sending, she may ask for a second phrase: typed on the return
    page, it opens nothing and quietly tells the caseworkers she may be under
    pressure (docs/threat-model.md). Shown once, like the first."""
    offer = receipts.duress_offer(request)
    if offer is None:
        messages.info(request, _("A second phrase can only be made just after sending a report."))
        return redirect("public:home")
    report, form = offer
    try:
        shown, duress = derive_receipt_in(form)
    except KdfBusy as busy:
        return admission.busy_page(
            request, busy, again=reverse("public:report_second_phrase"), fields=[], back=None
        )
    try:
        do_set_duress_phrase(report, duress)
    except ActionRefused:
        receipts.drop_duress_offer(request)
        messages.info(request, _("Your report already has a second phrase."))
        return redirect("public:home")
    receipts.drop_duress_offer(request)
    return render(request, "intake/second_phrase.html", {"receipt": shown})


@require_POST
def report_discard(request: HttpRequest) -> HttpResponse:
    drafts.discard(request)
    messages.info(request, _("Your draft was deleted."))
    return redirect("public:home")
