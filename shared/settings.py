"""Typed settings common to every service; each service adds its own env prefix and fields."""

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    database_url: str
    http_host: str = "127.0.0.1"
    http_port: int
    topic_partitions: int = 6
    consumer_group: str | None = None  # defaults to the service's name
    log_level: str = "INFO"
