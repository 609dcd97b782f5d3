"""Mints a bearer token for local use, signed with JWT_SECRET (or the development default).

.venv/bin/python -m shared.auth --role operator --scope 1407 --subject operator-001
"""

import argparse
import os
from datetime import timedelta

from shared.auth.tokens import issue_token
from shared.domain.access import Role
from shared.settings import DEVELOPMENT_JWT_SECRET


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m shared.auth", description=__doc__.splitlines()[0])
    parser.add_argument("--role", required=True, choices=[role.value for role in Role])
    parser.add_argument("--scope", default="", help="division code prefix: township, county or area")
    parser.add_argument("--subject", default="local-user", help="who the token stands for")
    parser.add_argument("--hours", type=float, default=12)
    args = parser.parse_args()
    secret = os.environ.get("JWT_SECRET", DEVELOPMENT_JWT_SECRET)
    print(issue_token(secret, args.subject, Role(args.role), args.scope, timedelta(hours=args.hours)))


if __name__ == "__main__":
    main()
