"""The channels a notice is delivered on (not how a report reached the hotline: that is codes.Channel)."""

from enum import StrEnum


class DeliveryChannel(StrEnum):
    WEBHOOK = "webhook"
    EMAIL = "email"
    SMS = "sms"
    NONE = "none"  # the receiver could be reached on no channel: the notification is dead at once


class SmsProvider(StrEnum):
    """Who carries the SMS: an HTTP gateway in the request shape it wants, or Alibaba Cloud SMS (signed)."""

    GATEWAY = "gateway"
    ALIYUN = "aliyun"
