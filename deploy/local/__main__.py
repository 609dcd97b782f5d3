"""Starts or stops the local Kafka, PostgreSQL and Keycloak.

    python -m deploy.local up|keycloak-ready|down [--state .run] [--kafka-port 19092[,19094,19096]]
        [--keycloak-port 18080] [--no-keycloak] [--existing-kafka HOST:PORT] [--existing-postgres URL]

One Kafka port is one broker; several ports are a cluster of that many (see deploy/local/kafka_cluster.py).
`up` creates each service's database and prints the settings that point the services at them; it starts
Keycloak without waiting for it (its first start takes minutes). `keycloak-ready` waits for Keycloak, creates
the demo users and prints where it is. With `--existing-kafka` or `--existing-postgres` the given one is used
(its databases created in it) and neither started nor stopped.
"""

import argparse
import asyncio
from pathlib import Path

from deploy.local.kafka_cluster import LocalKafkaCluster, port_list
from deploy.local.keycloak import LocalKeycloak
from deploy.local.keycloak_demo import load_demo_users
from deploy.local.postgres import LocalPostgres
from deploy.local.process import REPO_ROOT
from shared.database import database_url_for, ensure_database

SERVICES = ("intake", "referral", "notification")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.local")
    parser.add_argument("verb", choices=["up", "keycloak-ready", "down"])
    parser.add_argument("--state", type=Path, default=REPO_ROOT / ".run")
    parser.add_argument("--kafka-port", type=port_list, default=[19092], help="one per broker, comma-separated")
    parser.add_argument("--kafka-controller-port", type=port_list, help="default: each Kafka port + 1")
    parser.add_argument("--postgres-port", type=int, default=15432)
    parser.add_argument("--keycloak-port", type=int, default=18080)
    parser.add_argument("--keycloak-management-port", type=int, help="health and metrics; default: its port + 1")
    parser.add_argument("--no-keycloak", action="store_true", help="leave Keycloak out")
    parser.add_argument("--existing-kafka", metavar="BOOTSTRAP", help="use this Kafka rather than start one")
    parser.add_argument("--existing-postgres", metavar="URL", help="a superuser URL: use it rather than start one")
    args = parser.parse_args()

    controller_ports = args.kafka_controller_port or [port + 1 for port in args.kafka_port]
    kafka = LocalKafkaCluster(args.state / "kafka", args.kafka_port, controller_ports)
    postgres = LocalPostgres(args.state / "postgres", port=args.postgres_port)
    keycloak = LocalKeycloak(
        args.state / "keycloak",
        database_url=database_url_for(postgres.admin_url, "keycloak"),
        port=args.keycloak_port,
        management_port=args.keycloak_management_port or args.keycloak_port + 1,
    )
    if args.verb == "down":
        keycloak.stop()
        if not args.existing_kafka:
            kafka.stop()
        if not args.existing_postgres:
            postgres.stop()
        return
    if args.verb == "keycloak-ready":
        keycloak.wait_started()
        load_demo_users(keycloak)
        return
    if args.existing_kafka:
        bootstrap, kafka_settings = args.existing_kafka, {"KAFKA_BOOTSTRAP_SERVERS": args.existing_kafka}
    else:
        bootstrap, kafka_settings = kafka.start(), kafka.settings()
    admin_url = args.existing_postgres or postgres.start()
    for name, value in kafka_settings.items():
        print(f"{name}={value}")
    print(f"DATABASE_URL={admin_url}")
    for service in SERVICES:
        url = asyncio.run(ensure_database(admin_url, service))
        print(f"{service.upper()}_DATABASE_URL={url}")
        print(f"{service.upper()}_KAFKA_BOOTSTRAP_SERVERS={bootstrap}")
    if not args.no_keycloak:
        asyncio.run(ensure_database(admin_url, "keycloak"))
        keycloak.launch()
        print(f"OIDC_ISSUER={keycloak.issuer}")  # the services fetch its keys once it is up


if __name__ == "__main__":
    main()
