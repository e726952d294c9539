"""A noise model of the training school's rosters, written by hand for the identity measurement and
independent of the sample generator's own name variants: what clerks really type when they copy a cadre
from one list into another. Each noisy row says which person it is about (or nobody)."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

VOWELS = "aeiouy"
NEIGHBOURS = {"u": "y", "y": "u", "n": "m", "m": "n", "i": "o", "o": "i", "a": "s", "e": "r", "h": "g", "t": "r"}


@dataclass(frozen=True)
class Person:
    person_id: str
    full_name: str
    dob: date
    commune: str  # the commune's name as a unit column writes it
    citizen_id: str


@dataclass(frozen=True)
class Row:
    truth: str | None  # the person the row is about; None for somebody not in the HR files
    noise: str
    full_name: str
    dob: date
    commune: str
    citizen_id: str


def strip_marks(text: str) -> str:
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def _word(rng: random.Random, name: str) -> tuple[list[str], int] | None:
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 3]
    return (words, rng.choice(long)) if long else None


def typo_drop(rng, name):
    """A letter left out inside a word ("Ngyễn")."""
    picked = _word(rng, name)
    if not picked:
        return None
    words, i = picked
    j = rng.randrange(1, len(words[i]))
    words[i] = words[i][:j] + words[i][j + 1 :]
    return " ".join(words)


def typo_swap(rng, name):
    """Two neighbouring letters typed in the wrong order ("Nugyễn")."""
    picked = _word(rng, name)
    if not picked:
        return None
    words, i = picked
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    if w[j] == w[j + 1]:
        return None
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def typo_key(rng, name):
    """A neighbouring key hit instead ("Nguyễn Văn Hing")."""
    picked = _word(rng, name)
    if not picked:
        return None
    words, i = picked
    w = words[i]
    spots = [j for j in range(1, len(w)) if strip_marks(w[j]).lower() in NEIGHBOURS]
    if not spots:
        return None
    j = rng.choice(spots)
    words[i] = w[:j] + NEIGHBOURS[strip_marks(w[j]).lower()] + w[j + 1 :]
    return " ".join(words)


def middle_dropped(_rng, name):
    words = name.split()
    return f"{words[0]} {words[-1]}" if len(words) >= 3 else None


def _swap(dob: date) -> date | None:
    if dob.day > 12 or dob.day == dob.month:
        return None
    return date(dob.year, dob.day, dob.month)


def noisy(rng: random.Random, person: Person, kind: str, old_id: str, elsewhere: str = "") -> Row | None:
    """``person`` as a clerk copied them, with the noise ``kind``; None when it cannot apply to them."""
    name, dob, commune, cid = person.full_name, person.dob, person.commune, ""
    if kind in ("typo_drop", "typo_swap", "typo_key"):
        name = globals()[kind](rng, name)
    elif kind == "no_diacritics":
        name = strip_marks(name)
    elif kind == "typo_no_diacritics":
        name = typo_drop(rng, strip_marks(name))
    elif kind == "middle_dropped":
        name = middle_dropped(rng, name)
    elif kind == "dob_swapped":
        dob = _swap(dob)
    elif kind == "old_id":
        cid = old_id
    elif kind == "upper_case":
        name = name.upper()
    elif kind == "typo_dob_swapped":  # two slips in one row: beyond every rule, on purpose
        name, dob = typo_key(rng, name), _swap(dob)
    elif kind == "moved_typo":  # listed under another commune and misspelt: beyond every rule too
        name, commune = typo_drop(rng, name), elsewhere
    if name is None or dob is None:
        return None
    return Row(person.person_id, kind, name, dob, commune, cid)


def lookalike(rng: random.Random, person: Person) -> Row | None:
    """Somebody else: a name one slip from a cadre's, in the same commune, born a year apart."""
    name = typo_key(rng, person.full_name) or typo_drop(rng, person.full_name)
    if name is None:
        return None
    return Row(None, "lookalike", name, person.dob - timedelta(days=365 + rng.randrange(1, 200)), person.commune, "")


def stranger(rng: random.Random, a: Person, b: Person) -> Row:
    """Somebody else: a family name of one cadre, the other names of another, any birth date, a commune."""
    name = " ".join([a.full_name.split()[0], *b.full_name.split()[1:]])
    dob = date(1965, 1, 1) + timedelta(days=rng.randrange(30 * 365))
    return Row(None, "stranger", name, dob, b.commune, "")


KINDS = (
    "typo_drop",
    "typo_swap",
    "typo_key",
    "no_diacritics",
    "typo_no_diacritics",
    "middle_dropped",
    "dob_swapped",
    "old_id",
    "upper_case",
)
# Two slips at once: no rule may match them by guessing; they are the recall the rules give up.
HARD = ("typo_dob_swapped", "moved_typo")
