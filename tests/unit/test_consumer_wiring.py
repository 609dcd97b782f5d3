"""Consumer wiring, in memory: good events reach the handler, poison goes to the dead-letter topic.

TestKafkaBroker proves wiring only; commits and redelivery are tested on the real broker.
"""

from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage

from shared.consuming import register_consumer
from shared.events import ReportReceived
from shared.topics import REPORT_RECEIVED, dead_letter_topic
from tests.factories import report_received


async def test_a_valid_event_reaches_the_handler_and_poison_is_dead_lettered():
    broker = KafkaBroker()
    handled: list[ReportReceived] = []

    async def handle(event: ReportReceived) -> None:
        handled.append(event)

    register_consumer(broker, event_type=ReportReceived, group_id="unit", handle=handle)

    dead: list[tuple[bytes, str]] = []

    @broker.subscriber(dead_letter_topic(REPORT_RECEIVED))
    async def dead_letters(message: KafkaMessage) -> None:
        dead.append((message.body, message.headers["error"]))

    event = report_received()
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(event.model_dump_json().encode(), REPORT_RECEIVED)
        await test_broker.publish(b'{"schema_version": 99}', REPORT_RECEIVED)
        await test_broker.publish(b"not json at all", REPORT_RECEIVED)

    assert handled == [event]
    assert [body for body, _ in dead] == [b'{"schema_version": 99}', b"not json at all"]
    assert dead[0][1].startswith("invalid ReportReceived: schema_version: literal_error")
    assert dead[1][1] == "invalid ReportReceived: <message>: json_invalid"
