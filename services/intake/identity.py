"""The reporter's identity: encrypted at rest, shown only to those allowed to see it."""

import json

from cryptography.fernet import Fernet
from pydantic import BaseModel


class ReporterIdentity(BaseModel):
    name: str | None = None
    phone: str | None = None
    relation: str | None = None
    institution_name: str | None = None

    def is_empty(self) -> bool:
        return not any(self.model_dump().values())


class IdentityVault:
    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def seal(self, identity: ReporterIdentity) -> bytes:
        return self._fernet.encrypt(identity.model_dump_json().encode())

    def open(self, sealed: bytes) -> ReporterIdentity:
        return ReporterIdentity.model_validate(json.loads(self._fernet.decrypt(sealed)))
