import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import StaffGroup
from accounts.services import staff_user_create


class Command(BaseCommand):
    help = "Create a staff member (asks for the password). They must set up MFA at first sign-in."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", required=True)
        parser.add_argument("--group", action="append", choices=StaffGroup.values, required=True, dest="groups")
        parser.add_argument("--superuser", action="store_true", help="Also give every admin permission.")
        parser.add_argument("--password-stdin", action="store_true", help="Read the password from standard input.")

    def handle(self, *args, **options):
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input.")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            user = staff_user_create(
                email=options["email"],
                full_name=options["name"],
                groups=options["groups"],
                password=password,
                superuser=options["superuser"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Staff member {user.email} created in {', '.join(options['groups'])}."))
