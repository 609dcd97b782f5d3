"""Prints the key a receiver checks webhook signatures with (HMAC-SHA256 of the raw body, header
X-Signature-256: sha256=<hex>), derived from NOTIFICATION_WEBHOOK_SECRET.

    python -m services.notification.entrypoints.cli.webhook_keys 140724104
"""

import argparse
import os

from services.notification.adapters.channels.webhook import receiver_signing_key
from services.notification.settings import DEVELOPMENT_WEBHOOK_SECRET


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m services.notification.entrypoints.cli.webhook_keys")
    parser.add_argument("code", help="the station's, centre's or committee's code")
    args = parser.parse_args()
    secret = os.environ.get("NOTIFICATION_WEBHOOK_SECRET", DEVELOPMENT_WEBHOOK_SECRET)
    print(receiver_signing_key(secret, args.code).decode())


if __name__ == "__main__":
    main()
