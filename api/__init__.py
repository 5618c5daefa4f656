"""The JSON API under /api/v1/ (issue 19), and the personal access tokens that open it.

Built on django-ninja rather than Django REST framework: its schemas are type hints, which our
strict mypy checks like any other code; the OpenAPI description is generated from those same
hints, so it cannot drift from what the code does; and it ships Swagger UI's assets inside the
package, served from our own static files with no inline script, so /api/v1/docs loads nothing
from another host and passes our Content Security Policy. DRF would have needed three packages
(DRF, drf-spectacular and its sidecar) and serializers that mypy sees as untyped.

The API holds no rules of its own: every write goes through the pages' forms (api.payloads turns
JSON into their data, so a 400 carries the messages the forms show) and the apps' services (the
vehicle lock, the odometer raise, cache invalidation, the double-submission guard). It may import
every feature app; no app imports it (motovault/tests/test_layering.py).
"""
