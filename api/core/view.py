"""The GraphQL endpoint with its limits: size, operations, depth, aliases, cost, introspection."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene.validation import DisableIntrospection, depth_limit_validator
from graphene_django.views import GraphQLView

from api.core.limits import alias_limit_rule, cost_limit_rule, operation_limit_rule


def validation_rules() -> tuple:
    limits = settings.SAMNAV_GRAPHQL
    rules = [
        operation_limit_rule(limits["MAX_OPERATIONS"]),
        depth_limit_validator(max_depth=limits["MAX_DEPTH"]),
        alias_limit_rule(limits["MAX_ALIASES"]),
        cost_limit_rule(limits["MAX_COST"], settings.GRAPHENE["RELAY_CONNECTION_MAX_LIMIT"]),
    ]
    if not limits["INTROSPECTION"]:
        rules.append(DisableIntrospection)
    return tuple(rules)


@method_decorator(csrf_exempt, name="dispatch")
class SamnavGraphQLView(GraphQLView):
    """Sessions must send the CSRF token (enforced below); bearer tokens need none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validation_rules", validation_rules())
        kwargs.setdefault("graphiql", settings.SAMNAV_GRAPHQL["GRAPHIQL"])
        super().__init__(**kwargs)

    def dispatch(self, request, *args, **kwargs):
        limit = settings.SAMNAV_GRAPHQL["MAX_QUERY_BYTES"]
        if request.method == "POST" and len(request.body) > limit:
            return JsonResponse(
                {
                    "errors": [
                        {
                            "message": f"Request body over {limit} bytes.",
                            "extensions": {"code": "REQUEST_TOO_LARGE"},
                        }
                    ]
                },
                status=413,
            )
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
                                "message": "CSRF check failed: send the csrftoken.",
                                "extensions": {"code": "CSRF_FAILED"},
                            }
                        ]
                    },
                    status=403,
                )
        return super().dispatch(request, *args, **kwargs)
