"""Bearer tokens: signed JWTs carrying a role and a scope (a division code prefix)."""
