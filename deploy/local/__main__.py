"""Starts or stops the local Kafka and PostgreSQL.

    python -m deploy.local up|down [--state .run] [--kafka-port 19092[,19094,19096]]

One Kafka port is one broker; several ports are a cluster of that many (see deploy/local/kafka_cluster.py).
`up` creates each service's database and prints the settings that point the services at them.
"""

import argparse
import asyncio
from pathlib import Path

from deploy.local.kafka_cluster import LocalKafkaCluster, port_list
from deploy.local.postgres import LocalPostgres
from deploy.local.process import REPO_ROOT
from shared.database import ensure_database

SERVICES = ("intake", "referral", "notification")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.local")
    parser.add_argument("verb", choices=["up", "down"])
    parser.add_argument("--state", type=Path, default=REPO_ROOT / ".run")
    parser.add_argument("--kafka-port", type=port_list, default=[19092], help="one per broker, comma-separated")
    parser.add_argument("--kafka-controller-port", type=port_list, help="default: each Kafka port + 1")
    parser.add_argument("--postgres-port", type=int, default=15432)
    args = parser.parse_args()

    controller_ports = args.kafka_controller_port or [port + 1 for port in args.kafka_port]
    kafka = LocalKafkaCluster(args.state / "kafka", args.kafka_port, controller_ports)
    postgres = LocalPostgres(args.state / "postgres", port=args.postgres_port)
    if args.verb == "down":
        kafka.stop()
        postgres.stop()
        return
    bootstrap = kafka.start()
    admin_url = postgres.start()
    for name, value in kafka.settings().items():
        print(f"{name}={value}")
    print(f"DATABASE_URL={admin_url}")
    for service in SERVICES:
        url = asyncio.run(ensure_database(admin_url, service))
        print(f"{service.upper()}_DATABASE_URL={url}")
        print(f"{service.upper()}_KAFKA_BOOTSTRAP_SERVERS={bootstrap}")


if __name__ == "__main__":
    main()
