"""FastAPI dependencies: who is calling, and whether their role may do this.

They are `async` although they never wait: FastAPI runs a plain `def` dependency in a worker thread, a
hop there and back on every request."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth.tokens import InvalidToken, read_token
from shared.domain.access import Principal, Role

_bearer = HTTPBearer(auto_error=False)

UNAUTHENTICATED = HTTPException(status_code=401, detail="需要有效的访问令牌", headers={"WWW-Authenticate": "Bearer"})


async def authenticate(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None:
        raise UNAUTHENTICATED
    secret = request.app.state.runtime.settings.jwt_secret.get_secret_value()
    try:
        return read_token(secret, credentials.credentials)
    except InvalidToken:
        raise UNAUTHENTICATED from None


def require(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    async def check(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if principal.role not in roles:
            raise HTTPException(status_code=403, detail="当前角色无权执行此操作")
        return principal

    return check
