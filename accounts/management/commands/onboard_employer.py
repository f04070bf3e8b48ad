from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import EmployerMember, Industry, User
from accounts.services import employer_create, invitation_create


class Command(BaseCommand):
    help = "Create an employer and email an invitation to its admin, acting as a staff member."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="actor", required=True, help="Email of the staff member doing this.")
        parser.add_argument("--legal-name", required=True)
        parser.add_argument("--corporate-number", required=True)
        parser.add_argument("--industry", required=True, choices=Industry.values)
        parser.add_argument("--address", required=True)
        parser.add_argument("--postal-code", default="")
        parser.add_argument("--contact-name", required=True)
        parser.add_argument("--contact-email", required=True)
        parser.add_argument("--contact-phone", default="")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--language", default="ja", choices=["en", "ja"])

    def handle(self, *args, **o):
        actor = User.objects.filter(email__iexact=o["actor"], role=User.Role.STAFF, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active staff member {o['actor']}.")
        try:
            with transaction.atomic():
                employer = employer_create(
                    actor=actor,
                    legal_name=o["legal_name"],
                    corporate_number=o["corporate_number"],
                    industry=o["industry"],
                    address=o["address"],
                    postal_code=o["postal_code"],
                    contact_name=o["contact_name"],
                    contact_email=o["contact_email"],
                    contact_phone=o["contact_phone"],
                )
                issued = invitation_create(
                    actor=actor,
                    employer=employer,
                    email=o["admin_email"],
                    member_role=EmployerMember.Role.ADMIN,
                    language=o["language"],
                )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items())
                if hasattr(exc, "error_dict")
                else "; ".join(exc.messages)
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Employer {employer.legal_name} created (id {employer.pk})."))
        self.stdout.write(f"Invitation emailed to {issued.invitation.email}; link: {issued.url}")
