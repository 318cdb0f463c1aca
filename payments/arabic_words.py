"""Amounts in Arabic words, as they are written on promissory notes and cheques in Jordan.

``amount_in_words(Decimal("1234.750"))`` → «ألف ومئتان وأربعة وثلاثون دينارًا وسبعمئة وخمسون فلسًا».

The counted noun follows the rules of Arabic number agreement, in the nominative as financial
documents write them:

- 1 → «دينار واحد», 2 → «ديناران» (the noun alone, singular or dual);
- 3–10 → the number in its feminine form (the noun is masculine) and the plural: «ثلاثة دنانير»;
- 11–99 → the singular accusative: «أحد عشر دينارًا», «خمسة وعشرون دينارًا»;
- a whole hundred, thousand or million → the singular genitive: «مئة دينار», «ألف دينار»; a dual
  scale word directly before the noun takes its construct form: «مئتا دينار», «ألفا دينار»;
- otherwise the last two digits decide (101 → «مئة وواحد دينار», 103 → «مئة وثلاثة دنانير»).

The same rules apply to thousands and millions («ثلاثة آلاف», «أحد عشر ألفًا», «مئتا ألف») and to
the fils (1 JD = 1000 fils). Hundreds are spelled «مئة» (the modern spelling), joined to their unit
(«ثلاثمئة»). Nothing here rounds: an amount with more than three decimals is refused.
"""

from __future__ import annotations

from decimal import Decimal

UNITS = {
    1: "واحد",
    2: "اثنان",
    3: "ثلاثة",
    4: "أربعة",
    5: "خمسة",
    6: "ستة",
    7: "سبعة",
    8: "ثمانية",
    9: "تسعة",
    10: "عشرة",
    11: "أحد عشر",
    12: "اثنا عشر",
}
TENS = {
    2: "عشرون",
    3: "ثلاثون",
    4: "أربعون",
    5: "خمسون",
    6: "ستون",
    7: "سبعون",
    8: "ثمانون",
    9: "تسعون",
}
HUNDREDS = {
    1: "مئة",
    2: "مئتان",
    3: "ثلاثمئة",
    4: "أربعمئة",
    5: "خمسمئة",
    6: "ستمئة",
    7: "سبعمئة",
    8: "ثمانمئة",
    9: "تسعمئة",
}
AND = " و"


class Noun:
    """The forms of a counted noun: singular, dual, plural (3–10), accusative (11–99), and the
    dual's construct form (before a noun: «ألفا دينار»)."""

    def __init__(self, singular: str, dual: str, plural: str, accusative: str, construct: str):
        self.singular = singular
        self.dual = dual
        self.plural = plural
        self.accusative = accusative
        self.construct = construct


DINAR = Noun("دينار", "ديناران", "دنانير", "دينارًا", "دينارا")
FILS = Noun("فلس", "فلسان", "فلوس", "فلسًا", "فلسا")
THOUSAND = Noun("ألف", "ألفان", "آلاف", "ألفًا", "ألفا")
MILLION = Noun("مليون", "مليونان", "ملايين", "مليونًا", "مليونا")
BILLION = Noun("مليار", "ملياران", "مليارات", "مليارًا", "مليارا")
SCALES = ((10**9, BILLION), (10**6, MILLION), (10**3, THOUSAND))


def _below_hundred(n: int) -> str:
    if n <= 12:
        return UNITS[n]
    if n < 20:
        return f"{UNITS[n - 10]} عشر"
    tens, unit = divmod(n, 10)
    return TENS[tens] if unit == 0 else f"{UNITS[unit]}{AND}{TENS[tens]}"


def _below_thousand(n: int, *, construct: bool = False) -> str:
    """1–999 as words; ``construct``: a whole 200 directly before a noun («مئتا دينار»)."""
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        word = HUNDREDS[hundreds]
        if hundreds == 2 and rest == 0 and construct:
            word = "مئتا"
        parts.append(word)
    if rest:
        parts.append(_below_hundred(rest))
    return AND.join(parts)


