"""Resident ID numbers (GB 11643) and Chinese phone numbers: checking and masking."""

import re
import unicodedata
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARACTERS = "10X98765432"
# ASCII digits only: \d would also take Arabic-Indic and other scripts' digits.
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?")


def id_check_character(first_17_digits: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first_17_digits, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARACTERS[total % 11]


def normalise_id_number(text: str) -> str:
    """Full-width characters (typed with a Chinese input method) become their ASCII forms."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def id_number_problem(id_number: str) -> str | None:
    """None for a well-formed 18-character resident ID number, else the reason (a stable code)."""
    if not _ID_SHAPE.fullmatch(id_number):
        return "id_number_format"
    if id_check_character(id_number[:17]) != id_number[17]:
        return "id_number_checksum"
    if id_birth_date(id_number) is None:
        return "id_number_birth_date"
    return None


def id_birth_date(id_number: str) -> date | None:
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def normalise_phone(text: str) -> str:
    digits = re.sub(r"[\s()]", "", unicodedata.normalize("NFKC", text).strip())
    return digits.removeprefix("+86").removeprefix("0086")


def is_phone(phone: str) -> bool:
    return bool(_MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone))


def mask_id_number(id_number: str | None) -> str | None:
    if not id_number:
        return id_number
    return id_number[:6] + "*" * max(len(id_number) - 10, 0) + id_number[-4:]


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    if _MOBILE.fullmatch(phone):
        return phone[:3] + "****" + phone[-4:]
    return phone[:-4].rstrip("0123456789") + "****" + phone[-4:] if len(phone) > 4 else "****"


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask_name_on_card(name: str | None) -> str | None:
    """A name on a case card: its first character and, from three characters on, its last, one `*` between
    (王*明, 王*), enough to tell cases apart without giving the name or its length."""
    name = (name or "").strip()
    if not name:
        return None
    return name[0] + "*" + (name[-1] if len(name) >= 3 else "")


def mask_child(child: dict) -> dict:
    """A child's fields as a viewer without the right to personal data sees them."""
    return child | {"name": mask_name(child.get("name")), "id_number": mask_id_number(child.get("id_number"))}
