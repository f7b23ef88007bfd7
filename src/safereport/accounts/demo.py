"""The demo installation: fictional organisations and staff of every role.

Everything here is invented. Demo accounts share one printed password and
have fixed two-factor secrets and backup codes, so the demo can be tried
without setting anything up. `safereport demo` refuses to run in production.
"""

from __future__ import annotations

import hashlib
from contextlib import suppress
from dataclasses import dataclass, replace

from django_otp.plugins.otp_totp.models import TOTPDevice

from safereport.accounts import keys
from safereport.accounts.actions import (
    ActionRefused,
    Enrolment,
    do_create_organisation,
    do_create_staff,
    do_issue_backup_codes,
    do_set_up_staff_keys,
    enrolment_of,
)
from safereport.accounts.models import Organisation, OrganisationGrant, StaffKey, StaffUser
from safereport.core.crypto import CryptoError, UnlockedOrganisation
from safereport.core.vocabulary import OrgKind, Role

DEMO_PASSWORD = "demo-safe-report-2026"  # noqa: S105 - printed demo login, refused in production


@dataclass(frozen=True)
class DemoOrg:
    slug: str
    name: str
    kind: OrgKind
    description: str
    languages: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    specialisms: tuple[str, ...] = ()
    # ReferralKind values the organisation takes (the service directory).
    referral_kinds: tuple[str, ...] = ()
    contact_email: str = ""


@dataclass(frozen=True)
class DemoStaff:
    username: str
    display_name: str
    org_slug: str
    role: Role


ORGANISATIONS = (
    DemoOrg(
        "puerta-abierta",
        "Puerta Abierta Women's Network",
        OrgKind.SUPPORT_ORG,
        "A by-and-for organisation supporting Latin American and Lusophone women facing abuse.",
        ("en", "es", "pt"),
        ("London",),
        ("domestic abuse", "sexual violence", "Latin American women"),
        contact_email="casework@puerta-abierta.example",
    ),
    DemoOrg(
        "noor-sisters",
        "Noor Sisters Centre",
        OrgKind.SUPPORT_ORG,
        "Support for Arabic- and Urdu-speaking women and families, "
        "by women from those communities.",
        ("en", "ar", "ur"),
        ("Greater Manchester", "London"),
        ("domestic abuse", "honour-based abuse", "forced marriage"),
        contact_email="casework@noor-sisters.example",
    ),
    DemoOrg(
        "riverside-police",
        "Riverside Constabulary",
        OrgKind.POLICE_FORCE,
        "A fictional police force that receives reports only through support organisations.",
        ("en",),
        ("London",),
        contact_email="liaison@riverside-police.example",
    ),
    DemoOrg(
        "harbour-da",
        "Harbour Domestic Abuse Service",
        OrgKind.SPECIALIST_SERVICE,
        "Specialist domestic-abuse service with independent domestic violence advisers (IDVAs).",
        ("en", "es", "tl"),
        ("London",),
        ("domestic abuse", "IDVA", "MARAC"),
        ("domestic_abuse_service", "idva_service"),
        "referrals@harbour-da.example",
    ),
    DemoOrg(
        "linden-refuge",
        "Linden House Refuge",
        OrgKind.SPECIALIST_SERVICE,
        "Refuge accommodation for women and children, "
        "including women with no recourse to public funds.",
        ("en", "pt", "ar"),
        ("London", "Kent"),
        ("refuge", "no recourse to public funds"),
        ("refuge",),
        "referrals@linden-refuge.example",
    ),
    DemoOrg(
        "northgate-law",
        "Northgate Migrant Law Centre",
        OrgKind.LEGAL_ADVISER,
        "Independent immigration legal advice: domestic-abuse concession, settlement, NRM.",
        ("en", "es", "ar", "ur"),
        ("London", "Greater Manchester"),
        ("immigration advice",),
        ("immigration_legal_adviser",),
        "referrals@northgate-law.example",
    ),
    DemoOrg(
        "fair-work",
        "Fair Work Action",
        OrgKind.LABOUR_RIGHTS,
        "Labour-rights organisation for domestic and care workers; "
        "a modern-slavery first responder.",
        ("en", "tl", "es", "pt"),
        ("London",),
        ("labour exploitation", "domestic workers"),
        ("labour_rights_organisation", "modern_slavery_first_responder"),
        "referrals@fair-work.example",
    ),
    DemoOrg(
        "safe-reporting-observatory",
        "Safe Reporting Observatory",
        OrgKind.OVERSIGHT,
        "Researchers who study barriers to reporting; they see aggregates only.",
        ("en",),
        ("United Kingdom",),
    ),
    DemoOrg(
        "immigration-enforcement",
        "Immigration Enforcement",
        OrgKind.IMMIGRATION_AUTHORITY,
        "Named here only so that the firewall can refuse it. "
        "It has no account and receives nothing.",
    ),
)

