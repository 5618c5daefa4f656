"""Hypothesis strategies for what an outside service might answer: any JSON at all, with the
values that have broken parsers before mixed in."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Each has given a 500 once: too large for a column or for rounding, refused by PostgreSQL, or no
# character at all.
ODD_VALUES = [
    "",
    "\x00",
    "FO\x00RD",
    "\ud800",
    "99999999999999999999",
    "1e999999999",
    "-1e999999999",
    "NaN",
    "sNaN",
    "Infinity",
    "-0",
    " 2021 ",
    "2021.5",
    "9" * 5000,
    "x" * 300,
    10**30,
    -(10**30),
    float("nan"),
    float("inf"),
    1e308,
]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from(ODD_VALUES)
)

json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=8) | st.sampled_from(ODD_VALUES[:4]), children, max_size=4
        )
    ),
    max_leaves=20,
)

# Examples are not kept between runs, so nothing is written into the repository.
PARSE_SETTINGS = settings(max_examples=300, deadline=None, database=None)
# Each of these examples goes through a view and the database.
VIEW_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
