"""Public pages. They work without JavaScript and never ask about immigration status.

The reporting journey asks one question per page. Answers are kept in a
server-side draft (drafts.py) until the reporter submits; a page that fails
validation shows what was typed with an error summary, so nothing is lost.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safereport.accounts import keys
from safereport.accounts.actions import ActionRefused
from safereport.accounts.models import Organisation
from safereport.cases.actions import (
    AlreadySubmitted,
    CleanFile,
    ConsentChoice,
    NewReport,
    derive_new_receipt,
    do_add_information,
    do_send_reporter_message,
    do_shred_report,
    do_submit_report,
    do_withdraw_consent,
    submission_key_for,
)
from safereport.cases.models import CRIME_TYPE_LABELS, Message, Report, ReporterWants
from safereport.cases.selectors import consent_of, find_by_receipt, read_content
from safereport.core.attachments import AttachmentRejected, clean_attachment
from safereport.core.crypto import CryptoError
from safereport.core.scan import find_identifiers, remove_identifiers
from safereport.core.vocabulary import OrgKind, Purpose, Section
from safereport.disclosures.models import DisclosureAttempt
from safereport.intake import carry, directory, drafts, receipts, throttle
from safereport.intake import forms as intake_forms
from safereport.transparency.reporter import check_report_entries


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/home.html")


@require_safe
def rights(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/rights.html")


# -- the journey ------------------------------------------------------------------


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


def _first_missing(draft: drafts.Draft, before: str | None = None) -> str | None:
    for slug in SLUGS:
        if slug == before:
            return None
        if slug not in draft["answers"]:
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


def _language(draft: drafts.Draft) -> str:
    chosen = draft["answers"].get("safe-contact", {}).get("language", "")
    return chosen if chosen and chosen != "other" else (get_language() or "en")


def _organisation_choices(draft: drafts.Draft) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    suggestions = directory.suggest(
        language=_language(draft),
        area=draft["answers"].get("area", {}).get("area", ""),
        crime_type=draft["answers"].get("kind", {}).get("crime_type", ""),
    )
    return [(s.organisation.slug, s.organisation.name) for s in suggestions], {
        s.organisation.slug: s for s in suggestions
    }


def _form_kwargs(slug: str, draft: drafts.Draft) -> dict[str, Any]:
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
    draft = drafts.load_or_start(request)
    context = {
        "step": step,
        "title": STEP_TITLES[step.slug](),
        "form": form,
        "back_url": _back_url(step.slug),
        "then": request.GET.get("then") or request.POST.get("then") or "",
        "position": SLUGS.index(step.slug) + 1,
        "total": len(SLUGS),
        **extra,
    }
    if step.slug == "organisation":
        context["suggestions"] = _organisation_choices(draft)[1]
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
        {"resume": _first_missing(draft) if draft else None, "has_draft": draft is not None},
    )


@require_http_methods(["GET", "POST"])
def report_step(request: HttpRequest, slug: str) -> HttpResponse:
    step = STEP_BY_SLUG.get(slug)
    if step is None:
        raise Http404("No such step.")
    draft = drafts.load_or_start(request)
    missing = _first_missing(draft, before=slug)
    if missing is not None:
        return redirect(_step_url(missing))
    if slug == "attachments":
        return _attachments_step(request, step, draft)
    kwargs = _form_kwargs(slug, draft)
    if request.method != "POST":
        initial = {**draft["answers"].get(slug, {}), **(carry.take(request, f"step:{slug}") or {})}
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
    found = [(name, match) for name, text in texts.items() for match in find_identifiers(text)]
    choice = request.POST.get("identifiers")
    if found:
        if choice == "remove":
            for name in texts:
                data[name] = remove_identifiers(data[name])
            draft["answers"][slug] = data
            drafts.save(request, draft)
            return _render_step(request, step, step.form(initial=data, **kwargs), removed=True)
        if choice == "keep":
            draft["kept"][slug] = _texts_digest(texts)
        elif draft["kept"].get(slug) != _texts_digest(texts):
            offers = [
                {
                    "field": form[name].label,
                    "matched": match.matched,
                    "description": _(match.description),
                }
                for name, match in found
            ]
            return _render_step(request, step, form, identifiers=offers)
    draft["answers"][slug] = data
    drafts.save(request, draft)
    return redirect(_next_url(slug, request))


def _attachment_rows(draft: drafts.Draft) -> list[dict[str, Any]]:
    return [
        {
            "id": item["id"],
            "number": n,
            "kind": item["kind"],
            "size_kb": max(1, item["size"] // 1024),
        }
        for n, item in enumerate(draft["attachments"], start=1)
    ]


def _attachments_step(request: HttpRequest, step: Step, draft: drafts.Draft) -> HttpResponse:
    if request.method != "POST":
        return _render_step(request, step, step.form(), attachments=_attachment_rows(draft))
    form = step.form(request.POST, request.FILES)
    remove = request.POST.get("remove")
    if remove:
        draft["attachments"] = [a for a in draft["attachments"] if a["id"] != remove]
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
    draft["answers"]["attachments"] = {"count": len(draft["attachments"])}
    drafts.save(request, draft)
    return redirect(_next_url("attachments", request))


def _clean_upload(upload: Any) -> CleanFile | str:
    """A cleaned copy of an upload, or the plain-words reason it was refused.
    The original bytes and the file name are dropped here."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        return _("This file is too large. Please attach a smaller file.")
    data = upload.read()
    upload.close()
    try:
        clean = clean_attachment(data, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except AttachmentRejected as refused:
        return _(refused.message)
    return CleanFile(data=clean.data, media_type=clean.media_type)


def _limit_message() -> str:
    # One translated sentence for any count (the catalogues hold this wording).
    return _("You can attach up to %(count)d files.")


def _add_attachment(draft: drafts.Draft, upload: Any) -> str | None:
    if len(draft["attachments"]) >= settings.ATTACHMENT_MAX_COUNT:
        return _limit_message() % {"count": settings.ATTACHMENT_MAX_COUNT}
    clean = _clean_upload(upload)
    if isinstance(clean, str):
        return clean
    draft["attachments"].append(
        {
            "id": uuid.uuid4().hex,
            "data": clean.data,
            "media_type": clean.media_type,
            "kind": clean.media_type.split(";")[0],
            "size": len(clean.data),
        }
    )
    return None


# -- review, consent, submit ---------------------------------------------------------


def _custodian(draft: drafts.Draft) -> Organisation | None:
    slug = draft["answers"].get("organisation", {}).get("organisation")
    return directory.custodians().filter(slug=slug).first() if slug else None


def _nearest(kind: OrgKind, custodian: Organisation) -> Organisation | None:
    candidates = list(Organisation.objects.filter(kind=kind.value).order_by("name"))
    for org in candidates:
        if set(org.areas) & set(custodian.areas):
            return org
    return candidates[0] if candidates else None


SECTION_WORDS = {
    Section.INCIDENT: lambda: _("what happened"),
    Section.PERPETRATOR: lambda: _("what you said about the person responsible"),
    Section.IDENTITY: lambda: _("your name and what you said about yourself"),
    Section.CONTACT: lambda: _("how to contact you"),
    Section.SUPPORT_NEEDS: lambda: _("what you need"),
}


def _sections(draft: drafts.Draft) -> dict[Section, dict[str, object]]:
    answers = draft["answers"]
    wants = answers.get("what-you-want", {})
    return {
        Section.INCIDENT: dict(answers.get("what-happened", {})),
        Section.PERPETRATOR: dict(answers.get("person", {})),
        Section.SUPPORT_NEEDS: {"wants": wants.get("wants", ""), "needs": wants.get("needs", "")},
        Section.CONTACT: {
            k: v for k, v in answers.get("safe-contact", {}).items() if v not in ("", False)
        },
        Section.IDENTITY: dict(answers.get("about-you", {})),
    }


def _given(
    sections: dict[Section, dict[str, object]], wanted: tuple[Section, ...]
) -> tuple[Section, ...]:
    return tuple(
        s for s in wanted if any(v not in ("", None, False) for v in sections.get(s, {}).values())
    )


def _consent_offers(draft: drafts.Draft, custodian: Organisation) -> list[dict[str, Any]]:
    """What the reporter may agree to on the review page, from what they want.
    Nothing is ticked in advance; nothing is shared without a tick."""
    wants = draft["answers"].get("what-you-want", {}).get("wants")
    sections = _sections(draft)
    offers: list[dict[str, Any]] = []

    def offer(key: str, kind: OrgKind, purpose: Purpose, wanted: tuple[Section, ...]) -> None:
        recipient = _nearest(kind, custodian)
        chosen = _given(sections, wanted)
        if recipient is None or not chosen:
            return
        offers.append(
            {
                "key": key,
                "choice": ConsentChoice(recipient=recipient, purpose=purpose, sections=chosen),
                "recipient": recipient,
                "sections": [SECTION_WORDS[s]() for s in chosen],
            }
        )

    if wants == ReporterWants.POLICE_THROUGH_ORGANISATION:
        offer(
            "police",
            OrgKind.POLICE_FORCE,
            Purpose.CRIME_INVESTIGATION,
            (Section.INCIDENT, Section.PERPETRATOR, Section.IDENTITY),
        )
    elif wants == ReporterWants.ANONYMOUS_INFORMATION_TO_POLICE:
        offer(
            "police",
            OrgKind.POLICE_FORCE,
            Purpose.CRIME_INVESTIGATION,
            (Section.INCIDENT, Section.PERPETRATOR),
        )
    elif wants == ReporterWants.LEGAL_ADVICE:
        offer(
            "legal",
            OrgKind.LEGAL_ADVISER,
            Purpose.LEGAL_ADVICE,
            (Section.INCIDENT, Section.IDENTITY, Section.CONTACT),
        )
    return offers


def _summary(draft: drafts.Draft) -> list[dict[str, Any]]:
    """Every answer, with a link to change it."""
    rows: list[dict[str, Any]] = []
    for step in STEPS:
        if step.slug in ("attachments", "organisation"):
            continue
        answers = draft["answers"].get(step.slug, {})
        form = step.form(**_form_kwargs(step.slug, draft))
        for name, field in form.fields.items():
            value = answers.get(name, "")
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value) if value else ""
            elif isinstance(field, forms.BooleanField):
                value = _("Yes") if value else ""
            rows.append(
                {
                    "label": field.label,
                    "value": value,
                    "change": _step_url(step.slug) + "?then=review",
                }
            )
    return rows