STAFF = (
    DemoStaff("lucia", "Lucía Romero", "puerta-abierta", Role.CASEWORKER),
    DemoStaff("amara", "Amara Okafor", "puerta-abierta", Role.ORG_ADMIN),
    DemoStaff("ines", "Inês Carvalho", "puerta-abierta", Role.CASEWORKER),
    DemoStaff("samira", "Samira Haddad", "noor-sisters", Role.CASEWORKER),
    DemoStaff("farah", "Farah Qureshi", "noor-sisters", Role.ORG_ADMIN),
    DemoStaff("pc.hughes", "PC Dylan Hughes", "riverside-police", Role.POLICE_LIAISON),
    DemoStaff("grace", "Grace Mensah", "harbour-da", Role.SERVICE_STAFF),
    DemoStaff("ruth", "Ruth Adeyemi", "harbour-da", Role.ORG_ADMIN),
    DemoStaff("beth", "Beth Lindqvist", "linden-refuge", Role.SERVICE_STAFF),
    DemoStaff("tomas", "Tomás Reyes", "northgate-law", Role.SERVICE_STAFF),
    DemoStaff("joy", "Joy Dizon", "fair-work", Role.SERVICE_STAFF),
    # Fair Work Action also takes reports (a custodian kind): someone must read them.
    DemoStaff("marisol", "Marisol Bautista", "fair-work", Role.CASEWORKER),
    DemoStaff("priya", "Priya Raman", "safe-reporting-observatory", Role.ANALYST),
)


def _demo_totp_key(username: str) -> str:
    return hashlib.sha256(f"safereport-demo-totp:{username}".encode()).hexdigest()[:40]


def _demo_backup_codes(username: str) -> list[str]:
    return [
        hashlib.sha256(f"safereport-demo-backup:{username}:{n}".encode()).hexdigest()[:8]
        for n in range(5)
    ]


@dataclass(frozen=True)
class DemoLogin:
    staff: StaffUser
    enrolment: Enrolment


def seed_demo() -> list[DemoLogin]:
    """Create whatever of the demo is missing and restore demo two-factor codes. Idempotent.

    Everything is made by the actions, each in its own transaction (they are
    outermost ones), so a run that stops half-way is completed by the next."""
    orgs = {spec.slug: _demo_organisation(spec) for spec in ORGANISATIONS}
    org_keys: dict[str, UnlockedOrganisation] = {}  # unlocked in this run, to grant colleagues
    logins = []
    for person in STAFF:
        login = _demo_login(person, orgs[person.org_slug], org_keys)
        if login.enrolment.organisation_key is not None:
            org_keys[person.org_slug] = login.enrolment.organisation_key
        logins.append(login)
    return logins


def _demo_organisation(spec: DemoOrg) -> Organisation:
    org = Organisation.objects.filter(slug=spec.slug).first()
    if org is not None:
        _fill_directory_facts(org, spec)
        return org
    return do_create_organisation(
        name=spec.name,
        slug=spec.slug,
        kind=spec.kind,
        description=spec.description,
        languages=list(spec.languages),
        areas=list(spec.areas),
        specialisms=list(spec.specialisms),
        contact_email=spec.contact_email,
        referral_kinds=list(spec.referral_kinds),
        description_translations=dict(DESCRIPTION_TRANSLATIONS.get(spec.slug, {})),
        acting_user=None,
    )


