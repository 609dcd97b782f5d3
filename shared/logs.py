"""Process-wide logging set-up. Code logs ids and counts, never personal data."""

import logging


def configure_logging(service: str, level: str) -> None:
    # Leaves an already configured root logger alone (a test runner's, say).
    logging.basicConfig(level=level, format=f"%(asctime)s {service} %(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
