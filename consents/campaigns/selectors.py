"""Reads of purpose campaigns for the staff pages."""

from django.db.models import QuerySet

from consents.campaigns.models import Campaign


def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.all()


def campaign(pk: int) -> Campaign | None:
    return Campaign.objects.filter(pk=pk).first()
