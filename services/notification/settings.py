from typing import Any

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from services.notification.domain.delivery_channels import SmsProvider
from shared.settings import ServiceSettings

DEVELOPMENT_WEBHOOK_SECRET = "development-only-webhook-secret-change-me"


class NotificationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATION_")

    http_port: int = 8003
    # The pages served by referral read deadlines from the browser.
    cors_origins: list[str] = ["http://127.0.0.1:8002", "http://localhost:8002"]
    # Instances that only serve reads or consume may leave firing the timers (the scheduler) and delivering
    # the notifications (the dispatcher) to others.
    run_scheduler: bool = True
    run_dispatcher: bool = True
    scheduler_batch: int = 200

    # Webhooks are always on; e-mail when an SMTP server is given; SMS when its provider is configured.
    webhook_secret: SecretStr = SecretStr(DEVELOPMENT_WEBHOOK_SECRET)
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "noreply@child-protection.invalid"
    smtp_start_tls: bool = False
    # Named in EHLO and in every Message-ID, never looked up; connections are kept open between messages.
    smtp_local_hostname: str = "cp-notification"
    smtp_connections: int = 4
    sms_gateway_url: str | None = None
    sms_request_template: dict[str, Any] = {"phone": "{phone}", "text": "{text}", "id": "{notification_id}"}
    sms_headers: dict[str, str] = {}
    sms_success_field: str | None = None
    sms_success_value: str | None = None
    sms_provider: SmsProvider = SmsProvider.GATEWAY  # gateway: the settings above; aliyun: those below
    sms_aliyun_endpoint: str = "https://dysmsapi.aliyuncs.com/"
    sms_aliyun_region: str = "cn-hangzhou"
    sms_aliyun_access_key_id: str | None = None
    sms_aliyun_access_key_secret: SecretStr = SecretStr("")
    sms_aliyun_sign_name: str = ""
    sms_aliyun_template_code: str = ""
    sms_aliyun_template_param: dict[str, str] = {"content": "{text}"}  # the template's variables

    delivery_max_attempts: int = 6  # then the notification is dead and the level above is told
    delivery_retry_seconds: float = 30.0  # doubles after each failure
    delivery_retry_max_seconds: float = 3600.0
    delivery_timeout_seconds: float = 10.0
    delivery_batch: int = 20

    def secret_defaults(self) -> dict[str, str]:
        return super().secret_defaults() | {"webhook_secret": DEVELOPMENT_WEBHOOK_SECRET}
