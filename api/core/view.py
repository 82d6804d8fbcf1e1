"""The GraphQL endpoint with its limits: size, operations, depth, aliases, cost, introspection."""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene.utils.str_converters import to_camel_case
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import (
    ExecutionResult,
    OperationType,
    execute,
    get_operation_ast,
    validate_schema,
)

from api.core.documents import checked_document
from api.core.guards import ArgumentGuardMiddleware
from api.core.limits import list_too_long_error, longest_list
from api.core.money import CODE as MONEY_CODE
from api.core.money import AmountError
from api.core.requests import RequestRefused, bad_request, checked_params
from api.core.rules import max_list_items, validation_rules
from services.validation import noticing

# " Did you mean 'x'?" and its variants: the schema's names, which introspection would give.
SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def _too_large(limit: int) -> JsonResponse:
    return JsonResponse(
        {
            "errors": [
                {
                    "message": _("Request body over %(limit)d bytes.") % {"limit": limit},
                    "extensions": {"code": "REQUEST_TOO_LARGE"},
                }
            ]
        },
        status=413,
    )


def request_error_code(message: str) -> str:
    """The code of an error found before anything ran (Apollo's names): a variable of the
    wrong type or out of range, a document that does not parse, or one the schema refuses."""
    if message.startswith("Variable '$"):
        return "BAD_USER_INPUT"
    if message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    return "GRAPHQL_VALIDATION_FAILED"


def _caused_by(error: Any, kind: type[Exception]) -> bool:
    """Whether `kind` is in the chain of GraphQL errors wrapping `error`."""
    for _depth in range(5):
        if isinstance(error, kind):
            return True
        error = getattr(error, "original_error", None)
        if error is None:
            return False
    return False


