import pytest

from motovault.navigation import same_site_path

# Each of these is read by some browser as another site, a script, or (the bare word) was looked
# up as a view name and failed after the write.
HOSTILE = [
    "https://evil.example/x",
    "http:evil.example",
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "oops",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%252F%252Fevil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%00/evil.example",
    "/\u200b/evil.example",
    "https:%2F%2Fevil.example",
    " //evil.example",
    "/ /evil.example",
    "http://testserver/fuel/",
    "",
    None,
]


@pytest.mark.parametrize("value", HOSTILE)
def test_it_refuses_anything_but_a_path_of_this_site(value):
    assert same_site_path(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "/",
        "/vehicles/4f1c2d3e-0000-4000-8000-000000000001/",
        "/stations/?q=shell&near=Main%20St",
        "/stations/?q=100%25",
        "/fuel/?page=2#rows",
    ],
)
def test_it_keeps_a_path_of_this_site_as_it_is(value):
    assert same_site_path(value) == value
