"""Which mailbox an email address reaches, so one person cannot be invited twice (SECURITY.md 24).

Mail providers deliver many spellings of an address to one mailbox. A worker who could invite
`morag+a@`, `Morag+b@` and `morag@` would answer as three colleagues and recover a real
colleague's scores by subtraction, so invitations are compared by mailbox, not by spelling.
Merging too much only refuses a spelling the worker can send without its tag; merging too
little lets one person count as two. So a +tag goes everywhere, but dots only where the provider
documents ignoring them: elsewhere two colleagues may differ by a dot (docs/decisions.md).
"""

from __future__ import annotations

# Domains that are one provider: mail to either reaches the same Google account.
DOMAIN_ALIASES: dict[str, str] = {"googlemail.com": "gmail.com"}
# Providers that document that dots in the local part are ignored. Google says so for
# consumer Gmail only: on a Google Workspace domain dots do matter, so they are not listed.
DOTS_IGNORED: frozenset[str] = frozenset({"gmail.com"})
# RFC 5233's subaddress separator; dropped for every provider (docs/decisions.md).
TAG_SEPARATOR = "+"


def mailbox_of(address: str) -> str:
    """The mailbox an address reaches: `Mo.Rag+x@GoogleMail.com` -> `morag@gmail.com`."""
    local, at, domain = address.strip().lower().rpartition("@")
    if not at:
        return address.strip().lower()  # not an address: compared as typed, lower-cased
    domain = canonical_domain(domain)
    return f"{canonical_local_part(local, domain)}@{domain}"


def canonical_domain(domain: str) -> str:
    """A lower-cased domain with its trailing root dot dropped and aliases merged."""
    domain = domain.removesuffix(".")
    return DOMAIN_ALIASES.get(domain, domain)


def canonical_local_part(local: str, domain: str) -> str:
    """The local part without its +tag, and without dots where the provider ignores them."""
    base = local.split(TAG_SEPARATOR, 1)[0]
    # "+tag@" alone names no mailbox to tag: keep it whole rather than merge it with "@".
    local = base or local
    if domain in DOTS_IGNORED:
        local = local.replace(".", "")
    return local
