"""The two weight fields of a yearly quota are gone: its key is its rows of weights (0008 carried
them over). Apart from 0008 so PostgreSQL never alters a table with pending trigger events."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("regions", "0008_key_figures_sub_regions_agreed_homes")]

    operations = [
        migrations.RemoveConstraint(
            model_name="quotayear",
            name="quota_weights_in_range",
        ),
        migrations.RemoveField(
            model_name="quotayear",
            name="weight_households",
        ),
        migrations.RemoveField(
            model_name="quotayear",
            name="weight_social_stock",
        ),
    ]
