"""What accounts tells its users (see tasks.py). Changes to one's sign-in ask nothing of the
owner: they are notices, sent by e-mail only, so that someone who took over the account cannot
tick them off unseen."""

from django.utils.translation import gettext_lazy as _

from .tasks import TaskKind, declare

UNASKED = _("Did you not ask for this? Tell your administrator at once.")

KINDS = declare(
    TaskKind(
        "account.password_set",
        _("An administrator set a new password for your account"),
        _("Account changes"),
        notice=True,
        body=UNASKED,
    ),
    TaskKind(
        "account.second_factor_removed",
        _("An administrator removed your two-step sign-in"),
        _("Account changes"),
        notice=True,
        body=_(
            "Set up your authenticator app again when you next sign in. Did you not ask "
            "for this? Tell your administrator at once."
        ),
    ),
    TaskKind(
        "account.authenticator_replaced",
        _("Your authenticator app was replaced"),
        _("Account changes"),
        notice=True,
        body=_(
            "Your two-step sign-in now uses a new authenticator app, and you have new "
            "recovery codes. Did you not do this? Tell your administrator at once."
        ),
    ),
)