@require_safe
def report_review(request: HttpRequest) -> HttpResponse:
    draft = drafts.load(request)
    if draft is None:
        return redirect("public:report_start")
    missing = _first_missing(draft)
    custodian = _custodian(draft)
    if missing is not None or custodian is None:
        return redirect(_step_url(missing or "organisation"))
    return render(
        request,
        "intake/review.html",
        {
            "draft": draft,
            "custodian": custodian,
            "rows": _summary(draft),
            "attachments": _attachment_rows(draft),
            "offers": _consent_offers(draft, custodian),
            "back_url": _step_url("organisation"),
        },
    )


@require_POST
def report_submit(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("draft", "")
    draft = drafts.load(request)
    if draft is None or draft["token"] != token:
        if token and Report.objects.filter(submission_key=submission_key_for(token)).exists():
            return render(request, "intake/already_sent.html")
        messages.info(request, _("Your draft had expired. Please start again."))
        return redirect("public:report_start")
    custodian = _custodian(draft)
    if _first_missing(draft) is not None or custodian is None:
        return redirect("public:report_review")
    chosen = set(request.POST.getlist("consent"))
    new = NewReport(
        crime_type=draft["answers"]["kind"]["crime_type"],
        wants=draft["answers"]["what-you-want"]["wants"],
        custodian=custodian,
        sections=_sections(draft),
        attachments=tuple(
            CleanFile(data=a["data"], media_type=a["media_type"]) for a in draft["attachments"]
        ),
        consents=tuple(
            offer["choice"] for offer in _consent_offers(draft, custodian) if offer["key"] in chosen
        ),
    )
    passphrase, receipt = derive_new_receipt()
    try:
        do_submit_report(new, receipt=receipt, submission_token=token, acting_user=None)
    except AlreadySubmitted:
        drafts.discard(request)
        return render(request, "intake/already_sent.html")
    drafts.discard(request)
    return render(
        request,
        "intake/receipt.html",
        {"passphrase": passphrase, "words": passphrase.split(), "custodian": custodian},
    )


@require_POST
def report_discard(request: HttpRequest) -> HttpResponse:
    drafts.discard(request)
    messages.info(request, _("Your draft was deleted."))
    return redirect("public:home")


# -- coming back with the receipt ------------------------------------------------------

WRONG_PASSPHRASE = lambda: _(  # noqa: E731 - translated at call time
    "We could not open a report with that secret phrase. Check the words and try again."
)


@require_http_methods(["GET", "POST"])
def return_start(request: HttpRequest) -> HttpResponse:
    if receipts.opened(request) is not None:
        return redirect("public:return_report")
    form = intake_forms.PassphraseForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        wait = throttle.remaining_lock(request)
        if wait is not None:
            minutes = max(1, round(wait.total_seconds() / 60))
            error = _("Too many attempts. Please wait %(minutes)d minutes and try again.") % {
                "minutes": minutes
            }
        else:
            error = _open_receipt(request, form.cleaned_data["passphrase"])
            if error is None:
                return redirect("public:return_report")
        form = intake_forms.PassphraseForm()  # a wrong phrase is not shown back
    return render(
        request,
        "intake/return.html",
        {"form": form, "error": error},
        status=400 if request.method == "POST" else 200,
    )


def _open_receipt(request: HttpRequest, typed: str) -> str | None:
    """Open the report this phrase belongs to, or return the one generic message
    (malformed phrase, no such report, deleted report or wrong key alike)."""
    try:
        receipt = keys.vault().derive_receipt(typed)
    except CryptoError:
        receipt = None
    found = find_by_receipt(receipt) if receipt is not None else None
    if receipt is None or found is None:
        throttle.record_failure(request)
        return WRONG_PASSPHRASE()
    request.session.cycle_key()
    receipts.remember(request, receipt)
    return None


def _with_report(
    view: Callable[[HttpRequest, Report, Any], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def wrapped(request: HttpRequest) -> HttpResponse:
        found = receipts.opened(request)
        if found is None:
            messages.info(request, _("Please type your secret phrase to open your report."))
            return redirect("public:return_start")
        return view(request, *found)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _report_page(
    request: HttpRequest,
    report: Report,
    unlocked: Any,
    *,
    message_form: Any = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    content = read_content(report, unlocked)
    # Every firewall decision about this report, proven to be in the public log.
    log_indexes = DisclosureAttempt.objects.filter(
        report=report, ledger_index__isnull=False
    ).values_list("ledger_index", flat=True)
    log_check = check_report_entries(unlocked.ledger_commitment_key(), log_indexes)
    return render(
        request,
        "intake/report.html",
        {
            "report": report,
            "content": content,
            "messages_list": content.messages,
            "message_form": message_form
            or intake_forms.MessageForm(initial=carry.take(request, "message")),
            "language_form": "message-form",
            "crime_type": CRIME_TYPE_LABELS.get(report.crime_type, report.crime_type),
            "to_reporter": Message.Direction.TO_REPORTER,
            "log_check": log_check,
            # For the referral and police panels (they open what is sealed to
            # the report); stays on the server.
            "unlocked": unlocked,
            **extra,
        },
        status=status,
    )


def _identifier_offer(request: HttpRequest, label: str, text: str) -> tuple[str, Any]:
    """The scanner on a later free-text answer: (text to use, what to show).

    What to show is None when the text can be stored; "removed" after the
    writer asked for removal (shown again to check); else the offer."""
    found = find_identifiers(text)
    choice = request.POST.get("identifiers")
    if not found or choice == "keep":
        return text, None
    if choice == "remove":
        return remove_identifiers(text), "removed"
    return text, [
        {"field": label, "matched": m.matched, "description": _(m.description)} for m in found
    ]


@require_safe
@_with_report
def return_report(request: HttpRequest, report: Report, unlocked: Any) -> HttpResponse:
    return _report_page(request, report, unlocked)


@require_POST
@_with_report
def return_message(request: HttpRequest, report: Report, unlocked: Any) -> HttpResponse:
    form = intake_forms.MessageForm(request.POST)
    language = carry.requested_language(request)
    if language is not None:
        carry.keep(request, "message", carry.typed_values(form, request))
        return redirect(translate_url(reverse("public:return_report"), language))
    if not form.is_valid():
        return _report_page(request, report, unlocked, message_form=form, status=400)
    body, offer = _identifier_offer(request, str(form["body"].label), form.cleaned_data["body"])
    if offer == "removed":
        cleaned = intake_forms.MessageForm(initial={"body": body})
        return _report_page(request, report, unlocked, message_form=cleaned, removed=True)
    if offer is not None:
        return _report_page(request, report, unlocked, message_form=form, identifiers=offer)
    do_send_reporter_message(report, body)
    messages.success(request, _("Your message was sent."))
    return redirect("public:return_report")


@require_http_methods(["GET", "POST"])
@_with_report
def return_add(request: HttpRequest, report: Report, unlocked: Any) -> HttpResponse:
    form = intake_forms.AddInformationForm(request.POST or None, request.FILES or None)
    language = carry.requested_language(request) if request.method == "POST" else None
    if language is not None:
        carry.keep(request, "add", carry.typed_values(form, request))
        return redirect(translate_url(reverse("public:return_add"), language))
    if request.method == "GET":
        form = intake_forms.AddInformationForm(initial=carry.take(request, "add"))
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        files: tuple[CleanFile, ...] = ()
        upload = form.cleaned_data.get("file")
        if upload is not None:
            clean = _clean_upload(upload)
            if isinstance(clean, str):
                form.add_error("file", clean)
            else:
                files = (clean,)
        if not text.strip() and not files and not form.errors:
            form.add_error("text", _("Write something or attach a file."))
        text, offer = _identifier_offer(request, str(form["text"].label), text)
        if offer is not None and not form.errors:
            shown = intake_forms.AddInformationForm(initial={"text": text})
            context = (
                {"form": shown, "removed": True}
                if offer == "removed"
                else {
                    "form": form,
                    "identifiers": offer,
                }
            )
            return render(request, "intake/add.html", {**context, "had_file": bool(files)})
        if not form.errors:
            try:
                do_add_information(report, text, files)
            except ActionRefused:
                form.add_error(
                    "file",
                    _limit_message() % {"count": settings.ATTACHMENT_MAX_COUNT},
                )
            else:
                messages.success(request, _("Your information was added to your report."))
                return redirect("public:return_report")
    return render(
        request,
        "intake/add.html",
        {"form": form, "language_form": "add-form"},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@_with_report
def return_withdraw(request: HttpRequest, report: Report, unlocked: Any) -> HttpResponse:
    try:
        consent = consent_of(report, int(request.POST.get("consent", "0")))
    except ValueError:
        raise Http404("No such consent.") from None
    do_withdraw_consent(consent, report=report)
    messages.success(
        request,
        _("You withdrew your agreement. %(org)s will not share anything with %(recipient)s.")
        % {"org": report.custodian.name, "recipient": consent.recipient.name},
    )
    return redirect("public:return_report")


@require_http_methods(["GET", "POST"])
@_with_report
def return_delete(request: HttpRequest, report: Report, unlocked: Any) -> HttpResponse:
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        do_shred_report(report, acting_user=None)
        receipts.forget(request)
        return render(request, "intake/deleted.html")
    return render(request, "intake/delete.html", {"report": report})


@require_POST
def return_close(request: HttpRequest) -> HttpResponse:
    receipts.forget(request)
    messages.info(request, _("Your report is closed on this device."))
    return redirect("public:home")
