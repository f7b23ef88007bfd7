"""Coming back with the receipt: read and send messages, add information,
withdraw a consent, delete the report. The receipt's keys are held by
receipts.py. Each try of a phrase needs a proof of work (proofs.py), so
guessing costs the guesser; nothing refuses a correct phrase."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safereport.accounts import keys
from safereport.accounts.actions import ActionRefused
from safereport.cases.actions import (
    CleanFile,
    do_add_information,
    do_request_shorter_retention,
    do_send_reporter_message,
    do_shred_report,
    do_withdraw_consent,
)
from safereport.cases.models import CRIME_TYPE_LABELS, Message, Report
from safereport.cases.selectors import consent_of, find_by_receipt, read_content
from safereport.cases.tasks import note_possible_duress
from safereport.core import retention
from safereport.core.crypto import CryptoError, MalformedPassphrase
from safereport.core.crypto.receipts import unknown_words
from safereport.core.pow import ProofPurpose
from safereport.core.scan import remove_identifiers
from safereport.core.vocabulary import Purpose
from safereport.disclosures import transfers
from safereport.disclosures.models import DisclosureAttempt
from safereport.intake import carry, checks, proofs, receipts
from safereport.intake import forms as intake_forms
from safereport.intake.proofs import proof_required
from safereport.matching.coordination import do_answer_match
from safereport.transparency.reporter import check_report_entries

WRONG_PASSPHRASE = lambda: _(  # noqa: E731 - translated at call time
    "We could not open a report with that secret phrase. Check the words and try again."
)


@require_http_methods(["GET", "POST"])
@proof_required(ProofPurpose.RETURN)
def return_start(request: HttpRequest) -> HttpResponse:
    if receipts.opened(request) is not None:
        return redirect("public:return_report")
    form = intake_forms.PassphraseForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["passphrase"]
        error, keep_typed = _open_receipt(request, typed)
        if error is None:
            return redirect("public:return_report")
        if not keep_typed:
            form = intake_forms.PassphraseForm()
    return render(
        request,
        "intake/return.html",
        {"form": form, "error": error},
        status=400 if request.method == "POST" else 200,
    )


def _open_receipt(request: HttpRequest, typed: str) -> tuple[str | None, bool]:
    """Open the report this phrase belongs to; else (the message, whether to
    show back what was typed).

    Text that is no receipt at all (a word in none of the lists, a number
    whose check digit fails: a typo) is shown back with the words to check.
    A well-formed receipt that opens nothing is not shown back, whether it
    is a wrong phrase or her second (duress) phrase: the two pages are the
    same (docs/threat-model.md). Both derive with Argon2id, look up the same
    index and enqueue the same job (which flags the case for a second
    phrase), so they also cost the request the same."""
    try:
        receipt = keys.vault().derive_receipt(typed)
    except MalformedPassphrase:
        proofs.record_wrong_phrase(request)  # the next try needs a harder proof
        unknown = unknown_words(typed)
        hint = (
            _("Check these words: %(positions)s.")
            % {"positions": ", ".join(str(p) for p in unknown)}
            if unknown
            else ""
        )
        return f"{WRONG_PASSPHRASE()} {hint}".strip(), True
    except CryptoError:
        receipt = None
    found = find_by_receipt(receipt) if receipt is not None else None
    if receipt is None or found is None:
        if receipt is not None:  # the same enqueue for a wrong and a second phrase
            note_possible_duress(receipt.lookup_digest)
        proofs.record_wrong_phrase(request)
        return WRONG_PASSPHRASE(), False
    request.session.cycle_key()
    receipts.remember(request, receipt)
    return None, False


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
    template: str = "intake/report.html",
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
        template,
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
            "kept": report.retention,
            "shorter_choices": retention.reporter_choices(report.custodian.retention_months),
            # For the referral and police panels (they open what is sealed to
            # the report); stays on the server.
            "unlocked": unlocked,
            # A transfer to another organisation waiting for her answer (issue 13).
            "transfer_proposals": transfers.open_proposals(report),
            "transfer_purpose": Purpose.TRANSFER.value,
            # Her agreement to coordinated support names the other organisation,
            # which she is never told (issue 16): shown without it.
            "coordination_purpose": Purpose.COORDINATED_SUPPORT.value,
            **extra,
        },
        status=status,
    )


def _identifier_offer(request: HttpRequest, label: str, text: str) -> tuple[str, Any]:
    """The scanner on a later free-text answer: (text to use, what to show).

    What to show is None when the text can be stored; "removed" after the
    writer asked for removal (shown again to check); else the offer."""
    offers = checks.identifier_offers({"text": (label, text)})
    choice = request.POST.get("identifiers")
    if not offers or choice == "keep":
        return text, None
    if choice == "remove":
        return remove_identifiers(text), "removed"
    return text, offers


@require_safe
@_with_report
def return_more(request: HttpRequest, report: Report, unlocked: Any) -> HttpResponse:
    """The second step: referrals (legal advice among them), the police and what
    she agreed to share; never on the first screen after the phrase."""
    # No message form here: the language menu is plain links, not that form's buttons.
    return _report_page(
        request, report, unlocked, template="intake/report_more.html", language_form=""
    )


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
            clean = checks.clean_upload(upload)
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
                messages.success(request, _("Your information was added to your report."))
                return redirect("public:return_report")
            except ActionRefused:  # the report has as many files as it may hold
                form.add_error("file", checks.limit_message())
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
    return redirect("public:return_more")


@require_POST
@_with_report
def return_transfer(request: HttpRequest, report: Report, unlocked: Any) -> HttpResponse:
    """The reporter answers a caseworker's proposal to move her report to
    another organisation. "Yes" records her consent and puts the transfer to
    the firewall at once, opened with her own receipt."""
    answer = request.POST.get("answer")
    try:
        transfer_id = int(request.POST.get("transfer", ""))
    except ValueError:
        transfer_id = 0
    if answer not in ("yes", "no"):
        messages.error(request, _("Choose yes or no."))
        return redirect("public:return_report")
    try:
        if answer == "no":
            declined = transfers.do_decline_transfer(report, transfer_id)
            messages.success(
                request,
                _("Your report stays with %(org)s.") % {"org": declined.from_org.name},
            )
            return redirect("public:return_report")
        outcome = transfers.do_agree_to_transfer(report, transfer_id, unlocked=unlocked)
    except ActionRefused:
        messages.error(request, _("This suggestion cannot go ahead now. Nothing was changed."))
        return redirect("public:return_report")
    if outcome.allowed:
        messages.success(
            request,
            _("Your report is now with %(org)s.") % {"org": outcome.transfer.to_org.name},
        )
    else:
        messages.error(
            request,
            _(
                "Your report could not be moved, so it stays where it is. Your caseworker can "
                "see why. Send a message to talk about it."
            ),
        )
    return redirect("public:return_report")


@require_POST
@_with_report
def return_match(request: HttpRequest, report: Report, unlocked: Any) -> HttpResponse:
    """Her answer: may her caseworker work with the organisations that hold
    other reports naming the same person or business (issue 16)? One answer
    for all her report's matches not yet shared."""
    answer = request.POST.get("answer")
    if answer not in ("yes", "no"):
        messages.error(request, _("Choose yes or no."))
        return redirect("public:return_more")
    try:
        do_answer_match(report, agree=answer == "yes")
    except ActionRefused as refused:
        messages.error(request, _(str(refused)))
        return redirect("public:return_more")
    if answer == "yes":
        messages.success(request, _("Thank you. Your caseworker can see your answer."))
    else:
        messages.success(request, _("Your answer is saved. Nothing will be shared about it."))
    return redirect("public:return_more")


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


@require_POST
@_with_report
def return_keep(request: HttpRequest, report: Report, unlocked: Any) -> HttpResponse:
    """The reporter asks for her report to be kept for a shorter time after it is closed."""
    try:
        months = int(request.POST.get("months", ""))
        do_request_shorter_retention(report, months)
    except (ValueError, ActionRefused):
        messages.error(request, _("Choose one of the shorter periods offered."))
    else:
        messages.success(
            request,
            ngettext(
                "Your report will be deleted %(months)d month after it is closed.",
                "Your report will be deleted %(months)d months after it is closed.",
                months,
            )
            % {"months": months},
        )
    return redirect("public:return_report")
