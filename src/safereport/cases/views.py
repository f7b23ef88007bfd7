"""The caseworker's side of a report: inbox, case, notes, replies, status, filing for someone.

Every view wears ``staff_page``; reports come only through the selectors,
which refuse another organisation's report as if it did not exist. Opening a
case needs the staff member's keys unlocked in server memory at sign-in; after
a server restart they are asked to sign in again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safereport.accounts import keys, permissions
from safereport.accounts.access import StaffRequest, staff_page
from safereport.accounts.actions import ActionRefused
from safereport.accounts.models import StaffUser
from safereport.accounts.selectors import colleagues_of
from safereport.cases.actions import (
    NewReport,
    derive_new_receipt,
    do_add_note,
    do_assign_report,
    do_change_status,
    do_record_case_access,
    do_record_contact,
    do_release_legal_hold,
    do_reply_to_reporter,
    do_set_legal_hold,
    do_submit_report,
)
from safereport.cases.models import (
    CRIME_TYPE_CHOICES,
    CaseAccess,
    LegalHold,
    Message,
    Report,
    ReporterWants,
    ReportStatus,
)
from safereport.cases.selectors import (
    BadInboxRequest,
    InboxView,
    access_log_for,
    access_report,
    assignable_colleagues,
    inbox_page,
    normalise_reference,
    open_as_custodian,
    open_attachment,
    read_content,
)
from safereport.cases.timeline import anchored, case_timeline
from safereport.core.admission import KdfBusy
from safereport.core.contact import CHANNEL_LABELS, Channel, Plan, check_contact
from safereport.core.crypto import CryptoError, UnlockedOrganisation
from safereport.core.labels import PURPOSE_LABELS, SECTION_LABELS
from safereport.core.vocabulary import Purpose, Section

SECTION_TITLES = {
    Section.INCIDENT.value: gettext_lazy("What happened"),
    Section.PERPETRATOR.value: gettext_lazy("The person responsible"),
    Section.SUPPORT_NEEDS.value: gettext_lazy("What the reporter wants and needs"),
    Section.CONTACT.value: gettext_lazy("Safe contact plan"),
    Section.IDENTITY.value: gettext_lazy("Identity"),
}
ANSWER_LABELS = {
    "what": gettext_lazy("What happened"),
    "when": gettext_lazy("When"),
    "where": gettext_lazy("Where"),
    "added": gettext_lazy("Added later by the reporter"),
    "who": gettext_lazy("Who"),
    "relationship": gettext_lazy("Relationship"),
    "more": gettext_lazy("More"),
    "wants": gettext_lazy("Wants"),
    "needs": gettext_lazy("Needs"),
    "channel": gettext_lazy("Channel"),
    "detail": gettext_lazy("Phone or email"),
    "safe_times": gettext_lazy("Safe times"),
    "code_word": gettext_lazy("Code word"),
    "language": gettext_lazy("Language"),
    "interpreter": gettext_lazy("Interpreter needed"),
    "name": gettext_lazy("Name"),
    "other": gettext_lazy("Other"),
}


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Reply to the reporter"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Add a case note (staff only)"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ContactForm(forms.Form):
    """A contact outside the website, checked against the safe-contact plan first."""

    channel = forms.ChoiceField(
        label=gettext_lazy("How will you contact them?"),
        choices=[
            (c.value, gettext_lazy(CHANNEL_LABELS[c])) for c in Channel if c is not Channel.WEBSITE
        ],
        widget=forms.RadioSelect,
    )
    at = forms.DateTimeField(
        label=gettext_lazy("When (their local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirmed = forms.BooleanField(
        label=gettext_lazy("I have read the warnings and this contact is still right"),
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Why, despite the plan?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ReportStatus.choices)


class LegalHoldForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Keep this case because of"), choices=LegalHold.choices
    )


class FileForReporterForm(forms.Form):
    crime_type = forms.ChoiceField(label=gettext_lazy("Kind of harm"), choices=CRIME_TYPE_CHOICES)
    wants = forms.ChoiceField(label=gettext_lazy("What they want"), choices=ReporterWants.choices)
    what = forms.CharField(
        label=gettext_lazy("What happened"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    when = forms.CharField(label=gettext_lazy("When (optional)"), max_length=500, required=False)
    where = forms.CharField(label=gettext_lazy("Where (optional)"), max_length=500, required=False)
    who = forms.CharField(
        label=gettext_lazy("Person responsible (optional)"), max_length=500, required=False
    )
    contact = forms.CharField(
        label=gettext_lazy("Safe contact plan (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    name = forms.CharField(label=gettext_lazy("Name (optional)"), max_length=500, required=False)


CaseView = Callable[..., HttpResponse]


def with_unlocked_organisation(view: CaseView) -> CaseView:
    """Give the view the organisation key unlocked from server memory, or ask
    the staff member to sign in again (keys are lost on a server restart)."""

    @wraps(view)
    def wrapped(request: StaffRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        organisation = keys.unlocked_organisation(request)
        if organisation is None:
            return render(request, "cases/keys_locked.html", status=403)
        return view(request, organisation, *args, **kwargs)

    return wrapped


INBOX_FILTERS = (
    (InboxView.ALL, gettext_lazy("All")),
    (InboxView.MINE, gettext_lazy("Mine")),
    (InboxView.UNASSIGNED, gettext_lazy("Unassigned")),
    (InboxView.NEW, gettext_lazy("New")),
    (InboxView.WAITING, gettext_lazy("Waiting for the reporter")),
    (InboxView.HIGH_RISK, gettext_lazy("High risk")),
    (InboxView.DEADLINE, gettext_lazy("Deadline within 7 days")),
)


@dataclass(frozen=True)
class InboxRow:
    """One card of the inbox, in words, worked out once per page (the labels of
    the choices are looked up in dictionaries made once, not per report)."""

    public_id: str
    url: str
    received: str
    kind: str
    wants: str
    status: str
    assigned_to: str
    risk_high: bool
    danger_now: bool
    shredded: bool


def _inbox_rows(reports: list[Report]) -> list[InboxRow]:
    kinds = {value: str(label) for value, label in CRIME_TYPE_CHOICES}
    wants = {value: str(label) for value, label in ReporterWants.choices}
    statuses = {value: str(label) for value, label in ReportStatus.choices}
    case_url = reverse("staff:case", args=["REFERENCE"])
    return [
        InboxRow(
            public_id=report.public_id,
            # References are [a-z0-9] only (new_public_id), so they need no quoting.
            url=case_url.replace("REFERENCE", report.public_id),
            received=date_format(timezone.localtime(report.created_at), "j M Y H:i"),
            kind=kinds.get(report.crime_type, report.crime_type),
            wants=wants.get(report.wants, report.wants),
            status=statuses.get(report.status, report.status),
            assigned_to=report.assigned_to.display_name if report.assigned_to else "",
            risk_high=report.risk_high,
            danger_now=report.danger_now,
            shredded=report.is_shredded,
        )
        for report in reports
    ]


def _inbox_url(**params: str) -> str:
    kept = {name: value for name, value in params.items() if value}
    return reverse("staff:inbox") + (f"?{urlencode(kept)}" if kept else "")


@staff_page(permissions.is_case_worker)
@require_safe
def inbox(request: StaffRequest) -> HttpResponse:
    """One page of the inbox: a filter (``show``), a reference (``ref``), and the
    cursor of the page before (``after``). A link we did not make gets a 400
    that says so, with the first page of everything."""
    show = request.GET.get("show", InboxView.ALL.value)
    reference = request.GET.get("ref", "")[:100]
    status, error = 200, ""
    try:
        page = inbox_page(
            request.user, view=show, reference=reference, after=request.GET.get("after", "")
        )
    except BadInboxRequest as bad:
        status, error = 400, _(str(bad))
        show, reference = InboxView.ALL.value, ""
        page = inbox_page(request.user)
    filters = [
        {"label": label, "url": _inbox_url(show=view.value), "current": view.value == show}
        for view, label in INBOX_FILTERS
    ]
    return render(
        request,
        "cases/inbox.html",
        {
            "reports": _inbox_rows(page.reports),
            "filters": filters,
            "show": show,
            "reference": normalise_reference(reference),
            "error": error,
            "next_url": _inbox_url(show=show, ref=reference, after=page.next_cursor)
            if page.next_cursor
            else "",
            "first_url": _inbox_url(show=show, ref=reference) if request.GET.get("after") else "",
        },
        status=status,
    )


def _shown(key: str, value: object) -> object:
    """An answer as a caseworker reads it: choices in words, not their codes."""
    if value is True:
        return _("Yes")
    if key == "wants" and value in ReporterWants.values:
        return ReporterWants(value).label
    if key == "channel" and value in Channel.__members__.values():
        return _(CHANNEL_LABELS[Channel(value)])
    if key == "language" and value in dict(settings.LANGUAGES):
        return dict(settings.LANGUAGES)[value]
    return value


def _consent_rows(consents: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "consent": consent,
            "purpose": _(PURPOSE_LABELS[Purpose(consent.purpose)]),
            "sections": [_(SECTION_LABELS[Section(s)]) for s in consent.sections],
        }
        for consent in consents
    ]


# Where on the case page each action leaves the person: the fragment of the
# redirect (and of the form's action, for a form shown again with errors), and
# the tag its notice carries so the page shows the notice right there.
# A reply lands on the newest entry of the timeline (the reply itself), with
# the reply box and its notice just below it.
SUMMARY, REPLY, NOTE = "summary", "reply", "note"
LANDING = {REPLY: "latest"}


def _back_to(public_id: str, place: str) -> HttpResponse:
    fragment = LANDING.get(place, place)
    return redirect(reverse("staff:case", kwargs={"public_id": public_id}) + f"#{fragment}")


def _notices_by_place(request: StaffRequest) -> dict[str, list[Any]]:
    """This request's notices, grouped by the place their action named (``top``
    for the rest), so each is shown where the person is."""
    placed: dict[str, list[Any]] = {}
    for notice in messages.get_messages(request):
        place = notice.extra_tags if notice.extra_tags in (SUMMARY, REPLY, NOTE) else "top"
        placed.setdefault(place, []).append(notice)
    return placed


def _labelled(answers: dict[str, object]) -> list[tuple[str, object]]:
    return [
        (str(ANSWER_LABELS.get(k, k)), _shown(k, v))
        for k, v in answers.items()
        if v not in ("", None, False)
    ]


def _case_page(
    request: StaffRequest,
    organisation: UnlockedOrganisation,
    public_id: str,
    *,
    reply_form: ReplyForm | None = None,
    note_form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    report = access_report(user, public_id)
    sections: list[tuple[str, list[Any]]] = []
    content = None
    unlocked = None
    plan = None
    if not report.is_shredded:
        try:
            unlocked = open_as_custodian(report, organisation)
        except CryptoError:
            return render(request, "cases/keys_locked.html", status=403)
        content = read_content(report, unlocked, include_notes=True)
        contact_items = content.sections.get(Section.CONTACT.value, [])
        plan = Plan.from_answers(contact_items[-1].answers if contact_items else None)
        for name, title in SECTION_TITLES.items():
            if name == Section.CONTACT.value:
                continue  # shown once, as their safe-contact plan in the summary
            items = content.sections.get(name, [])
            if items:
                sections.append((str(title), [_labelled(item.answers) for item in items]))
    do_record_case_access(report, action=CaseAccess.Action.VIEWED, acting_user=user)
    entries, deadlines = case_timeline(report, content, unlocked)
    return render(
        request,
        "cases/case.html",
        {
            "report": report,
            "content": content,
            "sections": sections,
            "reply_form": reply_form or ReplyForm(),
            "note_form": note_form or NoteForm(),
            "status_form": StatusForm(initial={"status": report.status}),
            # An admin picks anyone; a caseworker can only take it or give it up.
            "colleagues": assignable_colleagues(user, report)
            if permissions.is_org_admin(user)
            else [],
            "may_take": permissions.may_assign(user, report, user),
            "hold_form": LegalHoldForm(),
            "to_reporter": Message.Direction.TO_REPORTER,
            "plan": plan,
            "consent_rows": _consent_rows(content.consents if content else []),
            "plan_channel": _(CHANNEL_LABELS[plan.channel]) if plan and plan.channel else "",
            "plan_language": _shown("language", plan.language) if plan else "",
            # For the panels other apps add (risk, referrals, police): they
            # open what they sealed to the report with it, server-side only.
            "unlocked": unlocked,
            "timeline": anchored(entries),
            "deadlines": deadlines,
            "notices": _notices_by_place(request),
            # That a match exists, nothing about the other report (docs/matching.md).
        },
        status=status,
    )


@staff_page(permissions.is_case_worker)
@require_safe
@with_unlocked_organisation
def case(request: StaffRequest, organisation: UnlockedOrganisation, public_id: str) -> HttpResponse:
    return _case_page(request, organisation, public_id)


def _post_on_case(
    request: StaffRequest,
    organisation: UnlockedOrganisation,
    public_id: str,
    form_class: type[ReplyForm] | type[NoteForm],
    page_form: str,
    act: Callable[[Report, dict[str, Any]], object],
    place: str,
) -> HttpResponse:
    """Save a form on a case with ``act(report, cleaned_data)`` and go back to
    the case (a refusal is shown there); an invalid form comes back on the
    case page as ``page_form``."""
    report = access_report(request.user, public_id)
    form = form_class(request.POST)
    if not form.is_valid():
        return _case_page(request, organisation, public_id, status=400, **{page_form: form})
    try:
        act(report, form.cleaned_data)
    except ActionRefused as refused:
        messages.error(request, str(refused), extra_tags=place)
    return _back_to(public_id, place)


@staff_page(permissions.is_case_worker)
@require_POST
@with_unlocked_organisation
def case_reply(
    request: StaffRequest, organisation: UnlockedOrganisation, public_id: str
) -> HttpResponse:
    def reply(report: Report, data: dict[str, Any]) -> None:
        do_reply_to_reporter(report, data["body"], acting_user=request.user)
        messages.success(request, _("Your reply was sent."), extra_tags=REPLY)

    return _post_on_case(request, organisation, public_id, ReplyForm, "reply_form", reply, REPLY)


@staff_page(permissions.is_case_worker)
@require_POST
@with_unlocked_organisation
def case_note(
    request: StaffRequest, organisation: UnlockedOrganisation, public_id: str
) -> HttpResponse:
    def note(report: Report, data: dict[str, Any]) -> None:
        do_add_note(report, data["text"], acting_user=request.user)
        messages.success(request, _("Your note was added."), extra_tags=NOTE)

    return _post_on_case(request, organisation, public_id, NoteForm, "note_form", note, NOTE)


def _plan_of(report: Any, organisation: UnlockedOrganisation) -> Plan:
    """The reporter's latest safe-contact plan (the journey's contact section)."""
    unlocked = open_as_custodian(report, organisation)
    items = read_content(report, unlocked).sections.get(Section.CONTACT.value, [])
    return Plan.from_answers(items[-1].answers if items else None)


@staff_page(permissions.is_case_worker)
@require_http_methods(["GET", "POST"])
@with_unlocked_organisation
def case_contact(
    request: StaffRequest, organisation: UnlockedOrganisation, public_id: str
) -> HttpResponse:
    """Record a call, text, e-mail, letter or visit; warn first when it goes
    against the person's safe-contact plan, and ask for a reason."""
    user = request.user
    report = access_report(user, public_id)
    if report.is_shredded:
        raise Http404("This report was deleted.")
    try:
        plan = _plan_of(report, organisation)
    except CryptoError:
        return render(request, "cases/keys_locked.html", status=403)
    if request.method == "GET":
        form = ContactForm(initial={"at": timezone.localtime().replace(second=0, microsecond=0)})
        return _contact_page(request, report, plan, form)
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _contact_page(request, report, plan, form, status=400)
    channel = Channel(form.cleaned_data["channel"])
    at = timezone.localtime(form.cleaned_data["at"])
    warnings = check_contact(plan, channel, at)
    shown = ",".join(w.concern.value for w in warnings)
    if warnings and not (form.cleaned_data["confirmed"] and request.POST.get("shown") == shown):
        # Not an error: stop, show what goes against the plan, ask to confirm.
        # A confirmation counts only for the very warnings it was given for: if
        # the channel or the time changed since, the new warnings are shown first.
        data = request.POST.copy()
        data.pop("confirmed", None)
        unconfirmed = ContactForm(data)
        unconfirmed.is_valid()
        return _contact_page(
            request, report, plan, unconfirmed, warnings=warnings, shown=shown, status=409
        )
    if warnings and not form.cleaned_data["reason"].strip():
        form.add_error("reason", _("Write down why you are contacting them against their plan."))
        return _contact_page(
            request, report, plan, form, warnings=warnings, shown=shown, status=400
        )
    try:
        do_record_contact(
            report,
            channel=channel,
            at=at,
            note=form.cleaned_data["note"],
            concerns=[w.concern for w in warnings],
            reason=form.cleaned_data["reason"],
            acting_user=user,
        )
    except ActionRefused as refused:
        messages.error(request, _(str(refused)), extra_tags=NOTE)
        return _back_to(public_id, NOTE)
    messages.success(request, _("The contact was recorded in the case notes."), extra_tags=NOTE)
    return _back_to(public_id, NOTE)


