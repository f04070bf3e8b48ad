"""The 法人番号 (corporate number): 13 half-width digits whose first digit is
a check digit over the other 12 (National Tax Agency specification)."""

import pytest
from django.core.exceptions import ValidationError

from accounts.forms import EmployerForm
from accounts.validators import corporate_number_check_digit, validate_corporate_number

# Real numbers from the National Tax Agency's register.
REAL_NUMBERS = ["7000012050002", "1180301018771"]


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_real_corporate_numbers_pass(number):
    validate_corporate_number(number)
    assert corporate_number_check_digit(number[1:]) == int(number[0])


def test_check_digit_follows_the_national_tax_agency_formula():
    # 9 - (sum of digits × 1 or 2, alternating from the right) mod 9.
    assert corporate_number_check_digit("000000000000") == 9
    assert corporate_number_check_digit("000000000001") == 8  # 1 × 1
    assert corporate_number_check_digit("000000000010") == 7  # 1 × 2
    assert corporate_number_check_digit("000000000009") == 9  # 9 mod 9 = 0


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_every_other_check_digit_is_refused(number):
    for digit in "0123456789":
        if digit == number[0]:
            continue
        with pytest.raises(ValidationError) as caught:
            validate_corporate_number(digit + number[1:])
        assert caught.value.code == "check_digit"
        assert "check digit is wrong" in caught.value.messages[0]


def test_a_typo_in_the_base_is_caught():
    with pytest.raises(ValidationError) as caught:
        validate_corporate_number("7000012050003")
    assert caught.value.code == "check_digit"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "700001205000",  # 12 digits
        "70000120500021",  # 14 digits
        "７０００１２０５０００２",  # full-width digits
        "7OOOO12O5OOO2",  # letter O for zero
        "700001205000A",
        "7000-012050002",
        "7000012050002 ",
        "٧٠٠٠٠١٢٠٥٠٠٠٢",  # Arabic-Indic digits: str.isdigit() says yes
    ],
)
def test_anything_but_13_half_width_digits_is_refused_with_a_clear_message(value):
    with pytest.raises(ValidationError) as caught:
        validate_corporate_number(value)
    assert caught.value.code == "format"
    assert "13 digits (half-width 0-9)" in caught.value.messages[0]


def employer_data(corporate_number: str) -> dict:
    return {
        "legal_name": "株式会社さくら介護サービス",
        "corporate_number": corporate_number,
        "industry": "care",
        "address": "東京都千代田区霞が関3-1-1",
        "contact_name": "佐藤 花子",
        "contact_email": "hr@sakura.test",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pasted",
    ["7000012050002", "7-0000-1205-0002", "7000 0120 50002", " 7000012050002 ", "7 - 0000 - 1205 - 0002"],
)
def test_employer_form_takes_the_number_as_pasted_from_the_register(pasted):
    form = EmployerForm(employer_data(pasted))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["corporate_number"] == "7000012050002"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("8-0000-1205-0002", "check digit is wrong"),
        ("7000-0120-500", "exactly 13 digits"),
        ("７０００１２０５０００２", "half-width"),
        ("", "This field is required."),
        ("   ", "This field is required."),
    ],
)
def test_employer_form_explains_a_wrong_number(value, message):
    form = EmployerForm(employer_data(value))
    assert not form.is_valid()
    assert message in " ".join(form.errors["corporate_number"])
