"""Bundled World Manufacturer Identifier data for offline VIN decoding.

A small table, not a catalog: the countries that ISO 3780 assigns to the first two VIN
characters, and the WMIs (positions 1-3) of the makes most owners drive, named as owners know
them. Models come from the `vin` package's vPIC snapshot (vehicles/vin.py); anything neither
knows decodes to "unknown", and vPIC fills it in when it can be reached.
"""

# ISO 3780 allocates the second character in this order within each first-character region.
_SECOND_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ1234567890"

# (first character, first second character, last second character, country)
_COUNTRY_RANGES = (
    ("1", "A", "0", "United States"),
    ("4", "A", "0", "United States"),
    ("5", "A", "0", "United States"),
    ("2", "A", "0", "Canada"),
    ("3", "A", "W", "Mexico"),
    ("6", "A", "W", "Australia"),
    ("7", "A", "E", "New Zealand"),
    ("8", "A", "E", "Argentina"),
    ("9", "A", "E", "Brazil"),
    ("9", "3", "9", "Brazil"),
    ("A", "A", "H", "South Africa"),
    ("J", "A", "0", "Japan"),
    ("K", "L", "R", "South Korea"),
    ("L", "A", "0", "China"),
    ("M", "A", "E", "India"),
    ("M", "F", "K", "Indonesia"),
    ("M", "L", "R", "Thailand"),
    ("N", "L", "R", "Turkey"),
    ("P", "L", "R", "Malaysia"),
    ("S", "A", "M", "United Kingdom"),
    ("S", "N", "T", "Germany"),
    ("S", "U", "Z", "Poland"),
    ("T", "A", "H", "Switzerland"),
    ("T", "J", "P", "Czech Republic"),
    ("T", "R", "V", "Hungary"),
    ("T", "W", "1", "Portugal"),
    ("U", "5", "7", "Romania"),
    ("V", "A", "E", "Austria"),
    ("V", "F", "R", "France"),
    ("V", "S", "W", "Spain"),
    ("W", "A", "0", "Germany"),
    ("X", "L", "R", "Netherlands"),
    ("X", "3", "0", "Russia"),
    ("Y", "A", "E", "Belgium"),
    ("Y", "F", "K", "Finland"),
    ("Y", "S", "W", "Sweden"),
    ("Z", "A", "R", "Italy"),
)

