"""JSON in, form data out: the API validates with the pages' own forms, so a 400 carries the
messages the forms show, field by field. One set of rules."""

import datetime
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.utils import ErrorDict


class FormInvalid(Exception):
    """A form refused the payload (or the query): answered 400 with its errors."""

    def __init__(self, errors: ErrorDict | dict[str, list[str]]):
        super().__init__("invalid")
        self.errors = errors


def _as_typed(value: Any) -> Any:
    """A JSON value as a form field reads it: numbers as the text one would type ("40.5"),
    dates as ISO, nothing as an empty field; true and false as a checkbox reads them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def form_data(payload: Mapping[str, Any], form: forms.BaseForm | None = None) -> dict[str, Any]:
    """The data to bind a form with. For an update, `form` is the unbound form of the object as
    it is: fields the payload leaves out keep their values (a partial update, as PATCH)."""
    data = {}
    if form is not None:
        data = {name: _as_typed(form[name].value()) for name in form.fields}
    data.update({name: _as_typed(value) for name, value in payload.items()})
    return data


def errors_of(form: forms.BaseForm) -> dict[str, list[str]]:
    """The form's messages by field ("__all__" for the form's own), as the page shows them."""
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


# A field the schema knows that this form does not take for this object: a done service's due
# date, a shared station's name, a new vehicle's "in use".
NOT_TAKEN = "This field cannot be set here."


def validated[F: forms.BaseForm](form: F, *, strict: bool = True) -> F:
    """The form, valid; FormInvalid otherwise. Strict (a write), a field sent that the form
    does not take is an error too: the form would drop it without a word, and the client
    believe it changed."""
    valid = form.is_valid()
    errors = errors_of(form)
    if strict:
        for name in form.data:
            if name not in form.fields:
                errors.setdefault(name, []).append(NOT_TAKEN)
    if not valid or errors:
        raise FormInvalid(errors)
    return form
