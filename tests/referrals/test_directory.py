"""The service directory: search for caseworkers, each admin's own entry."""

from __future__ import annotations

import pytest
from django.urls import reverse
from referral_helpers import client_for

from safereport.accounts.models import AuditEvent, Organisation

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("staff:directory")
ENTRY = reverse("staff:directory_entry")


def _names(html: str, *orgs) -> set[str]:  # type: ignore[no-untyped-def]
    return {org.name for org in orgs if f">{org.name}</h3>" in html}


def test_search_by_kind_language_area_and_words(personas, partners):
    caseworker = client_for(personas.caseworker)
    service, legal, labour = (
        personas.specialist_service,
        partners.legal_adviser_org,
        partners.labour_rights_org,
    )
    everyone = (service, legal, labour, personas.police_force, personas.immigration_authority)
    html = caseworker.get(DIRECTORY).content.decode()
    assert _names(html, *everyone) == {service.name, legal.name, labour.name}
    by_kind = caseworker.get(DIRECTORY, {"kind": "immigration_legal_adviser"}).content.decode()
    assert _names(by_kind, *everyone) == {legal.name}
    first_responder = caseworker.get(
        DIRECTORY, {"kind": "modern_slavery_first_responder"}
    ).content.decode()
    assert _names(first_responder, *everyone) == {labour.name}
    by_language = caseworker.get(DIRECTORY, {"language": "ar"}).content.decode()
    assert _names(by_language, *everyone) == {legal.name}
    by_area = caseworker.get(DIRECTORY, {"area": "Kent"}).content.decode()
    assert _names(by_area, *everyone) == {labour.name}
    by_words = caseworker.get(DIRECTORY, {"q": "Domestic WORKERS"}).content.decode()
    assert _names(by_words, *everyone) == {labour.name}
    nothing = caseworker.get(DIRECTORY, {"q": "nonexistent-word"}).content.decode()
    assert "No service matches." in nothing


def test_an_immigration_authority_never_appears_even_if_forged_into_the_directory(
    personas, partners
):
    authority = personas.immigration_authority
    authority.referral_kinds = ["domestic_abuse_service"]
    authority.save()
    html = client_for(personas.caseworker).get(DIRECTORY).content.decode()
    assert authority.name not in html


