"""Counting: one node's counts over the interval, the sum over nodes, and what each code means.

Every name, flag, range bound and description comes from the package's own tables
(:mod:`centrifugo_protocol._codes`, :mod:`centrifugo_protocol._api_codes`,
:mod:`centrifugo_protocol._ranges`) and from :mod:`centrifugo_protocol.classify`;
this module adds wording, never facts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NamedTuple

from .. import classify
from .._api_codes import ApiErrorCode, UnknownApiErrorCode
from .._codes import (
    DisconnectCode,
    ErrorCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
)
from .._command import client_words, code_of, span, subscription_words
from .._ranges import (
    APP_ERROR_CODES,
    APP_RECONNECT_DISCONNECT_CODES,
    APP_TERMINAL_DISCONNECT_CODES,
    CLIENT_SIDE_ERROR_CODES,
    MAX_CODE,
    MIN_RESUBSCRIBE_CODE,
    SERVER_ERROR_CODES,
    SERVER_RECONNECT_DISCONNECT_CODES,
    SERVER_TERMINAL_DISCONNECT_CODES,
    TRANSPORT_CLOSE_CODES,
    UNSUBSCRIBE_CODES,
)
from ._families import FAMILIES, Family
from ._sources import Options, Series, read_page

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["Meaning", "Member", "NodeCounts", "Tally", "meaning_of", "method_outcome", "node_counts"]

#: What a row's code is in the package's tables: a member, or the family's Unknown value.
Member = (
    ErrorCode
    | UnknownErrorCode
    | UnsubscribeCode
    | UnknownUnsubscribeCode
    | DisconnectCode
    | UnknownDisconnectCode
    | ApiErrorCode
    | UnknownApiErrorCode
)
#: A code as the tally keys it: the number, or the label itself when it is no code.
CodeKey = int | str


# --- One node's counts over the interval ------------------------------------------------


class NodeCounts(NamedTuple):
    source: str
    since: str | None
    namespace: str
    restarted: bool
    counts: dict[Series, int]


def node_counts(source: str, since: str | None, namespaces: Sequence[str], options: Options) -> NodeCounts:
    """One node's counts: since it started, or between the page ``since`` and now."""
    page = read_page(source, namespaces, options)
    if since is None:
        return NodeCounts(source, None, page.namespace, False, page.series)
    old = read_page(since, (page.namespace,), options).series
    # A counter only goes down when its process starts again from zero: the node
    # restarted, and its new counts are everything since then.
    restarted = any(page.series.get(key, 0) < value for key, value in old.items())
    if restarted:
        return NodeCounts(source, since, page.namespace, True, page.series)
    counts = {key: value - old.get(key, 0) for key, value in page.series.items()}
    return NodeCounts(source, since, page.namespace, False, counts)


# --- What each code means, from the package -----------------------------------------------


def _band(code: int, bands: Sequence[tuple[range, str]], above: str) -> str:
    for codes, label in bands:
        if code in codes:
            return f"{label} ({span(codes)})"
    return f"{above} ({bands[-1][0].stop} and up)"


_ERROR_BANDS: Final = (
    (CLIENT_SIDE_ERROR_CODES, "client side"),
    (SERVER_ERROR_CODES, "server"),
    (APP_ERROR_CODES, "application"),
)
_UNSUBSCRIBE_BANDS: Final = (
    (range(UNSUBSCRIBE_CODES.start), "not an unsubscribe code"),
    (range(UNSUBSCRIBE_CODES.start, MIN_RESUBSCRIBE_CODE), "server, ends"),
    (range(MIN_RESUBSCRIBE_CODE, UNSUBSCRIBE_CODES.stop), "server, resubscribe"),
)
_DISCONNECT_BANDS: Final = (
    (TRANSPORT_CLOSE_CODES, "transport close"),
    (SERVER_RECONNECT_DISCONNECT_CODES, "server, reconnect"),
    (SERVER_TERMINAL_DISCONNECT_CODES, "server, terminal"),
    (APP_RECONNECT_DISCONNECT_CODES, "application, reconnect"),
    (APP_TERMINAL_DISCONNECT_CODES, "application, terminal"),
)


