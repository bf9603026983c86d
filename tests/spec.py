"""The protocol's facts, typed out as plain data from the upstream sources.

Each table names where its facts come from: a repository, the version read and the
file. The versions are the ones the live tests build (tests/live/go.mod pins
Centrifugo v6.9.1 and the centrifuge library it requires):

* centrifuge: github.com/centrifugal/centrifuge v0.38.1-0.20260711082514-84d40cc4dbf6
* centrifugo: github.com/centrifugal/centrifugo/v6 v6.9.1
* protocol: github.com/centrifugal/protocol v0.19.2
* centrifuge-js: npm centrifuge 5.7.4 (tests/conformance/package-lock.json)

Tests compare the package against these tables, never against the package's own
tables, so a typo in either shows up as a failure. Nothing here imports the package.
"""

from __future__ import annotations

import json

# Client error codes [centrifuge errors.go]. code -> (Go name without "Error", message, temporary)
ERRORS: dict[int, tuple[str, str, bool]] = {
    100: ("INTERNAL", "internal server error", True),
    101: ("UNAUTHORIZED", "unauthorized", False),
    102: ("UNKNOWN_CHANNEL", "unknown channel", False),
    103: ("PERMISSION_DENIED", "permission denied", False),
    104: ("METHOD_NOT_FOUND", "method not found", False),
    105: ("ALREADY_SUBSCRIBED", "already subscribed", False),
    106: ("LIMIT_EXCEEDED", "limit exceeded", False),
    107: ("BAD_REQUEST", "bad request", False),
    108: ("NOT_AVAILABLE", "not available", False),
    109: ("TOKEN_EXPIRED", "token expired", False),
    110: ("EXPIRED", "expired", False),
    111: ("TOO_MANY_REQUESTS", "too many requests", True),
    112: ("UNRECOVERABLE_POSITION", "unrecoverable position", False),
    113: ("CONCURRENT_PAGINATION", "concurrent pagination", True),
}

# Unsubscribe codes [centrifuge unsubscribe.go; client.go for 2502's only sender]. code -> (name, reason, resubscribe); "" where the
# server library defines no reason text (2502).
UNSUBSCRIBES: dict[int, tuple[str, str, bool]] = {
    2000: ("SERVER", "server unsubscribe", False),
    2500: ("INSUFFICIENT", "insufficient state", True),
    2501: ("EXPIRED", "subscription expired", True),
    2502: ("STATE_INVALIDATED", "", True),
}
#: What the only sender of 2502 says today; not a reason the server defines for the code.
STATE_INVALIDATED_SENDER_REASON = "server tags filter changed"
#: Words that must never be presented as 2502's wire text (they are 3014's).
NOT_2502_REASON = "state invalidated"

# Disconnect codes [centrifuge disconnect.go]. code -> (name, reason, reconnect)
DISCONNECTS: dict[int, tuple[str, str, bool]] = {
    3000: ("CONNECTION_CLOSED", "connection closed", True),
    3001: ("SHUTDOWN", "shutdown", True),
    3004: ("SERVER_ERROR", "internal server error", True),
    3005: ("EXPIRED", "connection expired", True),
    3006: ("SUB_EXPIRED", "subscription expired", True),
    3008: ("SLOW", "slow", True),
    3009: ("WRITE_ERROR", "write error", True),
    3010: ("INSUFFICIENT_STATE", "insufficient state", True),
    3011: ("FORCE_RECONNECT", "force reconnect", True),
    3012: ("NO_PONG", "no pong", True),
    3013: ("TOO_MANY_REQUESTS", "too many requests", True),
    3014: ("STATE_INVALIDATED", "state invalidated", True),
    3500: ("INVALID_TOKEN", "invalid token", False),
    3501: ("BAD_REQUEST", "bad request", False),
    3502: ("STALE", "stale", False),
    3503: ("FORCE_NO_RECONNECT", "force disconnect", False),
    3504: ("CONNECTION_LIMIT", "connection limit", False),
    3505: ("CHANNEL_LIMIT", "channel limit", False),
    3506: ("INAPPROPRIATE_PROTOCOL", "inappropriate protocol", False),
    3507: ("PERMISSION_DENIED", "permission denied", False),
    3508: ("NOT_AVAILABLE", "not available", False),
    3509: ("TOO_MANY_ERRORS", "too many errors", False),
}

# Server API error codes, with the statuses of the transport error mode [centrifugo
# internal/apiproto/errors.go]. code -> (name, message, HTTP status, gRPC status)
API_ERRORS: dict[int, tuple[str, str, int, str]] = {
    100: ("INTERNAL", "internal server error", 500, "INTERNAL"),
    102: ("UNKNOWN_CHANNEL", "unknown channel", 404, "NOT_FOUND"),
    104: ("NOT_FOUND", "not found", 404, "NOT_FOUND"),
    107: ("BAD_REQUEST", "bad request", 400, "INVALID_ARGUMENT"),
    108: ("NOT_AVAILABLE", "not available", 400, "INVALID_ARGUMENT"),
    112: ("UNRECOVERABLE_POSITION", "unrecoverable position", 416, "OUT_OF_RANGE"),
    113: ("CONFLICT", "conflict", 409, "ALREADY_EXISTS"),
}
API_UNKNOWN_HTTP = 500
API_UNKNOWN_GRPC = "INTERNAL"

