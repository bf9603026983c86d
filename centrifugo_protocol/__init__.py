"""Centrifugo's client protocol codes, typed and explained.

The four code families a Centrifugo server sends are :class:`ErrorCode` (errors in
replies to commands), :class:`UnsubscribeCode`, :class:`DisconnectCode` and
:class:`ApiErrorCode` (server HTTP/gRPC API). ``Family.lookup(n)`` accepts any wire
code and returns either a member or an ``Unknown...`` object classified by the
protocol's range rules. :mod:`centrifugo_protocol.classify` turns server events into
a client's next state; :mod:`centrifugo_protocol.wire` decodes protocol messages and
:mod:`centrifugo_protocol.proxy` builds a proxy backend's answers, and
:mod:`centrifugo_protocol.api` reads server API errors and builds API calls.
:mod:`centrifugo_protocol.events` types the codes a client SDK's events carry;
:class:`Code` is what every code, member or unknown, of every family has.
"""

from typing import TYPE_CHECKING

from ._codes import (
    DisconnectCode,
    ErrorCode,
    UnknownDisconnectCode,
    UnknownErrorCode,
    UnknownUnsubscribeCode,
    UnsubscribeCode,
)
from ._ranges import (
    APP_ERROR_CODES,
    APP_RECONNECT_DISCONNECT_CODES,
    APP_TERMINAL_DISCONNECT_CODES,
    CLIENT_SIDE_ERROR_CODES,
    MAX_CLOSE_REASON_BYTES,
    MAX_CODE,
    MAX_DISCONNECT_REASON_BYTES,
    MIN_RESUBSCRIBE_CODE,
    SERVER_ERROR_CODES,
    SERVER_RECONNECT_DISCONNECT_CODES,
    SERVER_TERMINAL_DISCONNECT_CODES,
    TRANSPORT_CLOSE_CODES,
    UNSUBSCRIBE_CODES,
)

if TYPE_CHECKING:
    from . import api, classify, events, proxy, wire
    from ._api_codes import ApiErrorCode, UnknownApiErrorCode
    from ._causes import CAUSES_MEASURED_ON, Cause, CauseKind, Sender, Untriggerable
    from ._client_codes import (
        ClientErrorCode,
        ConnectingCode,
        DisconnectedCode,
        SubscribingCode,
        UnknownClientErrorCode,
        UnknownConnectingCode,
        UnknownDisconnectedCode,
        UnknownSubscribingCode,
        UnknownUnsubscribedCode,
        UnsubscribedCode,
    )
    from .events import Code

__version__ = "0.2.0.dev0"

# In the order the API reference shows them (docs/api/index.md): the families a
# reader looks up first, then their unknown values, the modules, and the ranges.
__all__ = [  # noqa: RUF022
    "ErrorCode",
    "UnsubscribeCode",
    "DisconnectCode",
    "ApiErrorCode",
    "UnknownErrorCode",
    "UnknownUnsubscribeCode",
    "UnknownDisconnectCode",
    "UnknownApiErrorCode",
    "ConnectingCode",
    "DisconnectedCode",
    "SubscribingCode",
    "UnsubscribedCode",
    "ClientErrorCode",
    "UnknownConnectingCode",
    "UnknownDisconnectedCode",
    "UnknownSubscribingCode",
    "UnknownUnsubscribedCode",
    "UnknownClientErrorCode",
    "Code",
    "Cause",
    "CauseKind",
    "Sender",
    "Untriggerable",
    "CAUSES_MEASURED_ON",
    "classify",
    "events",
    "wire",
    "proxy",
    "api",
    "APP_ERROR_CODES",
    "APP_RECONNECT_DISCONNECT_CODES",
    "APP_TERMINAL_DISCONNECT_CODES",
    "CLIENT_SIDE_ERROR_CODES",
    "MAX_CLOSE_REASON_BYTES",
    "MAX_CODE",
    "MAX_DISCONNECT_REASON_BYTES",
    "MIN_RESUBSCRIBE_CODE",
    "SERVER_ERROR_CODES",
    "SERVER_RECONNECT_DISCONNECT_CODES",
    "SERVER_TERMINAL_DISCONNECT_CODES",
    "TRANSPORT_CLOSE_CODES",
    "UNSUBSCRIBE_CODES",
    "__version__",
]

# The client protocol's code families load with the package. The server API's codes,
# the client-side codes and the submodules load on first use (PEP 562), so a process
# pays only for what it uses: a client SDK never needs the server API's codes, and a
# backend never needs the client-side ones. Type checkers read the imports above
# instead of this hook.
_LAZY_NAMES: dict[str, str] = {
    "Code": "events",
    "ApiErrorCode": "_api_codes",
    "UnknownApiErrorCode": "_api_codes",
    "CAUSES_MEASURED_ON": "_causes",
    "Cause": "_causes",
    "CauseKind": "_causes",
    "Sender": "_causes",
    "Untriggerable": "_causes",
    "ClientErrorCode": "_client_codes",
    "ConnectingCode": "_client_codes",
    "DisconnectedCode": "_client_codes",
    "SubscribingCode": "_client_codes",
    "UnsubscribedCode": "_client_codes",
    "UnknownClientErrorCode": "_client_codes",
    "UnknownConnectingCode": "_client_codes",
    "UnknownDisconnectedCode": "_client_codes",
    "UnknownSubscribingCode": "_client_codes",
    "UnknownUnsubscribedCode": "_client_codes",
}
_SUBMODULES = frozenset(("api", "classify", "events", "proxy", "wire"))

if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        module = _LAZY_NAMES.get(name)
        if module is not None:
            import importlib

            value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
            globals()[name] = value  # later reads find it without this hook
            return value
        if name in _SUBMODULES:
            import importlib

            return importlib.import_module(f"{__name__}.{name}")
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(__all__))
