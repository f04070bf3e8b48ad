# The previous signing secret of a webhook receiver, which still signs for a
# while after a rotation (matching.services.webhook_endpoint_rotate_secret).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0007_webhooks_and_application_updated_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='webhookendpoint',
            name='previous_secret',
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.AddField(
            model_name='webhookendpoint',
            name='previous_secret_until',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