# Client-side codes, the same in every official SDK [centrifuge-js src/codes.ts]. family -> {code: (name, reason)}
CLIENT_STATE_CODES: dict[str, dict[int, tuple[str, str]]] = {
    "ConnectingCode": {
        0: ("CONNECT_CALLED", "connect called"),
        1: ("TRANSPORT_CLOSED", "transport closed"),
        2: ("NO_PING", "no ping"),
        3: ("SUBSCRIBE_TIMEOUT", "subscribe timeout"),
        4: ("UNSUBSCRIBE_ERROR", "unsubscribe error"),
    },
    "DisconnectedCode": {
        0: ("DISCONNECT_CALLED", "disconnect called"),
        1: ("UNAUTHORIZED", "unauthorized"),
        2: ("BAD_PROTOCOL", "bad protocol"),
        # The one exception to "the reason is the name": SDKs report a 1009 close with
        # the longer text, and the member is that single source.
        3: ("MESSAGE_SIZE_LIMIT", "message size limit exceeded"),
    },
    "SubscribingCode": {
        0: ("SUBSCRIBE_CALLED", "subscribe called"),
        1: ("TRANSPORT_CLOSED", "transport closed"),
    },
    "UnsubscribedCode": {
        0: ("UNSUBSCRIBE_CALLED", "unsubscribe called"),
        1: ("UNAUTHORIZED", "unauthorized"),
        2: ("CLIENT_CLOSED", "client closed"),
    },
}
MESSAGE_SIZE_LIMIT_REASON = "message size limit exceeded"

CLIENT_ERROR_CODES: dict[int, str] = {
    1: "TIMEOUT",
    2: "TRANSPORT_CLOSED",
    3: "CLIENT_DISCONNECTED",
    4: "CLIENT_CLOSED",
    5: "CLIENT_CONNECT_TOKEN",
    6: "CLIENT_REFRESH_TOKEN",
    7: "SUBSCRIPTION_UNSUBSCRIBED",
    8: "SUBSCRIPTION_SUBSCRIBE_TOKEN",
    9: "SUBSCRIPTION_REFRESH_TOKEN",
    10: "TRANSPORT_WRITE_ERROR",
    11: "CONNECTION_CLOSED",
    12: "BAD_CONFIGURATION",
}

UINT32_MAX = 4294967295


# The range rules of unsubscribe and disconnect codes [centrifuge unsubscribe.go and
# disconnect.go; centrifuge-js src/centrifuge.ts], written out independently of the package.
def reconnects(code: int) -> bool:
    return code < 3500 or code >= 5000 or 4000 <= code < 4500


def resubscribes(code: int) -> bool:
    return code >= 2500


# Proxy limits [centrifuge internal/websocket/conn.go; centrifugo proxyproto/convert.go].
MAX_DISCONNECT_REASON_CHARS = 32
MAX_CLOSE_REASON_BYTES = 125 - 2


# How a client reacts, after the reference SDK [centrifuge-js src/centrifuge.ts and
# src/subscription.ts], written out independently of the package. Each
# returns (state, code, reason, refresh_token, invalidate_state) with the state as the
# SDKs name it. Omitted wire fields are passed as their zero values ("" and False).
Outcome = tuple[str, int, str, bool, bool]


def disconnect(code: int, reason: str = "") -> Outcome:
    invalidated = code == 3014
    return ("connecting" if reconnects(code) else "disconnected", code, reason, invalidated, invalidated)


def v1_advice(reason: str) -> tuple[bool, str] | None:
    """``(reconnect, reason)`` if ``reason`` is protocol v1 JSON advice, else None."""
    try:
        data = json.loads(reason)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    reconnect = data.get("reconnect")  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    if not isinstance(reconnect, bool):
        return None
    text = data.get("reason")  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return reconnect, text if isinstance(text, str) else ""


def close(code: int, reason: str = "") -> Outcome:
    advice = v1_advice(reason)
    reconnect, text = (reconnects(code), reason) if advice is None else advice
    if code < 3000:
        if code == 1009:
            return ("disconnected", 3, MESSAGE_SIZE_LIMIT_REASON, False, False)
        return ("connecting" if reconnect else "disconnected", 1, "transport closed", False, False)
    invalidated = code == 3014
    return ("connecting" if reconnect else "disconnected", code, text, invalidated, invalidated)


def connect_error(code: int, message: str = "", temporary: bool = False) -> Outcome:
    if code == 109:
        return ("connecting", code, message, True, False)
    return ("connecting" if code < 100 or temporary else "disconnected", code, message, False, False)


def refresh_error(code: int, message: str = "", temporary: bool = False) -> Outcome:
    return ("connected" if code < 100 or temporary else "disconnected", code, message, False, False)


def unsubscribe(code: int, reason: str = "") -> Outcome:
    invalidated = code == 2502
    return ("subscribing" if resubscribes(code) else "unsubscribed", code, reason, invalidated, invalidated)


def subscribe_error(code: int, message: str = "", temporary: bool = False, can_rebuild_state: bool = False) -> Outcome:
    if code == 112 and can_rebuild_state:
        return ("subscribing", code, message, False, True)
    if code == 109:
        return ("subscribing", code, message, True, False)
    return ("subscribing" if code < 100 or temporary else "unsubscribed", code, message, False, False)


def subscription_refresh_error(code: int, message: str = "", temporary: bool = False) -> Outcome:
    return ("subscribed" if code < 100 or temporary else "unsubscribed", code, message, False, False)