def test_a_bad_filter_is_an_error_not_a_crash(personas, partners):
    response = client_for(personas.caseworker).get(
        DIRECTORY, {"kind": "immigration_control", "q": "kept words"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    # the error summary comes before the form and links to the field
    summary = html.index('class="error-summary"')
    assert summary < html.index('class="directory-search"')
    assert '<a href="#field-kind">Kind of service: Select a valid choice.' in html
    assert 'id="field-kind"' in html
    # the control's aria-describedby names the message that is on the page
    assert 'aria-describedby="id_kind_error"' in html
    assert 'id="id_kind_error"' in html
    assert 'value="kept words"' in html


def test_only_case_roles_search(personas, partners):
    for user in (personas.police_liaison, personas.analyst, personas.service_staff):
        assert client_for(user).get(DIRECTORY).status_code == 403


def _entry(**fields):  # type: ignore[no-untyped-def]
    data = {
        "description": "Specialist support for survivors, by and for.",
        "referral_kinds": ["domestic_abuse_service", "refuge"],
        "languages": "en, es, PL",
        "areas": "London\nKent",
        "specialisms": "Latin American women\nno recourse to public funds",
        "contact_email": "new-intake@da-service.example",
    }
    data.update(fields)
    return data


def test_an_admin_edits_their_own_entry_and_it_is_audited(personas, partners):
    admin = client_for(partners.service_admin)
    page = admin.get(ENTRY).content.decode()
    assert "intake@da-service.example" in page
    assert 'value="immigration_legal_adviser"' not in page  # a legal adviser's kind
    response = admin.post(ENTRY, _entry())
    assert response.status_code == 302
    org = Organisation.objects.get(pk=personas.specialist_service.pk)
    assert org.referral_kinds == ["domestic_abuse_service", "refuge"]
    assert org.languages == ["en", "es", "pl"]
    assert org.areas == ["London", "Kent"]
    assert org.specialisms == ["Latin American women", "no recourse to public funds"]
    assert org.contact_email == "new-intake@da-service.example"
    event = AuditEvent.objects.get(kind="directory_entry_changed")
    assert event.organisation == org and event.actor == partners.service_admin
    assert "contact_email" in event.detail["fields"]
    found = client_for(personas.caseworker).get(DIRECTORY, {"kind": "refuge"}).content.decode()
    assert org.name in found and "Polski" in found  # the name settings.LANGUAGES gives it


def test_validation_errors_keep_what_was_typed(personas, partners):
    admin = client_for(partners.service_admin)
    response = admin.post(
        ENTRY,
        _entry(description="", languages="english, es", contact_email="not-an-address"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Describe what your organisation does." in html
    assert "These are not language codes: english." in html
    assert "Enter an e-mail address" in html
    assert "english, es" in html and "not-an-address" in html and "Latin American women" in html
    org = Organisation.objects.get(pk=personas.specialist_service.pk)
    assert org.contact_email == "intake@da-service.example"
    assert not AuditEvent.objects.filter(kind="directory_entry_changed").exists()


def test_a_kind_the_organisation_cannot_take_is_refused(personas, partners):
    admin = client_for(partners.service_admin)
    response = admin.post(ENTRY, _entry(referral_kinds=["immigration_legal_adviser"]))
    assert response.status_code == 400
    assert "Your organisation cannot take that kind." in response.content.decode()
    org = Organisation.objects.get(pk=personas.specialist_service.pk)
    assert "immigration_legal_adviser" not in org.referral_kinds


def test_an_admin_cannot_edit_another_organisation(personas, partners):
    """The page edits only the admin's own organisation: no id is taken from the
    request, and the action refuses another organisation."""
    from safereport.accounts.actions import ActionRefused
    from safereport.referrals.actions import EntryChange, do_change_directory_entry

    support_admin = client_for(personas.org_admin)
    response = support_admin.post(
        ENTRY, {**_entry(referral_kinds=[]), "organisation": personas.specialist_service.pk}
    )
    assert response.status_code == 302
    service = Organisation.objects.get(pk=personas.specialist_service.pk)
    assert service.contact_email == "intake@da-service.example"
    assert Organisation.objects.get(pk=personas.support_org.pk).contact_email == (
        "new-intake@da-service.example"
    )
    with pytest.raises(ActionRefused):
        do_change_directory_entry(
            personas.specialist_service,
            EntryChange("x", [], [], [], [], "evil@example.org"),
            acting_user=personas.org_admin,
        )
    assert Organisation.objects.get(pk=service.pk).contact_email == "intake@da-service.example"
    # a support organisation takes no referrals, so it is not offered any kind
    page = support_admin.get(ENTRY).content.decode()
    assert 'name="referral_kinds"' not in page


def test_only_org_admins_edit_entries(personas, partners):
    for user in (personas.caseworker, personas.service_staff, personas.police_liaison):
        assert client_for(user).get(ENTRY).status_code == 403
        assert client_for(user).post(ENTRY, _entry()).status_code == 403


def test_the_description_can_be_written_in_each_language_reporters_read(personas, partners):
    admin = client_for(partners.service_admin)
    page = admin.get(ENTRY).content.decode()
    for code in ("es", "pt", "tl", "ar", "ur", "pl", "ro", "fa"):
        assert f'name="description_{code}"' in page
    response = admin.post(
        ENTRY,
        _entry(
            description_es="Servicio especializado.", description_ar="  ", description_ur="خدمت"
        ),
    )
    assert response.status_code == 302
    org = Organisation.objects.get(pk=personas.specialist_service.pk)
    assert org.description_translations == {"es": "Servicio especializado.", "ur": "خدمت"}
    assert org.description_in("es") == ("Servicio especializado.", "es")
    assert org.description_in("ar") == (org.description, "en")  # empty: the English text
    event = AuditEvent.objects.get(kind="directory_entry_changed")
    assert "description_translations" in event.detail["fields"]