def counted(n: int, noun: Noun) -> str:
    """``n`` (≥ 1, < 1000) of ``noun``, with the number and the noun in agreement."""
    if n == 1:
        return f"{noun.singular} {UNITS[1]}"
    if n == 2:
        return noun.dual
    last = n % 100
    if 3 <= last <= 10:
        return f"{_below_thousand(n)} {noun.plural}"
    if 11 <= last <= 99:
        return f"{_below_thousand(n)} {noun.accusative}"
    # A whole hundred (100, 200 …), or a hundred and one or two: the genitive singular.
    return f"{_below_thousand(n, construct=True)} {noun.singular}"


def _scale_group(n: int, noun: Noun, *, last: bool) -> str:
    """A group of thousands (or millions): «ألف», «ألفان» / «ألفا» (before the noun), «ثلاثة
    آلاف», «أحد عشر ألفًا», «مئة ألف», «مئتا ألف». ``last``: nothing follows but the noun."""
    if n == 1:
        return noun.singular
    if n == 2:
        return noun.construct if last else noun.dual
    rest = n % 100
    if 3 <= rest <= 10:
        return f"{_below_thousand(n)} {noun.plural}"
    if 11 <= rest <= 99:
        # Before the counted noun the scale word is in construct, without tanween:
        # «أحد عشر ألف دينار»; otherwise accusative: «أحد عشر ألفًا وخمسمئة دينار».
        return f"{_below_thousand(n)} {noun.singular if last else noun.accusative}"
    return f"{_below_thousand(n, construct=True)} {noun.singular}"


def number_of(n: int, noun: Noun) -> str:
    """A whole number ``n`` ≥ 1 of ``noun`` in words, the noun in the form the number calls for."""
    if n < 1:
        raise ValueError("a count of at least one")
    if n < 1000:
        return counted(n, noun)
    parts: list[str] = []
    rest = n
    for size, scale in SCALES:
        group, rest = divmod(rest, size)
        if group:
            if group >= 1000:
                raise ValueError("amount too large")
            parts.append(_scale_group(group, scale, last=rest == 0))
    if rest:
        tail = _below_thousand(rest)
        last = rest % 100
        if rest in (1, 2):
            # «ألف وواحد دينار» / «ألف واثنان دينار»: the number, then the noun singular.
            tail = UNITS[rest]
            noun_word = noun.singular
        elif 3 <= last <= 10:
            noun_word = noun.plural
        elif 11 <= last <= 99:
            noun_word = noun.accusative
        else:
            tail = _below_thousand(rest, construct=True)
            noun_word = noun.singular
        parts.append(tail)
        return f"{AND.join(parts)} {noun_word}"
    # Ends on a scale word: the noun in the genitive singular («ألف دينار», «ثلاثة آلاف دينار»).
    return f"{AND.join(parts)} {noun.singular}"


def amount_in_words(amount: Decimal) -> str:
    """Dinars and fils in Arabic words: «ديناران وخمسمئة فلس», «خمسمئة فلس», «صفر دينار»."""
    amount = Decimal(amount)
    if amount < 0:
        raise ValueError("a negative amount has no words on a note")
    fils_total = amount * 1000
    if fils_total != fils_total.to_integral_value():
        raise ValueError("an amount in dinars has at most three decimals (fils)")
    dinars, fils = divmod(int(fils_total), 1000)
    parts = []
    if dinars:
        parts.append(number_of(dinars, DINAR))
    if fils:
        parts.append(number_of(fils, FILS))
    if not parts:
        return "صفر دينار"
    return AND.join(parts)


def amount_in_words_only(amount: Decimal) -> str:
    """The words as a note writes them, closed on both sides: «فقط … لا غير»."""
    return f"فقط {amount_in_words(amount)} لا غير"
