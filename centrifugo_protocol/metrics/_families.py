"""The counter families a Centrifugo node writes, as v6.9.1 names and labels them."""

from __future__ import annotations

import enum
from typing import Final, NamedTuple

__all__ = ["FAMILIES", "Family", "MetricsError"]


class MetricsError(Exception):
    """A source the report cannot use: unreadable, not a metrics page, or bad counts.

    The message is one short line that names the source and what was wrong with it.
    """


class _Spec(NamedTuple):
    metric: str  # the name after "<ns>_", without a _total suffix
    written: str  # the name as a v6.9.1 node writes it in the classic text format
    code_label: str  # the label that carries the code
    title: str
    singular: str
    plural: str


@enum.unique
class Family(enum.Enum):
    """One counter family of a node's metrics page; the value is its key in ``--json``."""

    REPLY_ERRORS = "reply_errors"
    UNSUBSCRIBES = "unsubscribes"
    DISCONNECTS = "disconnects"
    CLOSES = "closes"
    API_ERRORS = "api_errors"

    @property
    def metric(self) -> str:
        """The metric's name after ``<namespace>_``, as the node writes it."""
        return _SPECS[self].written

    @property
    def code_label(self) -> str:
        """The label that carries the code: ``error`` for API errors, else ``code``."""
        return _SPECS[self].code_label

    @property
    def title(self) -> str:
        """The family's heading in the text report."""
        return _SPECS[self].title

    def counted(self, count: int) -> str:
        """``count`` with the family's noun, singular or plural: ``"1 disconnect"``."""
        noun = _SPECS[self].singular if count == 1 else _SPECS[self].plural
        return f"{count:,} {noun}"


# fmt: off
_SPECS: Final = {
    Family.REPLY_ERRORS: _Spec("client_num_reply_errors", "client_num_reply_errors", "code",
                               "Reply errors", "reply error", "reply errors"),
    Family.UNSUBSCRIBES: _Spec("client_num_server_unsubscribes", "client_num_server_unsubscribes", "code",
                               "Server unsubscribes", "unsubscribe", "unsubscribes"),
    Family.DISCONNECTS: _Spec("client_num_server_disconnects", "client_num_server_disconnects", "code",
                              "Server disconnects", "disconnect", "disconnects"),
    Family.CLOSES: _Spec("transport_outgoing_close_count", "transport_outgoing_close_count", "code",
                         "Close frames sent", "close frame", "close frames"),
    Family.API_ERRORS: _Spec("api_command_errors", "api_command_errors_total", "error",
                             "Server API errors", "server API error", "server API errors"),
}
# fmt: on

#: The families in the order the report shows them.
FAMILIES: Final = tuple(Family)
#: Each family by its metric name without a ``_total`` suffix, which a page may add or leave out.
BY_METRIC: Final = {_SPECS[family].metric: family for family in FAMILIES}
