from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

DEVELOPMENT_CHILD_KEY_SECRET = "development-only-child-key-secret-change-me"


class ReferralSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REFERRAL_")

    http_port: int = 8002
    cors_origins: list[str] = ["http://127.0.0.1:8001", "http://localhost:8001"]
    # Where the browser finds notification (deadlines, overdue stages) for the workbench and dashboard pages.
    notification_url: str = "http://127.0.0.1:8003"
    # Keys the hash that tells whether two reports are about the same child.
    child_key_secret: SecretStr = SecretStr(DEVELOPMENT_CHILD_KEY_SECRET)
    repeat_window_days: int = 30
    repeats_that_raise_priority: int = 3

    def secret_defaults(self) -> dict[str, str]:
        return super().secret_defaults() | {"child_key_secret": DEVELOPMENT_CHILD_KEY_SECRET}
