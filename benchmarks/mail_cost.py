"""CPU per e-mail notice, sent the way notification used to (an `EmailMessage` and a new SMTP connection for
each message, the EHLO name looked up with `getfqdn`) and the way it does now (`EmailChannel`: the bytes
written directly, connections kept open). Both send to an SMTP sink in a process of its own (aiosmtpd), in
batches of 20 at once as the dispatcher does, on uvloop as the services run. Rounds alternate between the
two; each prints the sender's CPU per message (this process, every thread) and the sink's, counted apart.
Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.mail_cost [--messages 2000] [--rounds 3]
"""

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib
import uvloop

from services.notification.adapters.channels.mail import EmailChannel
from services.notification.adapters.channels.sending import Outgoing
from shared.events import utcnow
from shared.timezones import CHINA

SENDER, BATCH, TIMEOUT = "noreply@child-protection.invalid", 20, 10.0
TICK = os.sysconf("SC_CLK_TCK")


def notice(number: int) -> Outgoing:
    case = f"CP-2026-140724-{number:06d}"
    return Outgoing(
        notification_id=uuid.uuid4(),
        kind="assigned",
        referral_id=uuid.uuid4(),
        receiver_code="140724104",
        address="dazhai@example.org",
        subject=f"【新转介】{case}（P1 紧急）",
        body=f"大寨镇未成年人保护工作站：{case}（P1 紧急，须报告公安机关）于 2026-12-03 09:12 派给贵单位，"
        "请于 2026-12-03 09:42（北京时间）前登录系统签收。",
    )


async def send_as_before(message: Outgoing, port: int) -> None:
    """The channel as it was: a message object, folded and flattened, over a connection of its own."""
    email = EmailMessage()
    email["From"] = SENDER
    email["To"] = message.address
    email["Subject"] = message.subject
    email["Message-ID"] = f"<{message.notification_id}@cp-notification>"
    email["Date"] = format_datetime(utcnow().astimezone(CHINA))
    email.set_content(message.body)
    await aiosmtplib.send(email, hostname="127.0.0.1", port=port, timeout=TIMEOUT, start_tls=False)


async def in_batches(send: Callable[[Outgoing], Awaitable[None]], messages: int) -> None:
    for start in range(0, messages, BATCH):
        await asyncio.gather(*(send(notice(number)) for number in range(start, min(start + BATCH, messages))))


async def one_round(path: str, port: int, messages: int) -> None:
    if path == "before":
        await in_batches(lambda message: send_as_before(message, port), messages)
        return
    channel = EmailChannel("127.0.0.1", port, SENDER, TIMEOUT)
    try:
        await in_batches(channel.send, messages)
    finally:
        await channel.close()


def cpu_seconds(pid: int) -> float:
    """User and system time of another process, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def start_sink() -> tuple[subprocess.Popen, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"]
    sink = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return sink, port
        except OSError:
            time.sleep(0.1)
    sink.kill()
    raise RuntimeError("the SMTP sink did not start")


def measured(path: str, sink: subprocess.Popen, port: int, messages: int) -> tuple[float, float, float]:
    """CPU ms per message of the sender and of the sink, and the wall time in seconds."""
    sink_before, started, cpu_before = cpu_seconds(sink.pid), time.perf_counter(), time.process_time()
    uvloop.run(one_round(path, port, messages))
    cpu, wall = time.process_time() - cpu_before, time.perf_counter() - started
    return cpu * 1000 / messages, (cpu_seconds(sink.pid) - sink_before) * 1000 / messages, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each path, alternating")
    args = parser.parse_args()
    sink, port = start_sink()
    try:
        for path in ("before", "after"):
            measured(path, sink, port, 2 * BATCH)  # warm-up: imports, first connections
        results: dict[str, list[tuple[float, float, float]]] = {"before": [], "after": []}
        print(f"{args.messages} messages a round, {BATCH} at once; CPU ms per message")
        for number in range(1, args.rounds + 1):
            for path in ("before", "after"):
                sender, sink_cpu, wall = figures = measured(path, sink, port, args.messages)
                results[path].append(figures)
                print(f"round {number} {path:6}  sender {sender:.3f}  sink {sink_cpu:.3f}  wall {wall:.1f} s")
    finally:
        sink.terminate()
        sink.wait()
    for path, rounds in results.items():
        senders, sinks = [r[0] for r in rounds], [r[1] for r in rounds]
        print(
            f"{path:6}  sender median {statistics.median(senders):.3f} (range {min(senders):.3f}–{max(senders):.3f})"
            f"  sink median {statistics.median(sinks):.3f} (range {min(sinks):.3f}–{max(sinks):.3f})"
        )
    ratio = statistics.median(r[0] for r in results["before"]) / statistics.median(r[0] for r in results["after"])
    print(f"sender CPU per message: {ratio:.1f}× less after")


if __name__ == "__main__":
    main()
