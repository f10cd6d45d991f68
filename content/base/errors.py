"""Errors that feature apps raise and the portal turns into responses."""


class ParameterError(Exception):
    """A request parameter that is well-typed but wrong (an unknown service code…): answered with a 400
    naming the parameter (the portal's API registers the handler)."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message
