from django.utils.translation import gettext_lazy as _

from instroom.audit.actions import declare

ACTIONS = declare(
    "accounts",
    {
        "membership.grant": _("Role given"),
        "membership.change": _("Role changed"),
        "membership.revoke": _("Role taken away"),
        "otp.setup": _("Two-step verification set up"),
        "otp.recovery_code_used": _("Recovery code used to sign in"),
        "otp.replace": _("Authenticator replaced"),
        "otp.remove": _("Authenticator removed by an administrator"),
        "user.password_set": _("Password set by an administrator"),
        "api_token.create": _("API token made"),
        "api_token.revoke": _("API token revoked"),
    },
)
