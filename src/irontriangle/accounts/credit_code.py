"""The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters, last one a check."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The code's alphabet: digits and upper-case letters without I, O, Z, S and V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(value: str) -> str:
    return value.strip().upper()


def is_valid(value: str) -> bool:
    code = normalise(value)
    if len(code) != 18 or any(char not in ALPHABET for char in code):
        return False
    return check_character(code[:17]) == code[17]


def validate_credit_code(value: str) -> None:
    if value and not is_valid(value):
        raise ValidationError(
            _("Not a valid unified social credit code (18 characters with a GB 32100 check character)."),
            code="invalid_credit_code",
        )
