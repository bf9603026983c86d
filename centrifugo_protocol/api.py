"""Helpers for a backend that calls Centrifugo's server API.

Three things a backend needs around the server API (``POST /api/<method>``, or gRPC):

* the typed code of an error the API answered, from whatever the API client raised
  or returned: :func:`error_code` (and :func:`api_error` for the whole error) reads
  any object with ``code`` and ``message`` attributes, which covers ``cent``'s
  ``CentApiResponseError`` and the per-item errors of its batch and broadcast
  replies (see :func:`broadcast_errors` and :func:`batch_errors`);
* what an HTTP status can stand for when the server runs in transport error mode,
  where ``cent`` raises ``CentTransportError(status_code)`` and drops the body that
  held the code: :func:`transport_error_codes`;
* the body of an ``/api/disconnect`` call, checked against the limits a WebSocket
  close frame sets: :func:`disconnect_request`.

No API client is imported here. The functions describe what they read with
:class:`typing.Protocol` classes, so a type checker matches ``cent``'s classes (or any
client shaped alike) structurally, and the package keeps no runtime dependency.
Values from those objects cross one boundary: each attribute is read once and checked
to be an exact ``int`` or ``str``, and nothing else of the object is called.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, TypedDict, cast

from ._ranges import check_code, check_text, exact_int, exact_str, show, type_name
from .proxy import MAX_CLOSE_REASON_BYTES, _close_code_problem  # pyright: ignore[reportPrivateUsage]
from .wire import ApiError, Disconnect, DisconnectJSON

if TYPE_CHECKING:
    from ._api_codes import ApiErrorCode, UnknownApiErrorCode

__all__ = [
    "API_DISCONNECT_CODES",
    "BatchReplyLike",
    "BroadcastReplyLike",
    "DisconnectRequestJSON",
    "ErrorLike",
    "PublishReplyLike",
    "api_error",
    "batch_errors",
    "broadcast_errors",
    "disconnect_request",
    "error_code",
    "transport_error_codes",
]

#: The disconnect codes :func:`disconnect_request` sends: the server's own band
#: (3000-3999, for example 3014 to invalidate a client's state) and the application's
#: (4000-4999). Below 3000 are WebSocket transport codes; from 5000 up, WebSocket
#: clients refuse the close frame and report "transport closed" instead of the code.
API_DISCONNECT_CODES = range(3000, 5000)


class ErrorLike(Protocol):
    """Anything with an error's ``code`` and ``message``: ``cent``'s
    ``CentApiResponseError``, its ``Error`` model, or :class:`wire.ApiError`."""

    @property
    def code(self) -> int: ...

    @property
    def message(self) -> str: ...


class PublishReplyLike(Protocol):
    """One reply inside a broadcast or batch answer: an ``error``, or ``None`` on success."""

    @property
    def error(self) -> ErrorLike | None: ...


class BroadcastReplyLike(Protocol):
    """A broadcast answer, like ``cent``'s ``BroadcastResult``: one reply per channel."""

    @property
    def responses(self) -> Sequence[PublishReplyLike]: ...


class BatchReplyLike(Protocol):
    """A batch answer, like ``cent``'s ``BatchResult``: one reply per command."""

    @property
    def replies(self) -> Sequence[object]: ...


#: dict's own ``get``, called on decoded JSON so that a subclass's override never runs.
_dict_get: Callable[[dict[object, object], object], object] = dict[object, object].get


def _read(error: object, name: str, where: str) -> object:
    try:
        return getattr(error, name)
    except AttributeError:
        raise TypeError(
            f"{where} expects an error with 'code' and 'message' attributes, got {show(error)} "
            f"({type_name(error)}), which has no {name!r}"
        ) from None


def api_error(error: ErrorLike) -> ApiError:
    """The server API error that ``error`` carries, as a :class:`wire.ApiError`.

    ``error`` is any object with a ``code`` (an ``int``) and a ``message`` (a
    ``str``): ``cent``'s ``CentApiResponseError`` as raised, or an item's ``error``
    in a broadcast or batch reply. Raises ``TypeError`` naming the value when an
    attribute is missing or of the wrong type, and ``ValueError`` for a code outside
    0..2**32-1.
    """
    where = "api_error()"
    code = _read(error, "code", where)
    message = _read(error, "message", where)
    number = check_code(code, f"{where}: the error's code")
    text = exact_str(message)
    if text is None:
        raise TypeError(f"{where} expects the error's message to be a str, got {show(message)} ({type_name(message)})")
    return ApiError(number, text)


