from pydantic_settings import SettingsConfigDict

from shared.settings import ChildKeySettings


class ReferralSettings(ChildKeySettings):
    model_config = SettingsConfigDict(env_prefix="REFERRAL_")

    http_port: int = 8002
    cors_origins: list[str] = ["http://127.0.0.1:8001", "http://localhost:8001"]
    # Where the browser finds notification (deadlines, overdue stages) for the workbench and dashboard pages.
    notification_url: str = "http://127.0.0.1:8003"
    # Where the committee's view reads how many reports are stuck (the intake service).
    intake_url: str = "http://127.0.0.1:8001"
    repeat_window_days: int = 30
    repeats_that_raise_priority: int = 3
