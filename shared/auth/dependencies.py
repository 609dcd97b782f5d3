"""FastAPI dependencies: who is calling, and whether their role may do this.

They are `async` although they rarely wait: FastAPI runs a plain `def` dependency in a worker thread, a
hop there and back on every request."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth.authenticator import Authenticator
from shared.auth.jwks import IssuerUnavailable
from shared.auth.scopes import ScopeKeeper
from shared.auth.tokens import InvalidToken
from shared.domain.access import KnownScopes, Principal, Role, scope_fits
from shared.domain.problems import invalid
from shared.domain.rate_limits import RateLimit
from shared.events import utcnow

_bearer = HTTPBearer(auto_error=False)

UNAUTHENTICATED = HTTPException(status_code=401, detail="需要有效的访问令牌", headers={"WWW-Authenticate": "Bearer"})
ISSUER_UNAVAILABLE = HTTPException(status_code=503, detail="登录服务暂时无法访问", headers={"Retry-After": "30"})
# Failed authentications allowed from one client address per window before it is told to wait.
FAILURES_ALLOWED, FAILURE_WINDOW = 20, timedelta(minutes=1)


def authenticator(request: Request) -> Authenticator:
    """The service's one Authenticator, made from its settings on first use."""
    state = request.app.state
    if getattr(state, "authenticator", None) is None:
        state.authenticator = Authenticator(state.runtime.settings)
        state.failed_authentications = RateLimit(FAILURES_ALLOWED, FAILURE_WINDOW)
    return state.authenticator


async def authenticate(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    """The caller. A client whose tokens keep failing is told to wait (429), while a good token from the same
    address (an office behind one gateway) still gets through."""
    checker = authenticator(request)
    if credentials is None:
        raise UNAUTHENTICATED
    try:
        principal = await checker.principal(credentials.credentials)
    except InvalidToken:
        failures: RateLimit = request.app.state.failed_authentications
        client, now = request.client.host if request.client else "", utcnow()
        if failures.full(client, now):
            retry = str(failures.retry_after(client, now))
            raise HTTPException(
                status_code=429, detail="认证失败次数过多，请稍后再试", headers={"Retry-After": retry}
            ) from None
        failures.note(client, now)
        raise UNAUTHENTICATED from None
    except IssuerUnavailable:
        raise ISSUER_UNAVAILABLE from None
    request.state.principal = principal  # for the audit of a refusal further on
    return principal


OUT_OF_DIRECTORY = HTTPException(status_code=403, detail="访问范围与目录不符")


def require(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A caller of one of these roles (every role when none is named), whose scope fits the service's directory
    (shared.domain.access.scope_fits); a service without a directory lets no scoped caller in."""
    allowed = roles or tuple(Role)

    async def check(request: Request, principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if principal.role not in allowed:
            raise HTTPException(status_code=403, detail="当前角色无权执行此操作")
        scopes: ScopeKeeper | None = getattr(request.app.state, "scopes", None)
        fits = await scopes.fits(principal) if scopes else scope_fits(principal, KnownScopes())
        if not fits:
            raise OUT_OF_DIRECTORY
        return principal

    return check


AREA_PATTERN = r"^[0-9]{2,9}$"


async def known_area(
    request: Request, area: Annotated[str, Query(pattern=AREA_PATTERN, description="a division code")]
) -> str:
    """An area asked about: a province, city or county, or a station's township, that the directory has. Any
    other code would answer empty figures, as if the area had nothing to show."""
    if not await request.app.state.scopes.knows_area(area):
        raise invalid("area", "unknown_area", "没有这个区划代码")
    return area


KnownArea = Annotated[str, Depends(known_area)]


async def known_county(
    request: Request, county: Annotated[str, Path(pattern=r"^[0-9]{6}$", description="6-digit county code")]
) -> str:
    """A county asked about that the directory has; any other code would answer an empty list."""
    if not await request.app.state.scopes.knows_county(county):
        raise invalid("county", "unknown_county", "没有这个县（区）代码")
    return county


KnownCounty = Annotated[str, Depends(known_county)]
