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
from typing import TYPE_CHECKING, final

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
    def description(self) -> str:
        """What a server API client can make of the code."""
        return (
            "A server API error code this package does not know, perhaps from a newer server; "
            "in transport error mode it maps to HTTP 500 and gRPC INTERNAL."
        )
