"""Fetching one of the owner's objects: the same shape for every model an owner has."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404


class OwnedQuerySet(models.QuerySet):
    """The base of the QuerySets of what owners have (vehicles, their records, favorites). Each
    defines `for_owner(user)`: what of this model the user's pages may show."""

    def owned_or_404(self, user: AbstractBaseUser, pk: object) -> models.Model:
        """The object with this primary key among `for_owner(user)`, keeping this queryset's
        select_related; Http404 for anything else: another owner's, a deleted one, or a key
        that is not one at all (a malformed UUID or number from a query string)."""
        try:
            pk = self.model._meta.pk.to_python(pk)
        except ValidationError:
            raise Http404(f"No {self.model._meta.verbose_name} matches the given query.") from None
        return get_object_or_404(self.for_owner(user), pk=pk)
