"""Build the receipt word lists, src/safereport/core/crypto/wordlists/<lang>.txt.

A developer's tool, run offline; nothing at run time needs it or its inputs.
It needs ``wordfreq`` 3.1.1 from PyPI, installed apart from the project
(it is not a dependency of SafeReport):

    python3 -m venv /tmp/wf && /tmp/wf/bin/pip install wordfreq==3.1.1
    /tmp/wf/bin/python scripts/build_wordlists.py

For each language the words are taken in order of frequency (wordfreq's
"best" list) and kept when they pass every filter below, until the list has
``SIZE`` words; the list is then sorted and written in NFC, one word a line.

- letters of the language's script only, of a plain length;
- not in the language's block list below (offensive words, and words about
  violence, crime, police, courts, immigration, escape or reporting, which a
  note found on her phone should not show);
- for Latin-script languages, not more common in English than in the
  language itself (English words and names that fill the corpora);
- in Arabic script: not starting with the article ال (the bare word is on the
  list instead);
- in Farsi: Persian spellings only (ی ک, not Arabic ي ك ة); words written
  with the zero-width non-joiner (می‌روم) are left out, as are all words with
  a character that is not a letter, so a word never hides an invisible one;
- no two words share a skeleton (core/crypto/wordforms.py: case, diacritics
  and Arabic letter variants forgiven) or the first four letters of one, so
  that a word can be typed loosely or cut to four letters.

English keeps the vetted list of wordlist.txt (see WORDLIST.md) as its
source: its most common words with distinct four-letter prefixes.
"""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from pathlib import Path

import wordfreq

ROOT = Path(__file__).resolve().parent.parent
CRYPTO = ROOT / "src" / "safereport" / "core" / "crypto"
SIZE = 2048  # 2**11: eight words carry 88 bits

_spec = importlib.util.spec_from_file_location("wordforms", CRYPTO / "wordforms.py")
if _spec is None or _spec.loader is None:
    raise SystemExit("cannot load wordforms.py")
wordforms = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(wordforms)

# (wordfreq code, script, shortest, longest)
LANGUAGES = {
    "en": ("en", "LATIN", 3, 8),
    "es": ("es", "LATIN", 3, 9),
    "pt": ("pt", "LATIN", 3, 9),
    "tl": ("fil", "LATIN", 3, 9),
    "ar": ("ar", "ARABIC", 3, 7),
    "ur": ("ur", "ARABIC", 2, 7),
    "fa": ("fa", "ARABIC", 3, 7),
}

