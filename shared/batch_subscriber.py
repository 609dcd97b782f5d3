"""Batch subscribers that wait for records inside aiokafka's `getmany`.

FastStream's batch subscriber polls with a timeout and, when the poll comes back empty, sleeps as long again;
a short timeout makes a quick hop but wakes every idle subscriber hundreds of times a second. `getmany`
already returns as soon as the fetcher has records, so here an idle subscriber simply waits in it, up to
`wait_ms`, and a record that arrives ends the wait at once. The fetch itself waits as long on the broker.
"""

from itertools import chain
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from faststream.kafka import KafkaBroker


def batch_subscriber(broker: KafkaBroker, *topics: str, wait_ms: int, max_records: int, **options: Any) -> Any:
    subscriber = broker.subscriber(
        *topics,
        batch=True,
        batch_timeout_ms=wait_ms,
        max_records=max_records,
        fetch_max_wait_ms=wait_ms,  # the broker answers a fetch as soon as a record arrives, or after this
        **options,
    )

    async def wait_for_records(consumer: AIOKafkaConsumer) -> tuple[ConsumerRecord, ...]:
        by_partition = await consumer.getmany(timeout_ms=wait_ms, max_records=max_records)
        return tuple(chain.from_iterable(by_partition.values()))

    subscriber.get_msg = wait_for_records  # in place of the poll-then-sleep of FastStream's BatchSubscriber
    return subscriber
