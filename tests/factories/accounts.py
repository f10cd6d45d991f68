import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from content.base.roles import ensure_roles


class UserFactory(factory.django.DjangoModelFactory):
    """A user with password "pw"; `roles=[CONTEST_REVIEWER, …]` puts them in the project's groups.
    Asking again for the same username returns the same user."""

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = factory.SelfAttribute("username")
    password = factory.django.Password("pw")

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        if create and extracted:
            ensure_roles()
            user.groups.add(*Group.objects.filter(name__in=extracted))


class SuperuserFactory(UserFactory):
    username = "admin"
    is_staff = True
    is_superuser = True