@method_decorator(csrf_exempt, name="dispatch")
class SamnavGraphQLView(GraphQLView):
    """Sessions must send the CSRF token (enforced below); bearer tokens need none."""

    def __init__(self, **kwargs):
        # as_view() builds a view per request, so settings changes apply to the next request.
        kwargs.setdefault("validation_rules", validation_rules())
        kwargs.setdefault("graphiql", settings.SAMNAV_GRAPHQL["GRAPHIQL"])
        kwargs.setdefault(
            "middleware", [*(graphene_settings.MIDDLEWARE or ()), ArgumentGuardMiddleware()]
        )
        super().__init__(**kwargs)

    def dispatch(self, request, *args, **kwargs):
        limit = settings.SAMNAV_GRAPHQL["MAX_QUERY_BYTES"]
        if request.method == "POST" and len(request.body) > limit:
            return _too_large(limit)
        # A GET carries its query in the URL: the same limit applies.
        if len(request.META.get("QUERY_STRING", "")) > limit:
            return _too_large(limit)
        if (
            request.method == "POST"
            and request.user.is_authenticated
            and not getattr(request, "auth_via_token", False)
        ):
            from django.middleware.csrf import CsrfViewMiddleware

            reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if reason is not None:
                return JsonResponse(
                    {
                        "errors": [
                            {
                                "message": _("CSRF check failed: send the csrftoken."),
                                "extensions": {"code": "CSRF_FAILED"},
                            }
                        ]
                    },
                    status=403,
                )
        return super().dispatch(request, *args, **kwargs)

    def parse_body(self, request):
        try:
            return super().parse_body(request)
        except RecursionError as exc:  # json.loads of a body nested thousands deep
            raise bad_request(_("The request body is nested too deeply."), "BODY_TOO_DEEP") from exc
        except UnicodeDecodeError as exc:  # an application/graphql body that is not UTF-8
            raise bad_request(_("The request body is not UTF-8 text."), "BAD_BODY") from exc

    def get_response(self, request, data, show_graphiql=False):
        """As graphene-django's; what the actions changed in the input (invisible characters
        removed: services/validation.py) is said in `extensions.notices`."""
        with noticing() as found:
            result, status_code = super().get_response(request, data, show_graphiql)
        if found and result:
            body = json.loads(result)
            body.setdefault("extensions", {})["notices"] = [
                {"field": to_camel_case(n.field), "message": n.message, "code": n.code}
                for n in dict.fromkeys(found)
            ]
            result = self.json_encode(request, body, pretty=show_graphiql)
        return result, status_code

    def get_graphql_params(self, request, data):
        if not isinstance(data, dict):
            raise bad_request(_("The request body must be a JSON object."), "BAD_BODY")
        try:
            query, variables, operation_name, id_ = super().get_graphql_params(request, data)
        except RecursionError as exc:
            raise bad_request(
                _("The variables are nested too deeply."), "VARIABLES_TOO_DEEP"
            ) from exc
        checked_params(query, variables, operation_name)
        return query, variables, operation_name, id_

    @staticmethod
    def format_error(error: Any) -> dict[str, Any]:
        """As graphene-django's; with introspection off, no error suggests the schema's names
        ("Did you mean ...?")."""
        if isinstance(error, RequestRefused):
            return {"message": error.message, "extensions": {"code": error.code}}
        formatted = GraphQLView.format_error(error)
        extensions = formatted.setdefault("extensions", {})
        if isinstance(error, HttpError):  # graphene-django's refusals of a request's shape
            missing = error.response.status_code == 400 and "query string" in str(error)
            extensions["code"] = "BAD_QUERY" if missing else "BAD_BODY"
        elif _caused_by(error, AmountError):
            extensions["code"] = MONEY_CODE
        elif "code" not in extensions and not formatted.get("path"):
            extensions["code"] = request_error_code(formatted.get("message", ""))
        if not extensions:
            del formatted["extensions"]
        if not settings.SAMNAV_GRAPHQL["INTROSPECTION"] and "message" in formatted:
            formatted["message"] = SUGGESTION.sub("", formatted["message"])
        return formatted

    def execute_graphql_request(self, request, data, query, variables, *args, **kwargs):
        # Lists sent as variables are not seen by the validation rules: measure them here,
        # before anything is parsed or run.
        limit = max_list_items()
        size = longest_list(variables) if variables else 0
        if size > limit:
            return ExecutionResult(data=None, errors=[list_too_long_error(size, limit)])
        if not query:
            return super().execute_graphql_request(request, data, query, variables, *args, **kwargs)
        return self._execute(request, query, variables, *args, **kwargs)

    def _execute(self, request, query, variables, operation_name=None, show_graphiql=False):
        """graphene-django's execute_graphql_request, with the parsed and validated document
        taken from api/core/documents.py instead of parsing and validating every request."""
        schema = self.schema.graphql_schema
        schema_errors = validate_schema(schema)
        if schema_errors:
            return ExecutionResult(data=None, errors=schema_errors)
        document, errors = checked_document(schema, query)
        if document is None:
            return ExecutionResult(errors=errors)
        operation_ast = get_operation_ast(document, operation_name)
        if (
            request.method.lower() == "get"
            and operation_ast is not None
            and operation_ast.operation != OperationType.QUERY
        ):
            if show_graphiql:
                return None
            raise HttpError(
                HttpResponseNotAllowed(
                    ["POST"],
                    f"Can only perform a {operation_ast.operation.value} operation from a "
                    "POST request.",
                )
            )
        if errors:
            return ExecutionResult(data=None, errors=errors)
        options = {
            "root_value": self.get_root_value(request),
            "context_value": self.get_context(request),
            "variable_values": variables,
            "operation_name": operation_name,
            "middleware": self.get_middleware(request),
        }
        if self.execution_context_class:
            options["execution_context_class"] = self.execution_context_class
        try:
            return execute(schema, document, **options)
        except Exception as exc:  # noqa: BLE001 - as graphene-django: reported, not raised
            return ExecutionResult(errors=[exc])
