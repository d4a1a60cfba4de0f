"""The one NinjaAPI: mounts each app's router under /api/v1/. OpenAPI at /api/openapi.json, docs at /api/docs."""

from ninja import NinjaAPI

from nabij.api.auth import api_auth
from nabij.core.errors import install_error_handlers

api = NinjaAPI(
    title="Nabij API",
    version="1",
    description="JSON API of Nabij. Authenticate with the browser session or `Authorization: Bearer <token>` "
    "(`python manage.py create_api_token USERNAME`). Area scope and audit apply as on the pages.",
    auth=api_auth,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)


def _mount_routers() -> None:
    # Imported here so each app's api module can import its own selectors/services without cycles.
    from nabij.areas.api import router as areas_router

    api.add_router("/v1/gebieden", areas_router)
    from nabij.contacts.api import router as contacts_router

    api.add_router("/v1", contacts_router)
    from nabij.assets.api import router as assets_router

    api.add_router("/v1/sociale-kaart", assets_router)
    from nabij.language.api import router as language_router

    api.add_router("/v1/taal", language_router)
    from nabij.participation.api import router as participation_router

    api.add_router("/v1", participation_router)
    from nabij.surveys.api import router as surveys_router

    api.add_router("/v1", surveys_router)
    from nabij.followup.api import router as followup_router

    api.add_router("/v1", followup_router)
    from nabij.themes.api import router as themes_router

    api.add_router("/v1", themes_router)
    from nabij.accounts.api import router as accounts_router

    api.add_router("/v1", accounts_router)


_mount_routers()
