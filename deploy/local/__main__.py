"""Starts or stops the local Kafka broker and PostgreSQL cluster.

    python -m deploy.local up|down [--state .run]

`up` creates each service's database and prints the settings that point the services at them.
"""

import argparse
import asyncio
from pathlib import Path

from deploy.local.kafka import LocalKafka
from deploy.local.postgres import LocalPostgres
from deploy.local.process import REPO_ROOT
from shared.database import ensure_database

SERVICES = ("intake", "referral", "notification")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.local")
    parser.add_argument("verb", choices=["up", "down"])
    parser.add_argument("--state", type=Path, default=REPO_ROOT / ".run")
    parser.add_argument("--kafka-port", type=int, default=19092)
    parser.add_argument("--kafka-controller-port", type=int, help="default: the Kafka port + 1")
    parser.add_argument("--postgres-port", type=int, default=15432)
    args = parser.parse_args()

    kafka = LocalKafka(
        args.state / "kafka",
        port=args.kafka_port,
        controller_port=args.kafka_controller_port or args.kafka_port + 1,
    )
    postgres = LocalPostgres(args.state / "postgres", port=args.postgres_port)
    if args.verb == "down":
        kafka.stop()
        postgres.stop()
        return
    bootstrap = kafka.start()
    admin_url = postgres.start()
    print(f"KAFKA_BOOTSTRAP_SERVERS={bootstrap}")
    print(f"DATABASE_URL={admin_url}")
    for service in SERVICES:
        url = asyncio.run(ensure_database(admin_url, service))
        print(f"{service.upper()}_DATABASE_URL={url}")
        print(f"{service.upper()}_KAFKA_BOOTSTRAP_SERVERS={bootstrap}")


if __name__ == "__main__":
    main()
