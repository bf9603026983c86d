"""Error codes of Centrifugo's server HTTP and gRPC API, and their unknown counterpart.

Backends and server API clients read these; client SDKs never meet them, so this
module is kept apart from the families a client needs and loads only when
:class:`ApiErrorCode` or :class:`UnknownApiErrorCode` is first used (or
:mod:`centrifugo_protocol.wire` decodes an API error's code). The family is built
from the same table rows, ``lookup`` and memo as the other families in
:mod:`centrifugo_protocol._codes`, so it behaves exactly like them.
"""

from __future__ import annotations

from enum import unique
from typing import TYPE_CHECKING, Final, final

# The shared machinery of every family's lookup() and unknown codes, reused so that
# this family behaves like the others (checks, error messages, memo bound, equality).
from ._codes import MessageCodeEnum, _Unknown, row, unknown_of  # pyright: ignore[reportPrivateUsage]

if TYPE_CHECKING:
    from http import HTTPStatus

    from ._causes import Cause

__all__ = ["ApiErrorCode", "UnknownApiErrorCode"]


@unique
class ApiErrorCode(MessageCodeEnum):
    """Error codes of the server HTTP and gRPC API, with their transport statuses.

    Some numbers mean something else here than in :class:`ErrorCode`: 104 is "not
    found" and 113 is "conflict" in the server API.
    """

    _http_status: int
    _grpc_status: str

    @property
    def http_status(self) -> HTTPStatus:
        """HTTP status the server uses for this code in transport error mode."""
        # Imported here, not at the top: http costs more to import than this module.
        from http import HTTPStatus

        return HTTPStatus(self._http_status)

    @property
    def grpc_status(self) -> str:
        """Canonical gRPC status name for this code in transport error mode."""
        return self._grpc_status

    @property
    def retryable(self) -> bool:
        """Whether sending the same API call again, later, can succeed.

        Only :attr:`INTERNAL` is: every other code says the call itself or the server's
        configuration is wrong, so an unchanged retry gets the same answer.
        :attr:`retry_reason` says why for each code.
        """
        return _RETRY[self._value_][0]

    @property
    def retry_reason(self) -> str:
        """Why :attr:`retryable` is what it is for this code, in a sentence."""
        return _RETRY[self._value_][1]

    if TYPE_CHECKING:  # given by @unknown_of below, as to every family

        @staticmethod
        def lookup(code: int) -> ApiErrorCode | UnknownApiErrorCode:
            """The member for ``code``, or an :class:`UnknownApiErrorCode` for any other code."""
            ...

    # fmt: off
    INTERNAL = row(
        100, message="internal server error", http_status=500, grpc_status="INTERNAL",
        description="The server failed while handling the API call; trying again later may work.",
    )
    UNKNOWN_CHANNEL = row(
        102, message="unknown channel", http_status=404, grpc_status="NOT_FOUND",
        description="The channel belongs to a namespace the server has not configured.",
    )
    NOT_FOUND = row(
        104, message="not found", http_status=404, grpc_status="NOT_FOUND",
        description="The API method, or what the call refers to, does not exist. (To clients, 104 means "
            "\"method not found\".)",
    )
    BAD_REQUEST = row(
        107, message="bad request", http_status=400, grpc_status="INVALID_ARGUMENT",
        description="The API call was malformed or had invalid parameters; sending it unchanged fails "
            "again.",
    )
    NOT_AVAILABLE = row(
        108, message="not available", http_status=400, grpc_status="INVALID_ARGUMENT",
        description="The feature asked for is not enabled, such as history in a namespace without it.",
    )
    UNRECOVERABLE_POSITION = row(
        112, message="unrecoverable position", http_status=416, grpc_status="OUT_OF_RANGE",
        description="The stream cannot serve the requested position (history trimmed or a different "
            "epoch).",
    )
    CONFLICT = row(
        113, message="conflict", http_status=409, grpc_status="ALREADY_EXISTS",
        description="The call conflicts with what the server already holds. (To clients, 113 means "
            "\"concurrent pagination\".)",
    )
    # fmt: on

    @property
    def causes(self) -> tuple[Cause, ...]:
        """The situations that send this code, most common first (see :class:`Cause`)."""
        from ._causes import causes_of

        return causes_of(self)


@final
@unknown_of(ApiErrorCode)
class UnknownApiErrorCode(_Unknown):
    """A server API error code that :class:`ApiErrorCode` does not list.

    The server maps every such code to HTTP 500 and gRPC ``INTERNAL``.
    """

    __slots__ = ()

    @property
    def http_status(self) -> HTTPStatus:
        """HTTP status for this code in transport error mode: always 500."""
        from http import HTTPStatus

        return HTTPStatus.INTERNAL_SERVER_ERROR

    @property
    def grpc_status(self) -> str:
        """gRPC status name for this code in transport error mode: always ``"INTERNAL"``."""
        return "INTERNAL"

    @property
    def retryable(self) -> bool:
        """Always ``False``: a code nobody listed gives no ground to expect that a retry helps."""
        return False

    @property
    def retry_reason(self) -> str:
        """Why an unknown code is not retried."""
        return _UNKNOWN_RETRY_REASON

    @property
    def description(self) -> str:
        """What a server API client can make of the code."""
        return (
            "A server API error code this package does not know, perhaps from a newer server; "
            "in transport error mode it maps to HTTP 500 and gRPC INTERNAL."
        )


# Whether an unchanged API call can succeed later, and why: one row a code, kept apart
# from the code table so that the retry rule reads as a rule. The test suite holds it
# against the reasons the server sends each code (see tests/test_api_retry.py).
# fmt: off
_RETRY: Final[dict[int, tuple[bool, str]]] = {
    100: (True,  "The server itself failed (a broker, engine or node problem); the same call can "
                 "succeed once it recovers, so retry with backoff and a bounded number of attempts."),
    102: (False, "The channel's namespace is missing from the server's configuration; every retry "
                 "gets 102 until the configuration or the channel name changes."),
    104: (False, "The method or the object the call names does not exist; retrying does not create it."),
    107: (False, "The call itself is malformed (an empty channel, bad base64, an invalid field); "
                 "fix the request instead of sending it again."),
    108: (False, "The feature is switched off in the server's configuration (history, presence, "
                 "an RPC handler); this is a setup error, not a passing fault."),
    112: (False, "The stream no longer holds the position asked for; asking again fails the same "
                 "way, so read the current state from scratch instead."),
    113: (False, "The call clashes with state the server holds; re-read that state and decide "
                 "again rather than repeating the call."),
}
# fmt: on
_UNKNOWN_RETRY_REASON: Final = (
    "The code is not one this package knows, so nothing says a retry can help; treat it as a "
    "failure and report it (the server maps it to HTTP 500)."
)
