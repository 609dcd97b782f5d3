"""docs/asyncapi.json is the document shared/asyncapi.py makes, it is valid AsyncAPI 3.0 (against the
specification's own JSON schema, fetched by ./test), and the receivers it names are the services' real
subscriptions."""

import copy
import json
from pathlib import Path
from types import SimpleNamespace

import jsonschema_rs

from services.intake.entrypoints import consumers as intake_consumers
from services.notification.entrypoints import consumers as notification_consumers
from services.referral.entrypoints import consumers as referral_consumers
from shared import asyncapi

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / ".cache" / "asyncapi-specs" / "3.0.0-without-$id.json"


class RecordingRuntime:
    """Stands in for ServiceRuntime: notes which event types a service subscribes to."""

    def __init__(self) -> None:
        self.subscribed: set[type] = set()
        self.consumer_group = "group"
        self.consumer_groups: set[str] = set()
        self.settings = SimpleNamespace(consumer_batch=10)
        self.broker = SimpleNamespace(subscriber=lambda *topics, **options: lambda handler: handler)
        self.pool = None

    def consume(self, event_type: type, handle, group: str | None = None) -> None:
        self.subscribed.add(event_type)

    consume_batches = consume


def subscriptions(register, *collaborators) -> set[type]:
    runtime = RecordingRuntime()
    register(runtime, *collaborators)
    return runtime.subscribed


def validator():
    assert SCHEMA.exists(), "the AsyncAPI schema is fetched by ./test (deploy/local/fetch-asyncapi-schema.sh)"
    return jsonschema_rs.validator_for(json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_the_committed_document_is_the_one_the_events_make():
    committed = (ROOT / "docs" / "asyncapi.json").read_text(encoding="utf-8")
    assert committed == asyncapi.rendered(), "run: .venv/bin/python -m shared.asyncapi > docs/asyncapi.json"


def test_the_document_is_valid_asyncapi_and_a_broken_one_is_caught():
    document = asyncapi.document()
    assert list(validator().iter_errors(document)) == []
    broken = copy.deepcopy(document)
    broken["operations"]["intakeSendsReportReceived"]["action"] = "publish"
    assert list(validator().iter_errors(broken))


def test_every_event_has_its_topic_and_payload_schema():
    document = asyncapi.document()
    for kind in asyncapi.SENT_BY:
        assert document["channels"][kind.__name__]["address"] == kind.TOPIC
        assert "event_id" in document["components"]["schemas"][kind.__name__]["properties"]


def test_the_receivers_named_are_the_services_real_subscriptions():
    named = {
        service: {kind for kind, receivers in asyncapi.RECEIVED_BY.items() if service in receivers}
        for service in ("intake", "referral", "notification")
    }
    handlers = type("Handlers", (), {"__getattr__": lambda self, name: None})()
    assert subscriptions(intake_consumers.register, handlers, handlers) == named["intake"]
    assert subscriptions(referral_consumers.register, handlers, handlers) == named["referral"]
    assert subscriptions(notification_consumers.register, lambda: None) == named["notification"]