def error_code(error: ErrorLike) -> ApiErrorCode | UnknownApiErrorCode:
    """The typed code of a server API error: an :class:`ApiErrorCode` member, or an
    :class:`UnknownApiErrorCode` for a code the package does not list.

    ``except CentApiResponseError as error: code = error_code(error)``; then
    ``code.retryable`` says whether sending the same call again can help. Raises as
    :func:`api_error` does.
    """
    return api_error(error).api_error_code


def broadcast_errors(result: BroadcastReplyLike) -> dict[int, ApiError]:
    """The errors inside a broadcast answer, by the position of their channel.

    A broadcast succeeds as a whole even when publishing to some channels failed;
    each failure sits in its own reply. The answer maps the index of every failed
    channel (in the order the request listed the channels) to its error; an empty
    dict means every channel was published to.
    """
    where = "broadcast_errors()"
    replies = _read_sequence(result, "responses", where)
    return _item_errors(replies)


def batch_errors(result: BatchReplyLike | Mapping[str, object]) -> dict[int, ApiError]:
    """The errors inside a batch answer, by the position of their command.

    Like :func:`broadcast_errors`, for the replies of a batch. ``result`` is a reply
    object (``cent``'s ``BatchResult``) or the decoded JSON answer,
    ``{"replies": [...]}``. ``cent`` 5.2.0 builds a ``BatchResult`` only when every
    command succeeded (its parser fails with a ``KeyError`` on an item that holds an
    error instead of a result), so a batch that may fail in part is best sent as
    plain JSON and its answer read here.
    """
    where = "batch_errors()"
    if issubclass(type(result), dict):
        answer = cast("dict[object, object]", result)  # pragma: no mutate (cast() is a run-time no-op)
        replies = _dict_get(answer, "replies")
        if not issubclass(type(replies), list):
            raise TypeError(f"{where} expects 'replies' to be a list, got {show(replies)} ({type_name(replies)})")
        items = cast("list[object]", replies)  # pragma: no mutate (cast() is a run-time no-op)
        return _item_errors(list(items))
    return _item_errors(_read_sequence(result, "replies", where))


def _read_sequence(result: object, name: str, where: str) -> list[object]:
    try:
        items = getattr(result, name)
    except AttributeError:
        raise TypeError(f"{where} expects a reply with {name!r}, got {show(result)} ({type_name(result)})") from None
    if not issubclass(type(items), (list, tuple)):
        raise TypeError(f"{where} expects {name!r} to be a list, got {show(items)} ({type_name(items)})")
    return list(items)


def _item_errors(replies: list[object]) -> dict[int, ApiError]:
    found: dict[int, ApiError] = {}
    for index, reply in enumerate(replies):
        if issubclass(type(reply), dict):  # decoded JSON: {"error": {...}} or a result
            item = cast("dict[object, object]", reply)  # pragma: no mutate (cast() is a run-time no-op)
            error: object = _dict_get(item, "error")
            if error is not None:
                found[index] = ApiError.from_json(error)
            continue
        error = getattr(reply, "error", None)
        if error is not None:
            carried = cast("ErrorLike", error)  # pragma: no mutate (cast() is a run-time no-op)
            found[index] = api_error(carried)
    return found


def transport_error_codes(status: int) -> tuple[ApiErrorCode, ...]:
    """The server API codes that an HTTP status can stand for in transport error mode.

    In transport mode the server answers an API error with the code's HTTP status
    (:attr:`ApiErrorCode.http_status`) and the bare error as the body; ``cent``
    raises ``CentTransportError(status_code)`` and keeps only the status. So 404 may
    be 102 (unknown channel) or 104 (not found), 400 may be 107 or 108, 416 is 112,
    409 is 113, and 500 is 100 or any code the package does not list. Any other
    status (an empty tuple here) comes from the HTTP layer, not from an API code:
    400 and 404 also come from a body that is not JSON or an unknown ``/api/...``
    path, 405 from a method other than POST, and 401, which ``cent`` raises as
    ``CentUnauthorizedError``, from a wrong API key. Raises ``TypeError`` for a
    status that is not an ``int``.
    """
    number = exact_int(status)
    if number is None:
        raise TypeError(f"transport_error_codes() expects an int HTTP status, got {show(status)} ({type_name(status)})")
    from ._api_codes import ApiErrorCode

    return tuple(member for member in ApiErrorCode if member.http_status == number)


