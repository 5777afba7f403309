"""Spellings of an address that reach one mailbox are one mailbox; others stay apart."""

from __future__ import annotations

import pytest

from feedback360.surveys.mailboxes import mailbox_of


@pytest.mark.parametrize(
    ("address", "mailbox"),
    [
        # Capitals never matter, in either part, and stray spaces go.
        ("Morag@Example.ORG", "morag@example.org"),
        ("  morag@example.org ", "morag@example.org"),
        # A +tag is dropped for every provider, however many plus signs follow.
        ("morag+a@example.org", "morag@example.org"),
        ("Morag+B@example.org", "morag@example.org"),
        ("morag+@example.org", "morag@example.org"),
        ("morag+a+b@example.org", "morag@example.org"),
        ("morag.campbell+x@care.council.gov.uk", "morag.campbell@care.council.gov.uk"),
        # Gmail ignores dots in the local part; Googlemail is the same provider.
        ("m.o.r.a.g@gmail.com", "morag@gmail.com"),
        ("Morag.Campbell+reviews@GMail.com", "moragcampbell@gmail.com"),
        ("morag.campbell@googlemail.com", "moragcampbell@gmail.com"),
        ("MORAG@GoogleMail.Com", "morag@gmail.com"),
        # Elsewhere dots are part of the name: two people may differ only by one.
        ("morag.campbell@example.org", "morag.campbell@example.org"),
        ("morag.campbell@outlook.com", "morag.campbell@outlook.com"),
        # A Google Workspace domain keeps its dots, and a lookalike of gmail.com is not Gmail.
        ("morag.campbell@mail.gmail.com.example", "morag.campbell@mail.gmail.com.example"),
        ("m.organ@notgmail.com", "m.organ@notgmail.com"),
        # The root's trailing dot names the same domain.
        ("m.orag@gmail.com.", "morag@gmail.com"),
        # A local part that is all tag has no mailbox to tag: it is kept whole.
        ("+a@example.org", "+a@example.org"),
        # Only the last @ separates the domain (a quoted local part may hold another).
        ('"a@b"+x@example.org', '"a@b"@example.org'),
        # Not an address at all: compared as typed, lower-cased.
        ("Not An Address", "not an address"),
    ],
)
def test_each_spelling_reaches_its_mailbox(address, mailbox):
    assert mailbox_of(address) == mailbox


@pytest.mark.parametrize(
    "spellings",
    [
        ("morag@example.org", "morag+a@example.org", "Morag+b@example.org", "MORAG+c@EXAMPLE.ORG"),
        ("morag@gmail.com", "m.orag@gmail.com", "Mo.Rag+x@googlemail.com", "morag@gmail.com."),
    ],
)
def test_the_sock_puppets_of_one_mailbox_are_one(spellings):
    assert len({mailbox_of(spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("morag@example.org", "morag@example.com"),
        ("morag.campbell@example.org", "moragcampbell@example.org"),
        ("morag@gmail.com", "morag@example.org"),
        ("morag@gmail.com", "morag1@gmail.com"),
        ("alex@care.council.gov.uk", "alex@council.gov.uk"),
    ],
)
def test_different_mailboxes_stay_apart(first, second):
    assert mailbox_of(first) != mailbox_of(second)


def test_the_result_is_already_canonical():
    for address in ("Mo.Rag+x@GoogleMail.com", "Alex+y@Example.org", "+a@example.org"):
        once = mailbox_of(address)
        assert mailbox_of(once) == once