# Written for this project. Matched on skeletons, whole word or as a prefix
# when the entry ends with "*".
BLOCKED = {
    "en": "",  # wordlist.txt already went through WORDLIST.md's block list
    "es": """
        abus* agresi* alcohol* arma armas asesin* asilo bala* borrach* burdel cabr*
        cadaver carcel* castig* cocaina coño cojon* crimen* culo cura deport* diablo
        dios droga* embaraz* enferm* escap* esclav* extranjer* follar frontera* fuga*
        golpe* guerra* herida* homicid* huir ilegal* infierno inmigra* jodid* juez*
        juicio* jurado* maldit* maric* matar* mierda* migra* miedo* muert* negro*
        orgasm* papeles pederast* pena pene perra* pistol* polic* porno* preso*
        prision* prostitu* puta* puto* refugi* secuestr* sexo* sexual* suicid* tetas
        tortura* trafic* victima* viola* visa* zorra* abogad* denunci* demanda*
        droga fiscal* iglesia* santo* santa* virgen* cristo* jesus* maria* jose* juan*
        cagar* cagad* arzobisp* obispo* evangeli* bretañ* madrid* mexico* espana*
        lopez* garcia* martinez* rodriguez* gonzalez* perez*
    """,
    "pt": """
        abus* agress* alcool* arma armas assassin* asilo bala* bebad* bordel buceta*
        cadaver cadeia* caralh* castig* cocaina crime* cu cura deport* diabo* deus
        droga* engravid* doenc* escap* escrav* estrangeir* foder* fronteira* fuga*
        fug* golpe* guerra* ferid* homicid* ilegal* inferno* imigra* juiz* julg*
        jurado* maldit* viado* matar* merda* migra* medo* mort* negro* orgasm*
        papeis pedofil* pena penis perra* pistol* polic* porno* pres* prisao*
        prostitu* puta* puto* refugi* sequestr* sexo* sexual* suicid* peitos tortura*
        trafic* vitima* estupr* viol* visto* advogad* denunci* processo* igreja*
        santo* santa* virgem* cristo* jesus* maria* jose* joao* brasil* paulo*
        bulgar* armen* bretanh* evangel* bispo* silva* santos* oliveira* souza*
        pereira* lula* bolsonaro*
    """,
    "tl": """
        abuso* alak* asawa* baril* bilangguan* bobo* bugbog* demonyo* diyos* droga*
        gago* gaga* hayop* hinayupak* iyot* kantot* kalaboso* kulong* kupal* libog*
        malibog* mamatay* patay* pokpok* polis* pulis* puke* pota* puta* putang*
        sundalo* suntok* takas* tanga* tarantado* titi* ulol* ulul* puki* bayag*
        burat* kepyas* sex* sexy* rape* gahasa* halay* panggagahasa* ginahasa*
        trafficking* biktima* abogado* kaso* korte* hukom* immigration* imigrasyon*
        deport* visa* pasaporte* takot* sakit* dugo* baril* bomba* giyera* digmaan*
        simbahan* pari* santo* santa* hesus* jesus* maria* jose* duterte* marcos*
        impyerno* iglesia* guesting ung manila* maynila* pilipinas* philippines* juan*
    """,
    "ar": """
        قتل* قاتل* موت* ميت* مات دم* حرب* سلاح* مسدس* بندقي* قنبل* سجن* سجين* شرط*
        محكم* قاض* محام* جريم* مجرم* اغتصاب* اعتداء* تحرش* ضرب* عنف* خوف* هرب* هروب*
        لجوء* لاجئ* هجر* مهاجر* ترحيل* تأشير* جواز* حدود* مخدر* خمر* سكر* عاهر*
        دعار* زنا* جنس* نيك* شرموط* كس* زب* طيز* منيك* قحب* خول* كلب* حمار* خنزير*
        حقير* غبي* لعن* كافر* شيطان* جحيم* الله* رب* نبي* رسول* قرآن* مسجد* كنيس*
        ارهاب* إرهاب* انتحار* مرض* سرطان* عدو* ذبح* خطف* رهين* عبد* عبيد* اسرائيل*
        يهود* يحيى آدم جوزيف* محمد* احمد* أحمد* علي* حسن* حسين* فلسطين* سوري* مصر* عراق* سعود*
    """,
    "ur": """
        قتل* قاتل* موت* مر مرنا مرا لاش* خون* جنگ* ہتھیار* بندوق* پستول* بم* جیل*
        قید* پولیس* تھانہ* عدالت* جج* وکیل* جرم* مجرم* زیادتی* ریپ* زنا* جنس* سیکس*
        تشدد* مار* خوف* ڈر* بھاگ* فرار* پناہ* مہاجر* ملک بدر* ویزا* پاسپورٹ* سرحد*
        منشیات* شراب* نشہ* طوائف* رنڈی* حرامی* حرام* کتا* کتی* سور* گدھا* الو*
        کمینہ* بےغیرت* بیغیرت* لعنت* کافر* شیطان* جہنم* اللہ* خدا* رب* نبی* رسول*
        قرآن* مسجد* دہشت* خودکشی* بیمار* کینسر* دشمن* اغوا* غلام* اسرائیل* یہود* اقبال*
        محمد* احمد* علی* حسن* حسین* پاکستان* بھارت* انڈیا* عمران* نواز* شریف*
        گانڈ* لن* چوت* بہنچود* مادرچود* چود*
    """,
    "fa": """
        کشت* قتل* قاتل* مرگ* مرده* مردن خون* جنگ* سلاح* اسلحه* تفنگ* بمب* زندان*
        پلیس* کلانتری* دادگاه* دادگستری* قاضی* وکیل* جرم* جنایت* مجرم* تجاوز* آزار*
        کتک* زدن ضرب* خشونت* ترس* فرار* گریز* پناه* مهاجر* اخراج* دیپورت* ویزا*
        روادید* گذرنامه* پاسپورت* مرز* مخدر* شراب* مست* فاحشه* روسپی* جنده* سکس*
        جنسی* کیر* کون کونی* کس کسکش* کص* جاکش* گایید* حرامزاده* حروم* لاشی*
        پدرسگ* عوضی* لعنت* کثافت* احمق* خر سگ* خوک* کافر* شیطان* جهنم* خدا* الله*
        پیامبر* رسول* قرآن* مسجد* ترور* خودکشی* بیمار* سرطان* دشمن* گروگان* ربود*
        ربای* برده* شکنجه* اعدام* شلاق* قاچاق* شکایت* گزارش* بازداشت* دستگیر*
        جاسوس* اطلاعات* امنیت* ارتش* سرباز* طالبان* داعش* دزد* سرقت* اسرائیل*
        یهود* محمد* احمد* علی* حسن* حسین* رضا* ایران* افغان* تهران* کابل* خامنه*
    """,
}


