"""Password rules and hashing: length and a common-password list, no composition rules."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    """The refused passwords, lower-case, read once per process."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """What is wrong with a new password, in words for its owner, or None."""
    if len(password) < MIN_LENGTH:
        return f"Your password needs at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Your password can have at most {MAX_LENGTH} characters."
    if password.strip().lower() in common_passwords():
        return (
            "That is one of the passwords people choose most often, so it is easy to guess. "
            "Please choose another: three or four words together are long and easy to remember."
        )
    return None


def hash_password(password: str) -> str:
    # Werkzeug's default is scrypt, a memory-hard key derivation function.
    return generate_password_hash(password)


def check_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@cache
def _dummy_hash() -> str:
    return hash_password("no account has this password")


def check_without_account(password: str) -> bool:
    """Spend the time a real check takes, so a reply's timing never says an email is unknown."""
    check_password_hash(_dummy_hash(), password)
    return False


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the stored hash: it changes whenever the password does."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[-16:]
