"""The project's own tables: the count of changes to each owner's data (motovault/changes.py)."""

from django.db import models


class DataStamp(models.Model):
    """How many changes an owner's data (scope: their user id), or the data every owner shares
    (scope 0), has had; the database's triggers keep it (motovault/changes.py)."""

    scope = models.BigIntegerField(primary_key=True)
    changes = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.changes} changes to scope {self.scope}"


class DataChange(models.Model):
    """One statement that changed a scope's data, on PostgreSQL, until compact_data_changes
    adds it to the scope's DataStamp."""

    id = models.BigAutoField(primary_key=True)
    scope = models.BigIntegerField()
    txid = models.BigIntegerField()
    statement_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "txid", "statement_at"],
                name="motovault_datachange_once_per_statement",
            )
        ]

    def __str__(self) -> str:
        return f"A statement of transaction {self.txid} changed scope {self.scope}"
