"""SMS providers as plugins: each says whether the settings configure it and builds its sender. The setting
`sms_provider` chooses one; adding a provider is one class and one entry in PROVIDERS."""

from typing import Any, Protocol

import httpx
from pydantic import SecretStr

from services.notification.adapters.channels.aliyun_sms import AliyunAccount, AliyunSmsChannel
from services.notification.adapters.channels.sending import Sender
from services.notification.adapters.channels.sms import SmsChannel, SmsRequestShape
from services.notification.domain.delivery_channels import SmsProvider


class SmsOptions(Protocol):
    """The settings the providers read (the service's settings have them all)."""

    sms_provider: SmsProvider
    sms_gateway_url: str | None
    sms_request_template: dict[str, Any]
    sms_headers: dict[str, str]
    sms_success_field: str | None
    sms_success_value: str | None
    sms_aliyun_endpoint: str
    sms_aliyun_region: str
    sms_aliyun_access_key_id: str | None
    sms_aliyun_access_key_secret: SecretStr
    sms_aliyun_sign_name: str
    sms_aliyun_template_code: str
    sms_aliyun_template_param: dict[str, str]


class SmsProviderPlugin(Protocol):
    def configured(self, options: SmsOptions) -> bool: ...

    def sender(self, client: httpx.AsyncClient, options: SmsOptions) -> Sender: ...


class GatewayProvider:
    """An HTTP gateway, sent a JSON body in the shape its template gives."""

    def configured(self, options: SmsOptions) -> bool:
        return bool(options.sms_gateway_url)

    def sender(self, client: httpx.AsyncClient, options: SmsOptions) -> Sender:
        shape = SmsRequestShape(
            url=options.sms_gateway_url or "",
            template=options.sms_request_template,
            headers=options.sms_headers,
            success_field=options.sms_success_field,
            success_value=options.sms_success_value,
        )
        return SmsChannel(client, shape)


class AliyunProvider:
    """Alibaba Cloud SMS: an AccessKey pair, an approved signature name and template."""

    def configured(self, options: SmsOptions) -> bool:
        secret = options.sms_aliyun_access_key_secret.get_secret_value()
        account = (options.sms_aliyun_access_key_id, options.sms_aliyun_sign_name, options.sms_aliyun_template_code)
        return bool(secret) and all(account)

    def sender(self, client: httpx.AsyncClient, options: SmsOptions) -> Sender:
        account = AliyunAccount(
            endpoint=options.sms_aliyun_endpoint,
            access_key_id=options.sms_aliyun_access_key_id or "",
            access_key_secret=options.sms_aliyun_access_key_secret.get_secret_value(),
            sign_name=options.sms_aliyun_sign_name,
            template_code=options.sms_aliyun_template_code,
            template_param=options.sms_aliyun_template_param,
            region=options.sms_aliyun_region,
        )
        return AliyunSmsChannel(client, account)


PROVIDERS: dict[SmsProvider, SmsProviderPlugin] = {
    SmsProvider.GATEWAY: GatewayProvider(),
    SmsProvider.ALIYUN: AliyunProvider(),
}


def sms_configured(options: SmsOptions) -> bool:
    return PROVIDERS[options.sms_provider].configured(options)


def sms_sender(client: httpx.AsyncClient, options: SmsOptions) -> Sender | None:
    """The chosen provider's sender, or None when the settings do not configure it."""
    provider = PROVIDERS[options.sms_provider]
    return provider.sender(client, options) if provider.configured(options) else None
