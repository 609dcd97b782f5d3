"""The reporter's identity sealed at rest (Fernet), opened only for one who may see it."""

import json

from cryptography.fernet import Fernet

from services.intake.domain.reporter_identity import ReporterIdentity


class IdentityVault:
    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def seal(self, identity: ReporterIdentity) -> bytes:
        return self._fernet.encrypt(identity.model_dump_json().encode())

    def open(self, sealed: bytes) -> ReporterIdentity:
        return ReporterIdentity.model_validate(json.loads(self._fernet.decrypt(sealed)))
