from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.settings import ChildKeySettings

DEVELOPMENT_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1rZXktY2hhbmdlLW1lLTA="  # Fernet key, development only


class IntakeSettings(ChildKeySettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_")

    http_port: int = 8001
    # Encrypts the reporter's identity at rest (a Fernet key: 32 bytes, URL-safe base64).
    encryption_key: SecretStr = SecretStr(DEVELOPMENT_ENCRYPTION_KEY)
    # Where the operator page asks for divisions and routing previews (the referral service).
    referral_url: str = "http://127.0.0.1:8002"
    # The pages of referral (the committee's view) that may read counts from intake in the browser.
    cors_origins: list[str] = ["http://127.0.0.1:8002", "http://localhost:8002"]
    # A call is forwarded within days: a report whose received_at is older than this is refused.
    oldest_report_days: int = Field(30, ge=1)
    # An accepted report that no referral came of within this time is stuck (and the hotline supervisors told).
    no_referral_after_seconds: float = Field(120, gt=0)
    stuck_check_seconds: float = Field(5, gt=0)  # how often intake looks for such reports
    # A receipt may be looked up this many times a minute from one address, and as often for one receipt.
    receipt_lookups_per_minute: int = Field(10, ge=1)

    def secret_defaults(self) -> dict[str, str]:
        return super().secret_defaults() | {"encryption_key": DEVELOPMENT_ENCRYPTION_KEY}