class _DisconnectRequestRequired(TypedDict):
    user: str
    disconnect: DisconnectJSON


class DisconnectRequestJSON(_DisconnectRequestRequired, total=False):
    """The JSON body of ``POST /api/disconnect``; ``json.dumps`` writes it as is.

    ``cent`` takes it as ``DisconnectRequest.model_validate(body)``.
    """

    client: str
    session: str
    whitelist: list[str]


def disconnect_request(
    user: str,
    code: int,
    reason: str,
    *,
    client: str = "",
    session: str = "",
    whitelist: Sequence[str] = (),
) -> DisconnectRequestJSON:
    """The body of an ``/api/disconnect`` call that ends ``user``'s connections with ``code``.

    ``client`` or ``session`` narrows it to one connection; ``whitelist`` lists client
    ids to spare. The server passes ``code`` and ``reason`` to clients unchecked, so
    this checks what a WebSocket close frame can carry: ``code`` in
    :data:`API_DISCONNECT_CODES` (3000-4999; 4500-4999 and 3500-3999 stop the client,
    the rest make it reconnect), which also keeps it within the frame's 16 bits, and
    a ``reason`` of at most :data:`~centrifugo_protocol.proxy.MAX_CLOSE_REASON_BYTES`
    (123) bytes of UTF-8: a longer one makes the server drop the close frame, and the
    client reconnects even after a terminal code. Raises ``TypeError`` for arguments
    of the wrong type and ``ValueError`` naming the value and the limit it breaks.
    """
    where = "disconnect_request()"
    who = check_text(user, where, "user")
    if not who:
        raise ValueError(f"{where} expects a non-empty user id, got {show(who)}")
    number = exact_int(code)
    if number is None:
        raise TypeError(f"{where} expects an int code, got {show(code)} ({type_name(code)})")
    if number not in API_DISCONNECT_CODES:
        if number < API_DISCONNECT_CODES.start:  # pragma: no mutate (3000 is in range, so < and <= agree here)
            why = "; codes below 3000 are WebSocket transport codes, which clients report as 'transport closed'"
        elif number <= 0xFFFF:
            why = "; WebSocket clients refuse close codes from 5000 up and report 'transport closed' instead"
        else:
            why = _close_code_problem(number)
        raise ValueError(f"{where} expects a disconnect code in 3000..4999, got {show(number)}{why}")
    text = check_text(reason, where, "reason")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise ValueError(f"{where} expects a reason that UTF-8 can encode, got {show(text)}") from None
    if size > MAX_CLOSE_REASON_BYTES:
        raise ValueError(
            f"{where} expects a reason of at most {MAX_CLOSE_REASON_BYTES} bytes of UTF-8, got {size} bytes; "
            f"the server would drop the close frame and the client would reconnect even after a terminal "
            f"code: {show(text)}"
        )
    body: DisconnectRequestJSON = {"user": who, "disconnect": Disconnect(number, text).to_json()}
    if check_text(client, where, "client"):
        body["client"] = client
    if check_text(session, where, "session"):
        body["session"] = session
    spared = _check_ids(whitelist, where)
    if spared:
        body["whitelist"] = spared
    return body


def _check_ids(ids: object, where: str) -> list[str]:
    if not issubclass(type(ids), (list, tuple)):  # a str is a sequence too, of characters
        raise TypeError(f"{where} expects whitelist to be a list of client ids, got {show(ids)} ({type_name(ids)})")
    checked: list[str] = []
    items = cast("Sequence[object]", ids)  # pragma: no mutate (cast() is a run-time no-op)
    for item in items:
        text = exact_str(item)
        if text is None:
            raise TypeError(f"{where} expects whitelist to hold str client ids, got {show(item)} ({type_name(item)})")
        checked.append(text)
    return checked
