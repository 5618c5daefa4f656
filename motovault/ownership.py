"""Fetching one of the owner's objects: the same shape for every model an owner has."""

from typing import Self, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

_Owned = TypeVar("_Owned", bound=models.Model)


class OwnedQuerySet(models.QuerySet[_Owned]):
    """The base of the QuerySets of what owners have (vehicles, their records, favorites)."""

    def for_owner(self, user: User) -> Self:
        """What of this model the user's pages may show: each subclass says."""
        raise NotImplementedError

    def owned_or_404(self, user: User, pk: object) -> _Owned:
        """The object with this primary key among `for_owner(user)`, keeping this queryset's
        select_related; Http404 for anything else: another owner's, a deleted one, or a key
        that is not one at all (a malformed UUID or number from a query string)."""
        try:
            pk = self.model._meta.pk.to_python(pk)
        except ValidationError:
            raise Http404(f"No {self.model._meta.verbose_name} matches the given query.") from None
        return get_object_or_404(self.for_owner(user), pk=pk)
