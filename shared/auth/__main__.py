"""Mints a development token, signed with JWT_SECRET (or the development default); services trust it only in
the development environment.

.venv/bin/python -m shared.auth --role operator --scope 1407 --subject operator-001 --name 王芳
"""

import argparse
import os
from datetime import timedelta

from shared.auth.tokens import MAX_DEVELOPMENT_LIFETIME, issue_token
from shared.domain.access import Role
from shared.settings import DEVELOPMENT_JWT_SECRET


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m shared.auth", description=__doc__.splitlines()[0])
    parser.add_argument("--role", required=True, choices=[role.value for role in Role])
    parser.add_argument("--scope", default="", help="division code prefix: township, county or area")
    parser.add_argument("--subject", default="local-user", help="who the token stands for")
    parser.add_argument("--name", default="", help="the person's display name, for the audit and the pages")
    parser.add_argument("--platform-client", default=None, help="a 12345 platform client's id (operators only)")
    parser.add_argument("--hours", type=float, default=8, help="at most 12")
    args = parser.parse_args()
    if not 0 < args.hours <= MAX_DEVELOPMENT_LIFETIME.total_seconds() / 3600:
        parser.error("--hours must be more than 0 and at most 12")
    secret = os.environ.get("JWT_SECRET", DEVELOPMENT_JWT_SECRET)
    lifetime = timedelta(hours=args.hours)
    print(issue_token(secret, args.subject, Role(args.role), args.scope, lifetime, args.name, args.platform_client))


if __name__ == "__main__":
    main()