class Meaning(NamedTuple):
    name: str | None
    band: str | None
    kind: str
    client: str
    meaning: str
    member: Member | None


# The reply-error methods after which a client changes state, as the server's
# ``method`` label spells them; classify decides each. After any other method the
# SDK hands the error to the application and changes nothing.
_METHOD_OUTCOMES: Final[dict[str, Callable[[int, bool], str]]] = {
    "connect": lambda code, temporary: client_words(classify.on_connect_error(code, temporary=temporary)),
    "refresh": lambda code, temporary: client_words(classify.on_refresh_error(code, temporary=temporary)),
    "subscribe": lambda code, temporary: subscription_words(classify.on_subscribe_error(code, temporary=temporary)),
    "sub_refresh": lambda code, temporary: subscription_words(
        classify.on_subscription_refresh_error(code, temporary=temporary)
    ),
}
TO_THE_APP: Final = "error to the app"
PER_WIRE_FLAG: Final = "per wire flag"
#: What a server API caller does with an error: the metric cannot tell, so nothing is said.
_NO_CLIENT: Final = "-"


def method_outcome(method: str, code: int | None) -> str:
    """What the client does after a reply error with ``code`` to ``method``."""
    decide = _METHOD_OUTCOMES.get(method)
    if decide is None:
        return TO_THE_APP
    if code is None:
        return _NO_CLIENT  # no code, no rule
    found = ErrorCode.lookup(code)
    if isinstance(found, ErrorCode):
        # The server's own flag for the code; a proxy that reuses it may send another.
        return decide(code, found.temporary)
    # A code no table lists: the wire's temporary flag decides, unless both agree.
    if_not = decide(code, False)
    return if_not if if_not == decide(code, True) else PER_WIRE_FLAG


def _error_meaning(code: int) -> Meaning:
    found = ErrorCode.lookup(code)
    band = _band(code, _ERROR_BANDS, "outside the error ranges")
    # Without the wire's flag (the metrics do not carry it): only the code decides here.
    connect = classify.on_connect_error(code)
    if connect.refresh_token:
        client = "new token"
    elif isinstance(found, ErrorCode):
        client = "retries" if found.temporary else "gives up"
    elif connect.state is classify.ClientState.CONNECTING:
        client = "retries"  # client-side codes are retried whatever the flag says
    else:
        client = PER_WIRE_FLAG
    if isinstance(found, ErrorCode):
        return Meaning(found.name, band, "known", client, found.description, found)
    if code in CLIENT_SIDE_ERROR_CODES:
        kind = "client_side"
    elif code in APP_ERROR_CODES:
        kind = "application"
    else:
        kind = "unlisted"
    return Meaning(None, band, kind, client, found.description, found)


def _unsubscribe_meaning(code: int) -> Meaning:
    found = UnsubscribeCode.lookup(code)
    band = _band(code, _UNSUBSCRIBE_BANDS, "not an unsubscribe code")
    client = "resubscribes" if found.resubscribe else "ends the subscription"
    if isinstance(found, UnsubscribeCode):
        return Meaning(found.name, band, "known", client, found.description, found)
    return Meaning(None, band, "unlisted", client, found.description, found)


def _disconnect_kind(code: int) -> str:
    if code in APP_RECONNECT_DISCONNECT_CODES or code in APP_TERMINAL_DISCONNECT_CODES:
        return "application"
    return "transport" if code in TRANSPORT_CLOSE_CODES else "unlisted"


