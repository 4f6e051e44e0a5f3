"""The unified social credit code of GB 32100-2015 (accounts/credit_code.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from irontriangle.accounts.credit_code import check_character, is_valid, normalise, validate_credit_code

# Codes of real, registered organisations (companies and a public institution), as published.
KNOWN_VALID = [
    "91350100M000100Y43",
    "914403001922038216",
    "91330100799655058B",
    "91440300708461136T",
    "9144030071526726XG",
    "91110108551385082Q",
    "91310000775785552L",
    "91110000802100433B",
    "91110000100010433L",
    "911100007109352226",
    "12100000400000624D",
]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_codes_are_valid(code):
    assert is_valid(code)
    assert check_character(code[:17]) == code[17]
    validate_credit_code(code)


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_lower_case_and_spaces_are_normalised(code):
    assert normalise(f"  {code.lower()} ") == code
    assert is_valid(code.lower())


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_every_wrong_check_character_is_refused(code):
    wrong = [char for char in "0123456789ABCDEFGHJKLMNPQRTUWXY" if char != code[17]]
    assert not any(is_valid(code[:17] + char) for char in wrong)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # wrong check character
        "91350100M000100Y4",  # 17 characters
        "91350100M000100Y433",  # 19 characters
        "91350100I000100Y43",  # I is not in the alphabet
        "91350100O000100Y43",  # nor O
        "91350100Z000100Y43",  # nor Z
        "91350100S000100Y43",  # nor S
        "91350100V000100Y43",  # nor V
        "91350100M00010-Y43",
        "９１３５０１００Ｍ０００１００Ｙ４３",  # full-width digits
        "",
    ],
)
def test_invalid_codes_are_refused(code):
    assert not is_valid(code)


def test_swapped_digits_are_caught():
    code = "914403001922038216"
    swapped = code[:3] + code[4] + code[3] + code[5:]
    assert swapped != code and not is_valid(swapped)


def test_validator_allows_blank_and_refuses_invalid_with_a_code():
    validate_credit_code("")
    with pytest.raises(ValidationError) as refused:
        validate_credit_code("91350100M000100Y44")
    assert refused.value.code == "invalid_credit_code"
