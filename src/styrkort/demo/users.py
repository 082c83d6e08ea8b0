"""Demo users: invented role names, one per role, with a demo password.

`unit` is the code of the unit the role applies to (and everything below it);
`None` for the admin, who is a superuser with the admin role on every region root.
"""

DEMO_PASSWORD = "styrkort-demo"

DEMO_USERS: list[dict] = [
    {
        "username": "admin",
        "password": DEMO_PASSWORD,
        "description": "Administratör för alla regioner (superanvändare)",
        "role": "admin",
        "unit": None,
    },
    {
        "username": "planerare",
        "password": DEMO_PASSWORD,
        "description": "Planerare för Division Länssjukvård 1, Region Norrbotten",
        "role": "planner",
        "unit": "NLL-LS1",
    },
    {
        "username": "rapportor",
        "password": DEMO_PASSWORD,
        "description": "Rapportör för VO Internmedicin, Division Länssjukvård 1",
        "role": "reporter",
        "unit": "NLL-LS1-IM",
    },
    {
        "username": "lasare",
        "password": DEMO_PASSWORD,
        "description": "Läsare för hela Region Norrbotten",
        "role": "reader",
        "unit": "NLL",
    },
    {
        "username": "nll-admin",
        "password": DEMO_PASSWORD,
        "description": "Administratör för Region Norrbotten",
        "role": "admin",
        "unit": "NLL",
    },
    {
        "username": "revisor",
        "password": DEMO_PASSWORD,
        "description": "Revisor för Region Norrbotten",
        "role": "auditor",
        "unit": "NLL",
    },
]


def create_demo_users(stats=None, *, usernames=None, passwords: bool = True) -> list:
    """Create or update the demo users and their roles (idempotent). Returns the users.

    `usernames`: only these. Without `passwords` a new user gets no usable password and
    an existing one keeps theirs: the demo's reporting rounds name the demo users as the
    people who marked ready and approved, also when `styrkort demo --no-users` loads
    them (nobody can then log in as them)."""
    from django.contrib.auth import get_user_model

    from styrkort.accounts.models import RoleAssignment
    from styrkort.organisation.models import OrgUnit

    User = get_user_model()
    users = []
    for spec in DEMO_USERS:
        if usernames is not None and spec["username"] not in usernames:
            continue
        user = User.objects.filter(username=spec["username"]).first()
        superuser = spec["unit"] is None
        changed = user is None
        if user is None:
            user = User(username=spec["username"])
        if user.is_superuser != superuser or user.is_staff != superuser:
            user.is_superuser = user.is_staff = superuser
            changed = True
        if user.first_name != spec["description"][:150]:
            user.first_name = spec["description"][:150]
            changed = True
        if not passwords:
            if user.pk is None:
                user.set_unusable_password()
        elif not user.has_usable_password() or not user.check_password(spec["password"]):
            user.set_password(spec["password"])
            changed = True
        if changed:
            user.save()
        if superuser:
            units = OrgUnit.objects.get_root_nodes()
        else:
            units = OrgUnit.objects.filter(code=spec["unit"])
        for unit in units:
            RoleAssignment.objects.get_or_create(user=user, unit=unit, role=spec["role"])
        users.append(user)
    return users
