"""Background jobs of the reports (Django's tasks framework)."""

from django.tasks import task

from . import forecasting


@task
def forecast_scenario(scenario_id: int) -> None:
    forecasting.execute(scenario_id)
