"""The public JSON API at /api/: each feature app contributes a router; bad parameters answer 400."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import ValidationError

from content.base.discovery import project_app_modules
from content.base.errors import ParameterError, parameter_errors

api = NinjaAPI(
    title=gettext_lazy("Birth defect prevention portal API"),
    version="1",
    description=gettext_lazy("Public interfaces: licensed maternal and child health facilities, site search "
                             "and more."),
    urls_namespace="api",
    docs_url="/docs/",
)


@api.exception_handler(ParameterError)
def parameter_error(request: HttpRequest, exc: ParameterError):
    return api.create_response(
        request, {"error": exc.message, "parameter": exc.parameter}, status=400
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    """Ninja answers 422 with pydantic's structure; the contract is a 400 naming the parameter, in the
    schemas' own Chinese words where they give them."""
    errors = parameter_errors(exc.errors)
    return api.create_response(
        request,
        {"error": errors[0].message, "parameter": errors[0].parameter,
         "errors": [{"parameter": e.parameter, "message": e.message} for e in errors]},
        status=400,
    )


# Each project app with an `api.py` exposing `router` is mounted at /api/.
for module in project_app_modules("api"):
    api.add_router("", module.router)
