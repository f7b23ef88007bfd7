"""What counts as a public page and a public string, shared by the i18n and browser tests.

A *public string* is one a reporter can see: it comes from a public source
file (below). Staff-only strings may stay in English; every public string
must be translated into every language in ``settings.LANGUAGES``.

A *public page* is every URL of the public tree (``safereport.urls_public``)
that needs no path parameter, in every language, plus the not-found page.
The list is found by walking the URL tree, so pages added by other apps
(the reporter journey, the survey, the transparency page) are covered as
soon as they are mounted.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.conf import settings
from django.urls import URLPattern, URLResolver, reverse
from django.utils import translation
from django.utils.translation.template import templatize

PACKAGE = Path(settings.PACKAGE_DIR)

# Source files whose strings reach reporters, relative to the package.
PUBLIC_SOURCES = (
    "intake/",
    "transparency/",
    "outreach/",  # the outreach page (its staff page is excluded below)
    "matching/",  # naming who is responsible, on the review page
    "survey/",
    "templates/",
    "core/scan/",
    "core/attachments/",
    "core/referrals/kinds.py",
    "core/choice/experiment.py",
    "cases/models.py",  # crime types, statuses and wishes, shown on the reporter's pages
    "core/referrals/lifecycle.py",  # referral status in plain words, on the reporter's page
    "referrals/templates/referrals/_reporter_panel.html",
    "referrals/templatetags/",  # the reporter's referral panel
    "liaison/templates/liaison/_reporter_panel.html",
    "liaison/templatetags/",  # the reporter's police panel
)
# ... except these, which only staff see.
STAFF_MARKERS = ("staff", "analysis", "management/", "migrations/", "tests/")


def is_public_source(relative: str) -> bool:
    relative = relative.replace("\\", "/")
    if not relative.startswith(PUBLIC_SOURCES):
        return False
    return not any(marker in relative for marker in STAFF_MARKERS)


def other_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def all_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def catalogue_files() -> list[Path]:
    """Every gettext catalogue of a language the site offers: the project-wide one
    and each app's own. A catalogue still being written for a language not yet in
    ``settings.LANGUAGES`` (``LANGUAGES_IN_PROGRESS``) is left out until it is."""
    offered = set(all_languages())
    return sorted(
        path
        for path in PACKAGE.glob("**/locale/*/LC_MESSAGES/*.po")
        if catalogue_language(path) in offered
    )


def catalogue_language(po_path: Path) -> str:
    """The language code of a catalogue: its folder is the locale name
    (``zh_Hans``), the code is what settings and URLs use (``zh-hans``)."""
    return translation.to_language(po_path.parent.parent.name)


def project_catalogue(language: str) -> Path:
    return PACKAGE / "locale" / translation.to_locale(language) / "LC_MESSAGES" / "django.po"


def entry_key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def is_public_entry(entry: polib.POEntry) -> bool:
    return any(is_public_source(path) for path, _ in entry.occurrences)


def is_translated(entry: polib.POEntry) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


# Extraction of the strings marked for translation, without xgettext -------------------

GETTEXT_FUNCTIONS = {
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "_": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}


def _python_strings(source: str) -> Iterator[tuple[str | None, str]]:
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT_FUNCTIONS:
            continue
        context_at, message_at = GETTEXT_FUNCTIONS[name]
        args = node.args
        if len(args) <= message_at or not isinstance(args[message_at], ast.Constant):
            continue
        message = args[message_at].value
        context = None
        if context_at is not None and isinstance(args[context_at], ast.Constant):
            context = args[context_at].value
        if isinstance(message, str) and message:
            yield (context, message)


def _template_strings(source: str) -> Iterator[tuple[str | None, str]]:
    """Django's own template-to-gettext conversion (what makemessages uses), then read the calls."""
    code = templatize(source)
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(code).readline)
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT)
    ]
    for i, token in enumerate(tokens):
        if token.type != tokenize.NAME or token.string not in GETTEXT_FUNCTIONS:
            continue
        if i + 2 >= len(tokens) or tokens[i + 1].string != "(":
            continue
        strings: list[str] = []
        j = i + 2
        while j < len(tokens) and tokens[j].string != ")":
            if tokens[j].type == tokenize.STRING:
                strings.append(ast.literal_eval(tokens[j].string))
            j += 1
        if not strings:
            continue
        context_at, message_at = GETTEXT_FUNCTIONS[token.string]
        if context_at is None:
            yield (None, strings[0])
        elif len(strings) > message_at:
            yield (strings[context_at], strings[message_at])


def public_source_strings() -> dict[tuple[str | None, str], set[str]]:
    """Every string marked for translation in a public source file, with where it is."""
    found: dict[tuple[str | None, str], set[str]] = {}
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix not in (".py", ".html", ".txt") or not path.is_file():
            continue
        relative = path.relative_to(PACKAGE).as_posix()
        if not is_public_source(relative) or "/locale/" in relative:
            continue
        source = path.read_text(encoding="utf-8")
        is_python = path.suffix == ".py"
        strings = _python_strings(source) if is_python else _template_strings(source)
        for key in strings:
            found.setdefault(key, set()).add(relative)
    return found


