"""Bearer tokens: signed JWTs carrying a role and a scope (a division code prefix). `tokens` makes and reads the
development tokens (HS256, one shared secret); `oidc` checks those of an OpenID Connect issuer (RS256, its
published keys, kept by `jwks`)."""
