"""What every service serves to the browser besides its own pages: the scripts the pages share (`/assets`:
signing in), the settings they need to sign in, `/docs`, and `/asyncapi.json` (the events between the services).

`/docs` is Swagger UI served by the service itself, for networks that reach no CDN. Its files are the
`swagger-ui-dist` npm package, fetched with a pinned version and SHA-256 into the cache by
deploy/local/fetch-swagger-ui.sh (`./run` and `./test` run it; the image copies them in); it is started by a
script file rather than FastAPI's inline one, so that the pages' content security policy holds here too."""

from html import escape
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from shared.settings import ServiceSettings

SWAGGER_UI = Path(__file__).resolve().parents[1] / ".cache" / "swagger-ui" / "dist"
SHARED_STATIC = Path(__file__).resolve().parent / "static"
ASYNCAPI_DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "asyncapi.json"  # made by shared/asyncapi.py

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/assets/docs.js"></script>
</body>
</html>
"""


def sign_in_settings(settings: ServiceSettings) -> dict[str, str | None]:
    """For shared/static/signin.js: the provider the pages sign in with (none: development tokens), their
    client, and the claims that carry the role and the scope."""
    return {
        "issuer": settings.oidc_issuer,
        "client_id": settings.oidc_pages_client,
        "roles_claim": settings.oidc_roles_claim,
        "scope_claim": settings.oidc_scope_claim,
    }


def install_assets_and_docs(app: FastAPI) -> None:
    """Serves /docs and its assets locally, and the scripts every service's pages share under /assets."""
    app.mount("/assets", StaticFiles(directory=SHARED_STATIC), name="shared-assets")
    app.mount("/docs/assets", StaticFiles(directory=SWAGGER_UI, check_dir=False), name="docs-assets")

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_document() -> Response:
        return Response(ASYNCAPI_DOCUMENT.read_bytes(), media_type="application/json")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        if not (SWAGGER_UI / "swagger-ui-bundle.js").is_file():
            return PlainTextResponse("Swagger UI is not installed: run deploy/local/fetch-swagger-ui.sh", 503)
        return HTMLResponse(PAGE.format(title=escape(app.title), openapi_url=escape(app.openapi_url or "")))