def _demo_login(
    person: DemoStaff, org: Organisation, org_keys: dict[str, UnlockedOrganisation]
) -> DemoLogin:
    codes = _demo_backup_codes(person.username)
    user = StaffUser.objects.filter(username=person.username).first()
    if user is None:
        user, enrolment = do_create_staff(
            organisation=org,
            username=person.username,
            display_name=person.display_name,
            role=person.role,
            password=DEMO_PASSWORD,
            acting_user=None,
            totp_key_hex=_demo_totp_key(person.username),
            backup_codes=codes,
            organisation_key=_organisation_key(org, org_keys),
        )
        return DemoLogin(user, enrolment)
    do_issue_backup_codes(user, acting_user=None, codes=codes)
    device = TOTPDevice.objects.get(user=user, name="authenticator")
    recovery_secret, unlocked = None, None
    if not OrganisationGrant.objects.filter(staff=user).exists():
        # An account from an older demo database, made before keys existed, or
        # whose colleague held the key only after it was made. An account whose
        # password was changed is refused, and left alone.
        with suppress(ActionRefused):
            recovery_secret, unlocked = do_set_up_staff_keys(
                user,
                password=DEMO_PASSWORD,
                organisation_key=_organisation_key(org, org_keys),
                acting_user=None,
            )
    enrolment = replace(
        enrolment_of(device, codes),
        organisation_recovery_secret=recovery_secret,
        organisation_key=unlocked,
    )
    return DemoLogin(user, enrolment)


def _organisation_key(
    org: Organisation, org_keys: dict[str, UnlockedOrganisation]
) -> UnlockedOrganisation | None:
    """The organisation's key, to grant a colleague: unlocked in this run already,
    or opened now with the grant of a demo colleague (they share the password)."""
    if org.slug in org_keys:
        return org_keys[org.slug]
    vault = keys.vault()
    holders = StaffKey.objects.filter(staff__organisation=org, staff__grant__isnull=False)
    for row in holders.select_related("staff"):
        try:
            staff = vault.unlock_staff(keys.staff_id(row.staff), keys.record_of(row), DEMO_PASSWORD)
        except CryptoError:
            continue  # a password that was changed
        unlocked = keys.unlock_organisation_for(row.staff, staff)
        if unlocked is not None:
            org_keys[org.slug] = unlocked
            return unlocked
    return None


