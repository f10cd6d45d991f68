"""Errors that feature apps raise and the portal turns into responses."""

from django.utils.translation import gettext as _
from pydantic_core import PydanticCustomError

# The error type of a schema validator's refusal: its message is the 400's text as it is.
PARAMETER_ERROR_TYPE = "parameter"
# Where ninja puts a parameter's name in an error's location: dropped, the name alone is what a caller sent.
SOURCES = {"query", "path", "body", "form", "header", "cookie"}


class ParameterError(Exception):
    """A request parameter that is well-typed but wrong (an unknown service code…): answered with a 400
    naming the parameter (the portal's API registers the handler)."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def invalid_parameter(message: str) -> PydanticCustomError:
    """What a typed schema's validator raises: pydantic reports it at the field, with this message."""
    return PydanticCustomError(PARAMETER_ERROR_TYPE, "{message}", {"message": str(message)})


def parameter_errors(errors) -> list[ParameterError]:
    """pydantic's (or ninja's) validation errors as ParameterErrors naming the parameter sent: a message
    from `invalid_parameter` as it is, any other wrapped in 「参数 … 无效：…」."""
    found = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in SOURCES]
        # A list parameter's item reports its index too (service.0): the caller sent `service`.
        name = ".".join(part for part in loc if not part.isdigit()) or "request"
        if error.get("type") == PARAMETER_ERROR_TYPE:
            message = error.get("msg", "")
        else:
            message = _("Parameter %(parameter)s is invalid: %(message)s") % {
                "parameter": name, "message": error.get("msg", "")}
        found.append(ParameterError(name, message))
    return found or [ParameterError("request", _("Parameter %(parameter)s is invalid: %(message)s") % {
        "parameter": "request", "message": ""})]