# WMI -> (manufacturer, make). The make is None where one WMI builds several makes.
MANUFACTURERS = {
    "1C3": ("FCA US LLC", None),
    "1C4": ("FCA US LLC", None),
    "1C6": ("FCA US LLC", "Ram"),
    "1FA": ("Ford Motor Company", "Ford"),
    "1FM": ("Ford Motor Company", "Ford"),
    "1FT": ("Ford Motor Company", "Ford"),
    "1G1": ("General Motors LLC", "Chevrolet"),
    "1G4": ("General Motors LLC", "Buick"),
    "1G6": ("General Motors LLC", "Cadillac"),
    "1GC": ("General Motors LLC", "Chevrolet"),
    "1GN": ("General Motors LLC", "Chevrolet"),
    "1GT": ("General Motors LLC", "GMC"),
    "1GK": ("General Motors LLC", "GMC"),
    "1GY": ("General Motors LLC", "Cadillac"),
    "1HD": ("Harley-Davidson Motor Company", "Harley-Davidson"),
    "1HG": ("American Honda Motor Co., Inc.", "Honda"),
    "1J4": ("Chrysler Corporation", "Jeep"),
    "1LN": ("Ford Motor Company", "Lincoln"),
    "1N4": ("Nissan North America, Inc.", "Nissan"),
    "1N6": ("Nissan North America, Inc.", "Nissan"),
    "1VW": ("Volkswagen Group of America", "Volkswagen"),
    "2C4": ("FCA Canada Inc.", None),
    "2FA": ("Ford Motor Company of Canada", "Ford"),
    "2G1": ("General Motors of Canada", "Chevrolet"),
    "2HG": ("Honda of Canada Mfg.", "Honda"),
    "2HK": ("Honda of Canada Mfg.", "Honda"),
    "2T1": ("Toyota Motor Manufacturing Canada", "Toyota"),
    "2T3": ("Toyota Motor Manufacturing Canada", "Toyota"),
    "3FA": ("Ford Motor Company", "Ford"),
    "3G1": ("General Motors de Mexico", "Chevrolet"),
    "3GN": ("General Motors de Mexico", "Chevrolet"),
    "3HG": ("Honda de Mexico", "Honda"),
    "3MZ": ("Mazda de Mexico Vehicle Operation", "Mazda"),
    "3N1": ("Nissan Mexicana", "Nissan"),
    "3VV": ("Volkswagen de Mexico", "Volkswagen"),
    "3VW": ("Volkswagen de Mexico", "Volkswagen"),
    "4JG": ("Mercedes-Benz U.S. International", "Mercedes-Benz"),
    "4S3": ("Subaru of Indiana Automotive", "Subaru"),
    "4S4": ("Subaru of Indiana Automotive", "Subaru"),
    "4T1": ("Toyota Motor Manufacturing Kentucky", "Toyota"),
    "4T3": ("Toyota Motor Manufacturing Kentucky", "Toyota"),
    "4US": ("BMW Manufacturing Co.", "BMW"),
    "5FN": ("Honda Manufacturing of Alabama", "Honda"),
    "5J6": ("American Honda Motor Co., Inc.", "Honda"),
    "5N1": ("Nissan North America, Inc.", "Nissan"),
    "5NP": ("Hyundai Motor Manufacturing Alabama", "Hyundai"),
    "5TD": ("Toyota Motor Manufacturing Indiana", "Toyota"),
    "5TF": ("Toyota Motor Manufacturing Texas", "Toyota"),
    "5UX": ("BMW Manufacturing Co.", "BMW"),
    "5YJ": ("Tesla, Inc.", "Tesla"),
    "JA3": ("Mitsubishi Motors Corporation", "Mitsubishi"),
    "JF1": ("Subaru Corporation", "Subaru"),
    "JF2": ("Subaru Corporation", "Subaru"),
    "JH4": ("Honda Motor Co., Ltd.", "Acura"),
    "JHL": ("Honda Motor Co., Ltd.", "Honda"),
    "JHM": ("Honda Motor Co., Ltd.", "Honda"),
    "JM1": ("Mazda Motor Corporation", "Mazda"),
    "JN1": ("Nissan Motor Co., Ltd.", "Nissan"),
    "JN8": ("Nissan Motor Co., Ltd.", "Nissan"),
    "JS2": ("Suzuki Motor Corporation", "Suzuki"),
    "JTD": ("Toyota Motor Corporation", "Toyota"),
    "JTE": ("Toyota Motor Corporation", "Toyota"),
    "JTH": ("Toyota Motor Corporation", "Lexus"),
    "JTJ": ("Toyota Motor Corporation", "Lexus"),
    "JTM": ("Toyota Motor Corporation", "Toyota"),
    "JTN": ("Toyota Motor Corporation", "Toyota"),
    "KMH": ("Hyundai Motor Company", "Hyundai"),
    "KNA": ("Kia Corporation", "Kia"),
    "KND": ("Kia Corporation", "Kia"),
    "SAJ": ("Jaguar Land Rover Limited", "Jaguar"),
    "SAL": ("Jaguar Land Rover Limited", "Land Rover"),
    "SCA": ("Rolls-Royce Motor Cars Limited", "Rolls-Royce"),
    "SCB": ("Bentley Motors Limited", "Bentley"),
    "SCC": ("Lotus Cars Limited", "Lotus"),
    "SCF": ("Aston Martin Lagonda Limited", "Aston Martin"),
    "SHH": ("Honda of the UK Manufacturing", "Honda"),
    "TMB": ("Škoda Auto", "Škoda"),
    "TRU": ("Audi Hungaria", "Audi"),
    "VF1": ("Renault", "Renault"),
    "VF3": ("Stellantis (Peugeot)", "Peugeot"),
    "VF7": ("Stellantis (Citroën)", "Citroën"),
    "VSS": ("SEAT", "SEAT"),
    "W0L": ("Opel Automobile GmbH", "Opel"),
    "W1K": ("Mercedes-Benz AG", "Mercedes-Benz"),
    "WA1": ("Audi AG", "Audi"),
    "WAU": ("Audi AG", "Audi"),
    "WBA": ("BMW AG", "BMW"),
    "WBS": ("BMW M GmbH", "BMW"),
    "WBY": ("BMW AG", "BMW"),
    "WDB": ("Mercedes-Benz AG", "Mercedes-Benz"),
    "WDC": ("Mercedes-Benz AG", "Mercedes-Benz"),
    "WDD": ("Mercedes-Benz AG", "Mercedes-Benz"),
    "WF0": ("Ford-Werke GmbH", "Ford"),
    "WMW": ("BMW AG", "MINI"),
    "WP0": ("Dr. Ing. h.c. F. Porsche AG", "Porsche"),
    "WP1": ("Dr. Ing. h.c. F. Porsche AG", "Porsche"),
    "WVG": ("Volkswagen AG", "Volkswagen"),
    "WVW": ("Volkswagen AG", "Volkswagen"),
    "YS3": ("Saab Automobile AB", "Saab"),
    "YV1": ("Volvo Car Corporation", "Volvo"),
    "ZAR": ("Alfa Romeo", "Alfa Romeo"),
    "ZFA": ("Fiat", "Fiat"),
    "ZFF": ("Ferrari S.p.A.", "Ferrari"),
    "ZHW": ("Automobili Lamborghini S.p.A.", "Lamborghini"),
}


def country(vin: str) -> str | None:
    """The country ISO 3780 assigns to the VIN's first two characters, or None."""
    first, second = vin[0], vin[1]
    if second not in _SECOND_CHARS:
        return None
    position = _SECOND_CHARS.index(second)
    for region, low, high, name in _COUNTRY_RANGES:
        if region == first and (_SECOND_CHARS.index(low) <= position <= _SECOND_CHARS.index(high)):
            return name
    return None


def manufacturer_and_make(vin: str) -> tuple[str | None, str | None]:
    """The manufacturer and the make behind the VIN's WMI, each None when not in the table."""
    return MANUFACTURERS.get(vin[:3], (None, None))