# Public pages -----------------------------------------------------------------------


def _walk(patterns: list, prefix: str = "") -> list[tuple[str, URLPattern, str]]:  # type: ignore[type-arg]
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            inner = _walk(entry.url_patterns, prefix + str(entry.pattern))
            found += [
                (p, pat, f"{namespace}:{name}" if namespace else name) for p, pat, name in inner
            ]
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((prefix + str(entry.pattern), entry, entry.name))
    return found


def public_url_names() -> list[str]:
    """Names (``public:...``) of every public URL that needs no path parameter."""
    from safereport import urls_public

    names = []
    for _, pattern, name in _walk(urls_public.urlpatterns):
        if pattern.pattern.regex.groupindex:
            continue
        names.append(f"public:{name}")
    return names


def public_url_names_with_parameters() -> list[str]:
    from safereport import urls_public

    return [
        f"public:{name}"
        for _, pattern, name in _walk(urls_public.urlpatterns)
        if pattern.pattern.regex.groupindex
    ]


NOT_FOUND = "not-found"


def public_paths(language: str) -> list[str]:
    """Every parameterless public URL in one language, plus a page that does not exist.

    Some of them only take a form (POST) and answer GET with 405; callers that
    open pages skip those (see ``is_page``).
    """
    with translation.override(language):
        paths = [reverse(name) for name in public_url_names()]
    return [*paths, f"/{language}/no-such-page/"]


def is_page(status: int) -> bool:
    """A GET answer that shows a page: not a form-only endpoint (405)."""
    return status != 405


# Reading what a page shows -----------------------------------------------------------


@dataclass
class TextNode:
    text: str
    exempt: bool  # inside translate="no", or marked as another language


class _TextCollector(HTMLParser):
    SKIP = {"script", "style", "title"}
    CODE = {"code", "pre", "kbd", "samp", "var"}  # commands, hashes, addresses: not words
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}

    def __init__(self, page_language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_language = page_language
        self.stack: list[tuple[str, bool, bool]] = []  # tag, exempt, skip
        self.nodes: list[TextNode] = []
        self.attribute_texts: list[TextNode] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        parent_exempt = self.stack[-1][1] if self.stack else False
        parent_skip = self.stack[-1][2] if self.stack else False
        lang = values.get("lang")
        exempt = (
            parent_exempt
            or tag in self.CODE
            or values.get("translate") == "no"
            or (lang is not None and tag != "html" and lang != self.page_language)
        )
        skip = parent_skip or tag in self.SKIP
        for attribute in ("aria-label", "placeholder", "alt", "title"):
            if values.get(attribute):
                self.attribute_texts.append(TextNode(values[attribute] or "", exempt))
        if tag not in self.VOID:
            self.stack.append((tag, exempt, skip))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][2]:
            return
        text = " ".join(data.split())
        if text:
            self.nodes.append(TextNode(text, bool(self.stack and self.stack[-1][1])))


def visible_texts(html: str, page_language: str) -> list[TextNode]:
    collector = _TextCollector(page_language)
    collector.feed(html)
    return collector.nodes + collector.attribute_texts


WORD = re.compile(r"[A-Za-z]{3,}")
# Words that stay the same in every language: names, and terms people meet in English.
SAME_IN_EVERY_LANGUAGE = {"SafeReport", "Escape", "JPEG", "PNG", "BRP", "NRM", "IDVA"}


ADDRESS = re.compile(r"^(/|https?://)\S*$")


def looks_like_words(text: str) -> bool:
    if ADDRESS.match(text):
        return False  # an address shown as a link's text
    words = [w for w in WORD.findall(text) if w not in SAME_IN_EVERY_LANGUAGE]
    return bool(words)


def same_by_design(language: str) -> set[str]:
    """Texts a catalogue translates as themselves on purpose ("Online", "Email" in Tagalog)."""
    same = set()
    for path in catalogue_files():
        if catalogue_language(path) != language:
            continue
        for entry in polib.pofile(str(path)):
            if entry.msgstr and entry.msgstr == entry.msgid:
                same.add(" ".join(entry.msgid.split()))
    return same


def untranslated_texts(english_html: str, other_html: str, language: str) -> list[str]:
    """Texts shown identically on the English page and on the same page in another language.

    A text that appears word for word on both is a string someone forgot to
    wrap for translation, or one the catalogue does not translate. Texts marked
    with ``translate="no"`` or with another ``lang`` (the language links, names
    typed by staff) are exempt.
    """
    english = {n.text for n in visible_texts(english_html, settings.LANGUAGE_CODE) if not n.exempt}
    other = [n.text for n in visible_texts(other_html, language) if not n.exempt]
    # Language names are written in their own language on every page (the switcher, choices).
    allowed = same_by_design(language) | {name for _, name in settings.LANGUAGES}
    return sorted({t for t in other if t in english and looks_like_words(t) and t not in allowed})
