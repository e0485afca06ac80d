"""How a 受付番号 is made, for every kind of application the site takes (declarations, event applications)."""

import secrets

# Characters an applicant can read back over the phone without confusion: no 0/O, 1/I/L, U/V.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def generate_reference_number(prefix):
    """A short 受付番号 such as KS-7HQ4-M2XA (29^8 ≈ 5×10^11 values, so a clash is rare and retried)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{prefix}-{chars[:4]}-{chars[4:]}"
