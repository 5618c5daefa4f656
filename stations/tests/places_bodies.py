"""Google Places API (New) Text Search response bodies, shaped as Google documents them
(https://developers.google.com/maps/documentation/places/web-service/text-search): a top-level
`places` list (absent when nothing matched) of Place objects with only the fields our field mask
asks for. Used by the stations tests, and by anything (a browser suite, a local stub server)
that needs Google's answer without Google."""

BRANDS = ["Shell", "Chevron", "76", "Arco", "Valero", "Mobil", "Exxon", "BP", "Costco Gasoline"]
STREETS = ["Main St", "El Camino Real", "Oak Ave", "Broadway", "Market St", "1st St"]


def place(index: int = 0, **overrides) -> dict:
    """One realistic Place; `overrides` replace (or, set to None, remove) top-level fields."""
    street = STREETS[index % len(STREETS)]
    body = {
        "id": f"ChIJ{index:04d}aBcDeFgHiJkLmNoPqRsTuV",
        "displayName": {"text": f"{BRANDS[index % len(BRANDS)]} {street}", "languageCode": "en"},
        "formattedAddress": f"{100 + index} {street}, Mountain View, CA 94043, USA",
        "location": {"latitude": 37.3861 + index / 1000, "longitude": -122.0839 - index / 1000},
        "nationalPhoneNumber": f"(650) 555-{index:04d}",
        "websiteUri": f"https://www.example-fuel.com/stations/{index}",
    }
    for key, value in overrides.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def places_response(count: int, *, start: int = 0) -> dict:
    """A Text Search response body with `count` places (Google returns at most 20 a page);
    `{}` for none, as Google sends it."""
    if count == 0:
        return {}
    return {"places": [place(i) for i in range(start, start + count)]}


def error_response(code: int, status: str, message: str) -> dict:
    """Google's error document, e.g. (403, "PERMISSION_DENIED", "...")."""
    return {"error": {"code": code, "message": message, "status": status}}
