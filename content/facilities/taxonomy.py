"""Seeding the facilities app's Service records from the one service table (content/base/taxonomy.py)."""

from content.base.taxonomy import SERVICES


def seed_services(Service, LifeStage):
    """Idempotent: creates missing services and leaves editors' changes to existing ones alone."""
    stages = {stage.code: stage for stage in LifeStage.objects.all()}
    for order, row in enumerate(SERVICES):
        service, created = Service.objects.get_or_create(
            code=row.code, defaults={"name": row.name, "aliases": "、".join(row.aliases), "sort_order": order}
        )
        if created:
            service.life_stages.set([stages[c] for c in row.life_stages if c in stages])
