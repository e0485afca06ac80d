"""A TOTP code computed here from RFC 6238 (HMAC-SHA1, 30-second steps, 6 digits), as an authenticator
app computes it, so the tests do not take django-otp's word for what a right code is."""

import hashlib
import hmac
import struct
import time


def totp(key: bytes, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def code_for(user) -> str:
    """The current code of the user's one authenticator device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return totp(TOTPDevice.objects.get(user=user).bin_key)