def _contact_page(
    request: StaffRequest,
    report: Any,
    plan: Plan,
    form: ContactForm,
    *,
    warnings: tuple[Any, ...] = (),
    shown: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "cases/contact.html",
        {
            "report": report,
            "plan": plan,
            "plan_channel": _(CHANNEL_LABELS[plan.channel]) if plan.channel else "",
            "plan_language": _shown("language", plan.language),
            "form": form,
            "warnings": [_(w.text) % _warning_params(w) for w in warnings],
            "shown": shown,
        },
        status=status,
    )


def _warning_params(warning: Any) -> dict[str, str]:
    params = dict(warning.params)
    if "planned" in params:
        params["planned"] = _(CHANNEL_LABELS[Channel(params["planned"])])
    return params


@staff_page(permissions.is_case_worker)
@require_POST
def case_status(request: StaffRequest, public_id: str) -> HttpResponse:
    report = access_report(request.user, public_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            do_change_status(report, form.cleaned_data["status"], acting_user=request.user)
        except ActionRefused as refused:
            messages.error(request, str(refused), extra_tags=SUMMARY)
        else:
            messages.success(request, _("Status changed."), extra_tags=SUMMARY)
    return _back_to(public_id, SUMMARY)


@staff_page(permissions.is_case_worker)
@require_POST
def case_assign(request: StaffRequest, public_id: str) -> HttpResponse:
    """Take the report (``assignee=me``), give it up (``assignee=``), or, as an
    admin, give it to a colleague (``assignee=<their id>``)."""
    report = access_report(request.user, public_id)
    wanted = request.POST.get("assignee", "")
    assignee: StaffUser | None
    if wanted == "me":
        assignee = request.user
    elif wanted == "":
        assignee = None
    else:
        colleagues = colleagues_of(request.user).select_related("organisation")
        is_an_id = wanted.isascii() and wanted.isdigit() and len(wanted) <= 18
        assignee = colleagues.filter(pk=wanted).first() if is_an_id else None
        if assignee is None:
            messages.error(
                request, _("Choose a caseworker of this organisation."), extra_tags=SUMMARY
            )
            return _back_to(public_id, SUMMARY)
    try:
        do_assign_report(report, assignee, acting_user=request.user)
    except ActionRefused as refused:
        messages.error(request, _(str(refused)), extra_tags=SUMMARY)
    else:
        if assignee is None:
            messages.success(request, _("Nobody is named for this report now."), extra_tags=SUMMARY)
        else:
            messages.success(
                request,
                _("%(name)s looks after this report now.") % {"name": assignee.display_name},
                extra_tags=SUMMARY,
            )
    return _back_to(public_id, SUMMARY)


@staff_page(permissions.is_case_worker)
@require_POST
def case_hold(request: StaffRequest, public_id: str) -> HttpResponse:
    """Place a legal hold (kept whatever its retention date), or release it."""
    report = access_report(request.user, public_id)
    try:
        if request.POST.get("release") == "yes":
            do_release_legal_hold(report, acting_user=request.user)
            messages.success(
                request,
                _("The hold is released: the case follows its retention period."),
                extra_tags=SUMMARY,
            )
        else:
            form = LegalHoldForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose why the case must be kept."), extra_tags=SUMMARY)
                return _back_to(public_id, SUMMARY)
            do_set_legal_hold(report, form.cleaned_data["reason"], acting_user=request.user)
            messages.success(
                request, _("The case is kept until you release the hold."), extra_tags=SUMMARY
            )
    except ActionRefused as refused:
        messages.error(request, str(refused), extra_tags=SUMMARY)
    return _back_to(public_id, SUMMARY)


@staff_page(permissions.is_case_worker)
@require_safe
@with_unlocked_organisation
def case_attachment(
    request: StaffRequest, organisation: UnlockedOrganisation, public_id: str, item_id: str
) -> HttpResponse:
    user = request.user
    report = access_report(user, public_id)
    try:
        attachment = open_attachment(report, open_as_custodian(report, organisation), item_id)
    except CryptoError:
        return render(request, "cases/keys_locked.html", status=403)
    do_record_case_access(report, action=CaseAccess.Action.ATTACHMENT, acting_user=user)
    response = HttpResponse(attachment.data, content_type=attachment.media_type)  # type: ignore[attr-defined]
    extension = {"image/jpeg": "jpg", "image/png": "png"}.get(attachment.media_type, "txt")
    response["Content-Disposition"] = (
        f'attachment; filename="report-{report.public_id}-{item_id[:8]}.{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_page(permissions.is_org_admin)
@require_safe
def access_log(request: StaffRequest) -> HttpResponse:
    entries = access_log_for(request.user)[:200]
    return render(request, "cases/access_log.html", {"entries": entries})


@staff_page(permissions.is_case_worker)
@require_http_methods(["GET", "POST"])
def file_for_reporter(request: StaffRequest) -> HttpResponse:
    """A caseworker files a report for someone (by phone or in person) and
    hands them the receipt phrase, shown once."""
    user = request.user
    form = FileForReporterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assert user.organisation is not None  # noqa: S101 - staff_page checked is_case_worker
        try:
            passphrase, receipt = derive_new_receipt()
        except KdfBusy as busy:  # the form keeps what was typed
            form.add_error(
                None, _("The server is very busy. Please press the button again in a minute.")
            )
            response = render(request, "cases/file_for_reporter.html", {"form": form}, status=503)
            response["Retry-After"] = str(busy.retry_after)
            return response
        try:
            report = do_submit_report(
                NewReport(
                    crime_type=data["crime_type"],
                    wants=data["wants"],
                    custodian=user.organisation,
                    sections={
                        Section.INCIDENT: {
                            "what": data["what"],
                            "when": data["when"],
                            "where": data["where"],
                        },
                        Section.PERPETRATOR: {"who": data["who"]},
                        Section.CONTACT: {"detail": data["contact"]},
                        Section.IDENTITY: {"name": data["name"]},
                    },
                ),
                receipt=receipt,
                submission_token=None,
                acting_user=user,
            )
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            return render(request, "cases/filed.html", {"report": report, "passphrase": passphrase})
    return render(
        request,
        "cases/file_for_reporter.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
