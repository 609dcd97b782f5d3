"""The AsyncAPI 3.0 document of the events between the services: one channel per topic, its message's payload
schema from the event's pydantic model, and who sends and who receives it. `docs/asyncapi.json` is this
document; `python -m shared.asyncapi` writes it again after an event or a subscription changes (a unit test
checks the file, and that the receivers below are the services' real subscriptions)."""

import json
import sys
from typing import Any

from pydantic.json_schema import models_json_schema

from shared import events
from shared.events import Event

SENT_BY: dict[type[Event], str] = {
    events.ReportReceived: "intake",
    events.ReportStuck: "intake",
    events.ReportProgressed: "intake",
    events.CallbackRecorded: "intake",
    events.ReferralAssigned: "referral",
    events.ReferralUnrouted: "referral",
    events.ReferralActionRecorded: "referral",
    events.ReportLinked: "referral",
    events.StationDirectoryChanged: "referral",
    events.DeadlineScheduled: "notification",
    events.DeadlineReminderDue: "notification",
    events.DeadlineBreached: "notification",
    events.SupervisionIssued: "notification",
    events.NotificationFailed: "notification",
    events.DeadlineExtension: "notification",
}

RECEIVED_BY: dict[type[Event], tuple[str, ...]] = {
    events.ReportReceived: ("referral",),
    events.CallbackRecorded: ("referral", "intake", "notification"),
    events.ReferralAssigned: ("intake", "notification"),
    events.ReferralUnrouted: ("intake", "notification"),
    events.ReferralActionRecorded: ("intake", "notification"),
    events.ReportLinked: ("intake",),
    events.DeadlineScheduled: ("intake",),
    events.DeadlineExtension: ("intake",),
    events.ReportProgressed: ("intake", "notification"),
    events.ReportStuck: ("notification",),
    events.StationDirectoryChanged: ("notification",),
}

KEY_NOTE = (
    "Keeps one case's events in order: a report's by the child's identity (a keyed hash) or its id, a referral's "
    "by its id; a directory entry by the station's code (the topic is compacted)."
)


def document() -> dict[str, Any]:
    kinds = list(SENT_BY)
    _, schemas = models_json_schema(
        [(kind, "serialization") for kind in kinds], ref_template="#/components/schemas/{model}"
    )
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for kind in kinds:
        name = kind.__name__
        messages[name] = {
            "name": name,
            "title": name,
            "summary": _first_line(kind.__doc__),
            "contentType": "application/json",
            "payload": {"$ref": f"#/components/schemas/{name}"},
            "bindings": {"kafka": {"key": {"type": "string", "description": KEY_NOTE}}},
        }
        channels[name] = {
            "address": kind.TOPIC,
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "description": f"Dead letters go to {kind.TOPIC}.dead-letter.",
        }
        operations[f"{SENT_BY[kind]}Sends{name}"] = _operation("send", name, SENT_BY[kind])
        for receiver in RECEIVED_BY.get(kind, ()):
            operations[f"{receiver}Receives{name}"] = _operation("receive", name, receiver)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Child protection referrals: events",
            "version": "1.0.0",
            "description": "Events between intake, referral and notification, over Apache Kafka. Each topic "
            "carries one event type, published through each service's outbox; consumers are idempotent.",
        },
        "defaultContentType": "application/json",
        "servers": {"kafka": {"host": "127.0.0.1:9092", "protocol": "kafka", "description": "./run's broker"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas["$defs"]},
    }


def _operation(action: str, name: str, service: str) -> dict[str, Any]:
    return {
        "action": action,
        "channel": {"$ref": f"#/channels/{name}"},
        "messages": [{"$ref": f"#/channels/{name}/messages/{name}"}],
        "tags": [{"name": service}],
    }


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if text and text.strip() else ""


def rendered() -> str:
    return json.dumps(document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    sys.stdout.write(rendered())
