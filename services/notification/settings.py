from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class NotificationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATION_")

    http_port: int = 8003
    # Instances that only serve reads or consume may leave the timers to others.
    run_scheduler: bool = True
