"""`styrkort createadmin`: the first administrator of an installation, never with a known
password.

The password is asked for twice at the terminal, read from standard input with
`--password-stdin`, or, with neither, generated and printed once.
"""

import getpass
import secrets
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from styrkort.commands import BadInput, StyrkortCommand


class Command(StyrkortCommand):
    help = (
        "Skapar en administratör (superanvändare). Lösenordet frågas efter, läses från "
        "standard in (--password-stdin) eller skapas slumpmässigt och skrivs ut en gång."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="Användarnamn (standard: admin)")
        parser.add_argument("--email", default="", help="E-postadress")
        parser.add_argument("--name", default="", help="Namn (förnamn efternamn)")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Läs lösenordet från första raden på standard in.",
        )

    def handle(self, *args, username, email, name, password_stdin, **options):
        User = get_user_model()
        username = username.strip()
        if not username:
            raise BadInput("Användarnamnet får inte vara tomt.")
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise BadInput(f"Ogiltig e-postadress: {email}") from exc
        if User.objects.filter(username=username).exists():
            raise BadInput(f"Användaren '{username}' finns redan.")
        first, _, last = name.strip().partition(" ")
        user = User(
            username=username,
            email=email,
            first_name=first[:150],
            last_name=last[:150],
            is_staff=True,
            is_superuser=True,
        )
        generated = False
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        elif sys.stdin.isatty():
            password = getpass.getpass("Lösenord: ")
            if getpass.getpass("Lösenord igen: ") != password:
                raise BadInput("Lösenorden stämmer inte överens.")
        else:
            password, generated = secrets.token_urlsafe(18), True
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise BadInput("Lösenordet duger inte: " + " ".join(exc.messages)) from exc
        user.set_password(password)
        with transaction.atomic():
            user.save()
        self.stdout.write(f"Administratören '{username}' är skapad.")
        if generated:
            self.stdout.write(
                f"Lösenord (visas bara nu, byt det vid första inloggningen): {password}"
            )
