"""Issuing and checking signed bearer tokens (HS256)."""

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

import jwt

from shared.events import utcnow

ISSUER = "child-protection-referral"


class Role(StrEnum):
    OPERATOR = "operator"  # 12345 hotline operators and the 12345 platform
    STATION = "station"  # scope: its 9-digit township code
    COUNTY_CENTRE = "county_centre"  # scope: its 6-digit county code
    COMMITTEE = "committee"  # scope: the code prefix of its area
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    scope: str

    def covers(self, division_code: str | None) -> bool:
        """Whether a division lies inside this principal's area."""
        return bool(division_code) and division_code.startswith(self.scope)


class InvalidToken(Exception):
    pass


def issue_token(secret: str, subject: str, role: Role, scope: str, lifetime: timedelta) -> str:
    now = utcnow()
    claims = {
        "sub": subject,
        "role": role.value,
        "scope": scope,
        "iss": ISSUER,
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def read_token(secret: str, token: str) -> Principal:
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], issuer=ISSUER, options={"require": ["exp", "sub", "iss"]}
        )
        return Principal(subject=str(claims["sub"]), role=Role(claims["role"]), scope=str(claims.get("scope", "")))
    except (jwt.PyJWTError, KeyError, ValueError) as error:
        raise InvalidToken(type(error).__name__) from None