# The descriptions reporters read when they choose an organisation, in the
# site's other languages (our own translations of invented text; like the
# catalogues, they need a native speaker's review).
DESCRIPTION_TRANSLATIONS: dict[str, dict[str, str]] = {
    "puerta-abierta": {
        "es": "Una organización de y para mujeres latinoamericanas y de habla portuguesa "
        "que sufren violencia.",
        "pt": "Uma organização feita por e para mulheres latino-americanas e lusófonas "
        "que sofrem violência.",
        "tl": "Isang organisasyong binuo ng at para sa mga babaeng Latin Amerikano at "
        "nagsasalita ng Portuges na nakararanas ng pang-aabuso.",
        "ar": "منظمة تديرها نساء من أمريكا اللاتينية والناطقات بالبرتغالية، "
        "لدعم النساء من مجتمعاتهن اللواتي يتعرضن للعنف.",
        "ur": "لاطینی امریکی اور پرتگالی بولنے والی خواتین کی اپنی تنظیم، "
        "جو تشدد کا سامنا کرنے والی خواتین کی مدد کرتی ہے۔",
        "pl": "Organizacja tworzona przez kobiety z Ameryki Łacińskiej i krajów "
        "portugalskojęzycznych, dla kobiet z tych społeczności doznających przemocy.",
        "ro": "O organizație a femeilor din America Latină și din țările de limbă "
        "portugheză, pentru femeile din aceste comunități care se confruntă cu violența.",
        "fa": "سازمانی از زنان آمریکای لاتین و پرتغالی‌زبان، برای حمایت از زنان همین "
        "جوامع که با خشونت روبه‌رو هستند.",
        "bn": "লাতিন আমেরিকান ও পর্তুগিজভাষী নারীদের নিজেদের সংস্থা, এই সম্প্রদায়ের "
        "যে নারীরা সহিংসতার শিকার তাদের জন্য।",
        "zh-hans": "由拉丁美洲和葡萄牙语国家的女性创办，为遭受暴力的同社区女性提供支持的机构。",
        "am": "በላቲን አሜሪካና ፖርቱጋልኛ ተናጋሪ ሴቶች የተመሠረተ፣ ጥቃት ለሚደርስባቸው የማኅበረሰባቸው ሴቶች የሚሠራ ድርጅት።",
    },
    "noor-sisters": {
        "es": "Apoyo para mujeres y familias que hablan árabe o urdu, ofrecido por mujeres "
        "de esas comunidades.",
        "pt": "Apoio a mulheres e famílias que falam árabe ou urdu, dado por mulheres "
        "dessas comunidades.",
        "tl": "Suporta para sa mga babae at pamilyang nagsasalita ng Arabic o Urdu, mula sa "
        "mga babae ng mga komunidad na iyon.",
        "ar": "دعم للنساء والعائلات الناطقين بالعربية والأردية، تقدمه نساء من هذه المجتمعات.",
        "ur": "عربی اور اردو بولنے والی خواتین اور خاندانوں کے لیے مدد، "
        "انہی برادریوں کی خواتین کی طرف سے۔",
        "pl": "Wsparcie dla kobiet i rodzin mówiących po arabsku lub w urdu, "
        "udzielane przez kobiety z tych społeczności.",
        "ro": "Sprijin pentru femeile și familiile care vorbesc arabă sau urdu, "
        "oferit de femei din aceste comunități.",
        "fa": "حمایت از زنان و خانواده‌های عرب‌زبان و اردوزبان، از سوی زنانی از همین جوامع.",
        "bn": "আরবি ও উর্দুভাষী নারী ও পরিবারের জন্য সহায়তা, সেই সম্প্রদায়েরই নারীদের কাছ থেকে।",
        "zh-hans": "为讲阿拉伯语和乌尔都语的女性及家庭提供支持，由这些社区的女性提供。",
        "am": "አረብኛና ኡርዱ ለሚናገሩ ሴቶችና ቤተሰቦች ድጋፍ፣ ከእነዚሁ ማኅበረሰቦች በመጡ ሴቶች።",
    },
    "fair-work": {
        "es": "Organización de derechos laborales para trabajadoras del hogar y de cuidados. "
        "También atiende casos de esclavitud moderna como «first responder».",
        "pt": "Organização de direitos laborais para trabalhadoras domésticas e de cuidados. "
        "Também atende casos de escravidão moderna como «first responder».",
        "tl": "Organisasyon para sa karapatan ng mga manggagawa sa bahay at tagapag-alaga. "
        "Tumutulong din ito sa mga kaso ng makabagong pang-aalipin bilang «first responder».",
        "ar": "منظمة للدفاع عن حقوق عاملات المنازل والرعاية، وهي أيضًا جهة استجابة أولى "
        "(first responder) في حالات العبودية الحديثة.",
        "ur": "گھریلو اور دیکھ بھال کا کام کرنے والوں کے مزدور حقوق کی تنظیم؛ "
        "جدید غلامی کے معاملات میں پہلا جواب دہندہ (first responder) بھی۔",
        "pl": "Organizacja praw pracowniczych dla pomocy domowych i opiekunek; "
        "także pierwszy punkt kontaktu («first responder») w sprawach współczesnego niewolnictwa.",
        "ro": "Organizație pentru drepturile lucrătoarelor casnice și din îngrijire; "
        "și prim-respondent («first responder») în cazuri de sclavie modernă.",
        "fa": "سازمان حقوق کارگران خانگی و مراقبت؛ همچنین نخستین پاسخ‌دهنده "
        "(first responder) در پرونده‌های برده‌داری مدرن.",
        "bn": "গৃহকর্মী ও পরিচর্যাকর্মীদের শ্রম-অধিকার সংস্থা; আধুনিক দাসত্বের ঘটনায় "
        "প্রথম সাড়াদানকারীও («first responder»)।",
        "zh-hans": "为家政和护理工作者维权的劳工权益机构；也是现代奴役案件的"
        "首要响应方（«first responder»）。",
        "am": "ለቤት ውስጥና ለእንክብካቤ ሠራተኞች የሠራተኛ መብቶች ድርጅት፤ በዘመናዊ ባርነት "
        "ጉዳዮችም የመጀመሪያ ምላሽ ሰጪ («first responder»)።",
    },
}


def _fill_directory_facts(org: Organisation, spec: DemoOrg) -> None:
    """Give a demo organisation its directory facts where they are missing (an
    older demo database, or a fresh one); never overwrite what an admin set."""
    changed = []
    if spec.referral_kinds and not org.referral_kinds:
        org.referral_kinds = list(spec.referral_kinds)
        changed.append("referral_kinds")
    if spec.contact_email and not org.contact_email:
        org.contact_email = spec.contact_email
        changed.append("contact_email")
    translations = DESCRIPTION_TRANSLATIONS.get(spec.slug, {})
    if translations and not org.description_translations:
        org.description_translations = dict(translations)
        changed.append("description_translations")
    if changed:
        org.save(update_fields=changed)