def _disconnect_meaning(code: int) -> Meaning:
    found = DisconnectCode.lookup(code)
    band = _band(code, _DISCONNECT_BANDS, "unassigned")
    client = "reconnects" if found.reconnect else "stops"
    if isinstance(found, DisconnectCode):
        return Meaning(found.name, band, "known", client, found.description, found)
    return Meaning(None, band, _disconnect_kind(code), client, found.description, found)


def _close_meaning(code: int) -> Meaning:
    meaning = _disconnect_meaning(code)
    if code not in TRANSPORT_CLOSE_CODES:
        # From 3000 up a close code is a disconnect code; classify.on_close agrees.
        return meaning
    # Below it the transport's own code: classify.on_close knows what SDKs make of it.
    transition = classify.on_close(code)
    return meaning._replace(
        client=client_words(transition),
        meaning=(
            f"A close code of the transport itself, not one of Centrifugo's codes; SDKs report "
            f"it with client code {transition.code} {transition.reason!r}."
        ),
    )


def _api_meaning(code: int) -> Meaning:
    found = ApiErrorCode.lookup(code)
    if isinstance(found, ApiErrorCode):
        status = f"HTTP {int(found.http_status)}"
        return Meaning(found.name, "server API", "known", status, found.description, found)
    # The server maps every code it has no status for to 500 in transport error mode.
    return Meaning(None, "server API", "unlisted", "HTTP 500", found.description, found)


#: The server API's error labels that are no code: the stage of the call that failed.
_API_STAGES: Final = {
    "read_body": (
        "The server could not read the API request's body, for example because the caller broke off the request midway."
    ),
    "unmarshal": (
        "The API request's body could not be decoded as the method's request (not valid JSON, or not "
        "the message the method expects); the call was refused before it ran."
    ),
    "marshal": (
        "The server could not encode its answer to the API call; the caller got no usable reply. "
        "This points at a bug in the server, not at the caller."
    ),
}

_MEANINGS: Final[dict[Family, Callable[[int], Meaning]]] = {
    Family.REPLY_ERRORS: _error_meaning,
    Family.UNSUBSCRIBES: _unsubscribe_meaning,
    Family.DISCONNECTS: _disconnect_meaning,
    Family.CLOSES: _close_meaning,
    Family.API_ERRORS: _api_meaning,
}


def meaning_of(family: Family, code: int | None, label: str) -> Meaning:
    """What a row of ``family`` with this code (or, when it is no code, label) means."""
    if code is not None:
        return _MEANINGS[family](code)
    if family is Family.API_ERRORS and label in _API_STAGES:
        status = "HTTP 400" if label == "unmarshal" else _NO_CLIENT  # as v6.9.1 answers a body it cannot decode
        return Meaning(label, "server API", "stage", status, _API_STAGES[label], None)
    return Meaning(
        None, None, "invalid", _NO_CLIENT, f"The code label is not a whole number from 0 to {MAX_CODE}.", None
    )


# --- The sum over nodes -----------------------------------------------------------------------


class Tally:
    """Counts per family and code over all nodes, and per method (and protocol) where labelled."""

    def __init__(self, nodes: Sequence[NodeCounts]) -> None:
        self.counts: dict[Family, dict[CodeKey, int]] = {family: {} for family in FAMILIES}
        self.labels: dict[tuple[Family, CodeKey], str] = {}
        self.methods: dict[tuple[Family, CodeKey], dict[tuple[str, str], int]] = {}
        for node in nodes:
            for (family, label, method, protocol, _signature), count in node.counts.items():
                self._add(family, label, method, protocol, count)

    def _add(self, family: Family, label: str, method: str, protocol: str, count: int) -> None:
        code = code_of(label)
        key: CodeKey = label if code is None else code
        found = self.counts[family]
        found[key] = found.get(key, 0) + count
        self.labels.setdefault((family, key), label)
        if family in (Family.REPLY_ERRORS, Family.API_ERRORS):
            by_method = self.methods.setdefault((family, key), {})
            by_method[protocol, method] = by_method.get((protocol, method), 0) + count
