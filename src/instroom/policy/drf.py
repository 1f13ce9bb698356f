from typing import Any

from rest_framework.permissions import BasePermission

from . import rules


class PolicyPermission(BasePermission):
    """The API's side of the same URL rules the middleware applies to pages."""

    def has_permission(self, request: Any, view: Any) -> bool:
        match = request.resolver_match
        rule = rules.rule_for(match.view_name, match.namespaces) if match else None
        if rule is None or not rule.allows(request.user):
            return False
        # A browser session must have passed its second factor; a token was made by one that did.
        return not (request.auth is None and rules.second_factor_missing(request.user))
