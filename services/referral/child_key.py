"""Which reports are about the same child: a keyed hash of the ID number, or else of the name with the
birth date (or age) and the township. The key reveals nothing and is stored instead of the basis."""

import hashlib
import hmac

from shared.events import ReportedChild


def child_key(secret: bytes, child: ReportedChild, township_code: str | None) -> str | None:
    if child.id_number:
        basis = f"id:{child.id_number.upper()}"
    elif child.name and (child.birth_date or child.age is not None) and township_code:
        basis = f"name:{child.name.strip()}|{child.birth_date or child.age}|{township_code[:9]}"
    else:
        return None
    return hmac.new(secret, basis.encode(), hashlib.sha256).hexdigest()[:32]
