from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "instroom.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from instroom import statemachine

        from . import tasks

        # Every app declares the kinds of task it creates in its task_kinds.py (see tasks.py);
        # a task closes when the state machine moves its object out of the states it asks for.
        autodiscover_modules("task_kinds")
        statemachine.after_transition(tasks.close_moved_on)