def _blocked(lang: str) -> tuple[frozenset[str], tuple[str, ...]]:
    exact, prefixes = set(), []
    for entry in BLOCKED[lang].split():
        if entry.endswith("*"):
            prefixes.append(wordforms.skeleton(entry[:-1]))
        else:
            exact.add(wordforms.skeleton(entry))
    return frozenset(exact), tuple(prefixes)


def _in_script(word: str, script: str) -> bool:
    return all(c.isalpha() and unicodedata.name(c, "").startswith(script) for c in word)


VOWELS = set("aeiou")
ABAKADA = set("abdeghiklmnoprstuwy")
OTHERS = ("en", "fr", "de", "it", "nl")
# Arabic letters that are written joined to the next word: and, with, for, so, as.
CLITICS = ("و", "ب", "ل", "ف", "ک")
# Letters of Arabic spelling that Persian writes otherwise (ی ک ه).
ARABIC_ONLY = set("يكة")


def _foreign_or_name(word: str, code: str) -> bool:
    """More common in English, or about as common in other European languages
    as in its own: English words, and names (places, people, brands), which
    wordfreq cannot tell by their capital letter because it lowercases."""
    own = wordfreq.zipf_frequency(word, code)
    if wordfreq.zipf_frequency(word, "en") >= own:
        return True
    return max(wordfreq.zipf_frequency(word, other) for other in OTHERS) >= own - 1.5


def _clitic(skel: str, common: set[str]) -> bool:
    """A common word with "and", "with", "for"... joined to its front."""
    if skel[:1] in CLITICS:
        rest = skel[1:]
        return rest in common or rest.startswith("ال") or rest[:1] in CLITICS
    return False


def candidates(lang: str) -> list[str]:
    if lang == "en":
        listed = (CRYPTO / "wordlist.txt").read_text(encoding="ascii").split()
        return sorted(listed, key=lambda w: -wordfreq.zipf_frequency(w, "en"))
    return wordfreq.top_n_list(LANGUAGES[lang][0], 200_000, wordlist="best")


def build(lang: str) -> list[str]:
    code, script, shortest, longest = LANGUAGES[lang]
    exact, prefixes = _blocked(lang)
    common = {wordforms.skeleton(w) for w in candidates(lang)[:50_000]} if lang == "ar" else set()
    kept: list[str] = []
    skeletons: set[str] = set()
    starts: set[str] = set()
    for raw in candidates(lang):
        word = unicodedata.normalize("NFC", raw)
        if not shortest <= len(word) <= longest or not _in_script(word, script):
            continue
        if any(unicodedata.category(c) == "Mn" for c in word):
            continue  # vowelled spellings: the plain one is the common form
        skel = wordforms.skeleton(word)
        if skel in exact or skel.startswith(prefixes):
            continue
        if script == "ARABIC" and skel.startswith("ال") and len(skel) > 3:
            continue
        if script == "LATIN" and lang != "en" and _foreign_or_name(word, code):
            continue
        if script == "LATIN" and not VOWELS & set(skel):
            continue  # abbreviations
        if lang == "tl" and not set(skel) <= ABAKADA:
            continue  # loan spellings (c f j q v x z): the Tagalog spelling is kept
        if lang == "ar" and _clitic(skel, common):
            continue
        if lang == "fa" and set(word) & ARABIC_ONLY:
            continue  # Arabic spellings (ي ك ة): the Persian one is kept
        if skel in skeletons or skel[:4] in starts:
            continue
        kept.append(word)
        skeletons.add(skel)
        starts.add(skel[:4])
        if len(kept) == SIZE:
            break
    if len(kept) < SIZE:
        raise SystemExit(f"{lang}: only {len(kept)} words pass the filters")
    return sorted(kept)


def main(languages: list[str]) -> None:
    out = CRYPTO / "wordlists"
    out.mkdir(exist_ok=True)
    for lang in languages or list(LANGUAGES):
        words = build(lang)
        (out / f"{lang}.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
        print(lang, len(words), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
