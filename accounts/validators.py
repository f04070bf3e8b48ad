"""Validators for Japanese identifiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def corporate_number_check_digit(base12: str) -> int:
    """Check digit of a 法人番号 (National Tax Agency corporate number).

    The 13-digit number is the check digit followed by a 12-digit base.
    With P(n) the n-th base digit counted from the right and Q(n) = 1 for odd
    n, 2 for even n: check = 9 - (sum(P(n) * Q(n)) mod 9).
    """
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base12), start=1))
    return 9 - (total % 9)


def validate_corporate_number(value: str) -> None:
    if not value or len(value) != 13 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("A corporate number has exactly 13 digits (half-width 0-9), for example 7000012050002."),
            code="format",
        )
    if int(value[0]) != corporate_number_check_digit(value[1:]):
        raise ValidationError(
            _(
                "This corporate number's check digit is wrong: "
                "please copy it again from the National Tax Agency's register."
            ),
            code="check_digit",
        )
