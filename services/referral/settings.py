from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class ReferralSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REFERRAL_")

    http_port: int = 8002
    cors_origins: list[str] = ["http://127.0.0.1:8001", "http://localhost:8001"]
