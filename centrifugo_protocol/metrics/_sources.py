"""Reading sources: a metrics page from a file, standard input or a URL, bounded.

A page is streamed through :class:`Capped`, which refuses to read past
``max_bytes`` and, for a URL, past the deadline, and parsed by
``prometheus_client``'s text parser. Only the samples of the families in
:mod:`._families` are kept, summed per label set.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import time
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol

from ._families import BY_METRIC, Family, MetricsError
from ._text import printable

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterable, Sequence
    from typing import TextIO

    from _typeshed import WriteableBuffer
    from prometheus_client.metrics_core import Metric

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "DETECTED_NAMESPACES", "Options", "Page", "Series", "read_page"]

#: Namespaces looked for when none is given: Centrifugo's, then the Go library's default.
DETECTED_NAMESPACES: Final = ("centrifugo", "centrifuge")
DEFAULT_TIMEOUT: Final = 10.0
DEFAULT_MAX_BYTES: Final = 64 * 2**20
#: The largest count a float64 counter holds exactly; a larger one is no count.
MAX_COUNT: Final = 2**53
#: What to ask a server for: the classic text format, which the parser reads.
_ACCEPT: Final = "text/plain;version=0.0.4;q=1.0, */*;q=0.1"
_URL_SCHEMES: Final = ("http", "https")
#: Something that starts like a URL: a scheme and "://".
_URL_LIKE: Final = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
#: A host and port without a scheme, such as ``127.0.0.1:8765/metrics``.
_HOST_PORT: Final = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}(?:/\S*)?")

#: One counter on one page: its family and all its labels, sorted.
Series = tuple[Family, tuple[tuple[str, str], ...]]


class _Readable(Protocol):
    def read1(self, size: int, /) -> bytes: ...


class Capped(io.RawIOBase):
    """A byte stream that refuses to go past a size and, for a URL, past a deadline.

    The parser reads line by line through this, so memory stays bounded however
    large or slow the page is. A socket timeout bounds each read; the deadline
    bounds the whole answer, which a server could otherwise drip out forever.
    """

    def __init__(self, raw: _Readable, where: str, limit: int, deadline: float | None) -> None:
        super().__init__()
        self._raw = raw
        self._where = where
        self._limit = limit
        self._deadline = deadline
        self._total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        # read1 returns what one read of the source gives, so the deadline is checked
        # at least once per socket timeout however slowly the bytes come.
        view = memoryview(buffer).cast("B")
        data = self._raw.read1(len(view))
        count = len(data)
        view[:count] = data
        self._total += count
        if self._total > self._limit:
            raise MetricsError(f"{self._where}: the page is larger than {self._limit} bytes (--max-bytes)")
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise MetricsError(f"{self._where}: no complete answer within the timeout (--timeout)")
        return count


class Page(NamedTuple):
    namespace: str
    series: dict[Series, int]


class Options(NamedTuple):
    timeout: float
    max_bytes: int
    parse: Callable[[TextIO], Iterable[Metric]]


def where(source: str) -> str:
    """A source as error lines and the report name it."""
    return "stdin" if source == "-" else printable(source)


def _failure(where: str, error: Exception, timeout: float) -> MetricsError:
    """One line for an error from opening or reading a source."""
    import urllib.error

    if isinstance(error, urllib.error.HTTPError):
        return MetricsError(f"{where}: the server answered HTTP {error.code} {printable(str(error.reason))}")
    if isinstance(error, urllib.error.URLError):
        reason: object = error.reason
        if isinstance(reason, TimeoutError):
            error = reason
        else:
            return MetricsError(f"{where}: cannot connect: {printable(str(reason))}")
    if isinstance(error, TimeoutError):
        return MetricsError(f"{where}: no answer within {timeout:g} s (--timeout)")
    if isinstance(error, OSError):
        return MetricsError(f"{where}: cannot read: {printable(error.strerror or str(error))}")
    # http.client's own errors: the server broke off or garbled its answer.
    return MetricsError(f"{where}: the server's answer is broken ({type(error).__name__})")


def _url_scheme(source: str) -> str | None:
    """The scheme of a source written as a URL, lower case, or None for a path."""
    found = _URL_LIKE.match(source)
    return None if found is None else found.group(1).lower()


@contextlib.contextmanager
def _opened(
    source: str, where: str, timeout: float
) -> Generator[tuple[_Readable, float | None, tuple[type[Exception], ...]], None, None]:
    """The source's bytes, the deadline for reading them, and the errors reading may raise."""
    if source == "-":
        stdin: _Readable | None = getattr(sys.stdin, "buffer", None)
        if stdin is None:  # Python started without a standard input
            raise MetricsError("stdin: there is no standard input to read")
        yield stdin, None, (OSError,)
        return
    scheme = _url_scheme(source)
    if scheme is not None:
        if scheme not in _URL_SCHEMES:
            raise MetricsError(
                f"{where}: unsupported URL scheme {printable(scheme, 20)!r}; a URL source starts with "
                f"http:// or https://"
            )
        import http.client
        import urllib.request

        deadline = time.monotonic() + timeout
        request = urllib.request.Request(source, headers={"Accept": _ACCEPT})
        try:
            response: http.client.HTTPResponse = urllib.request.urlopen(request, timeout=timeout)
        except (ValueError, http.client.InvalidURL) as error:  # a URL urllib cannot use
            raise MetricsError(f"{where}: not a usable URL ({printable(str(error))})") from None
        except (OSError, http.client.HTTPException) as error:
            raise _failure(where, error, timeout) from None
        with response:
            yield response, deadline, (OSError, http.client.HTTPException)
            # http.client ends a body cut short without a word when the server gave
            # its length; a page read in part would count too little. (A redirect to
            # ftp: gives another kind of response, without the attribute.)
            missing: int | None = getattr(response, "length", None)
            if missing:
                raise MetricsError(f"{where}: the answer ended {missing} bytes short of its length")
        return
    try:
        file = open(source, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as error:
        message = f"{where}: cannot open: {printable(error.strerror or str(error))}"
        if isinstance(error, FileNotFoundError) and _HOST_PORT.fullmatch(source):
            message += f"; did you mean {printable('http://' + source)}?"
        raise MetricsError(message) from None
    with file:
        yield file, None, (OSError,)


def _count(value: float, name: str, labels: dict[str, str], where: str) -> int:
    # NaN fails every comparison, so it lands here with the infinities and fractions.
    if not 0 <= value <= MAX_COUNT or not float(value).is_integer():
        shown = ",".join(f"{key}={val!r}" for key, val in sorted(labels.items()))
        raise MetricsError(
            f"{where}: {printable(f'{name}{{{shown}}}')} has the value {_number(value)}; a count must "
            f"be a whole number from 0 to 2**53"
        )
    return int(value)


def _number(value: float) -> str:
    # Parsers before prometheus-client 0.21 read every value as a float, later ones
    # whole numbers as ints: show a value the same way whichever did.
    if isinstance(value, int) and abs(value) > MAX_COUNT:
        # Shown by its size: the digits of a 4,000-digit count would fill the line.
        return f"{'-' if value < 0 else ''}(a {abs(value).bit_length()}-bit number)"
    if isinstance(value, int) or (value.is_integer() and abs(value) <= MAX_COUNT):
        return str(int(value))
    return repr(value)


def collect(families: Iterable[Metric], namespaces: Sequence[str], where: str) -> Page:
    """Pick this page's series of the counted families, under each candidate namespace."""
    wanted = {f"{ns}_{metric}": (ns, family) for ns in namespaces for metric, family in BY_METRIC.items()}
    present: set[str] = set()
    series: dict[str, dict[Series, int]] = {ns: {} for ns in namespaces}
    for metric in families:
        present.update(ns for ns in namespaces if metric.name.startswith(f"{ns}_"))
        for sample in metric.samples:
            hit = wanted.get(sample.name.removesuffix("_total"))
            if hit is not None:
                ns, family = hit
                key = (family, tuple(sorted(sample.labels.items())))
                found = series[ns]
                # A series written twice is counted twice, as the page says.
                found[key] = found.get(key, 0) + _count(sample.value, sample.name, sample.labels, where)
    chosen = [ns for ns in namespaces if ns in present]
    if not chosen:
        names = " or ".join(f"{ns}_*" for ns in namespaces)
        raise MetricsError(
            f"{where}: no metric named {names}, so this is not a Centrifugo metrics page "
            f"(a server with its own namespace needs --namespace)"
        )
    if len(chosen) > 1:
        raise MetricsError(
            f"{where}: has metrics of both namespaces {' and '.join(chosen)}; choose one with --namespace"
        )
    return Page(chosen[0], series[chosen[0]])


def parse_stream(stream: TextIO, namespaces: Sequence[str], options: Options, where: str) -> Page:
    """Parse a page from a text stream, turning the parser's verdicts into one line."""
    try:
        return collect(options.parse(stream), namespaces, where)
    except UnicodeDecodeError:
        raise MetricsError(f"{where}: the page is not UTF-8 text") from None
    except (ValueError, IndexError) as error:  # the parser's verdict on a line it cannot read
        raise MetricsError(f"{where}: not the Prometheus text format ({printable(str(error))})") from None


def read_page(source: str, namespaces: Sequence[str], options: Options) -> Page:
    """Read and parse the page at ``source``: a file, ``-`` or an http(s) URL."""
    shown = where(source)
    with _opened(source, shown, options.timeout) as (raw, deadline, failures):
        capped = Capped(raw, shown, options.max_bytes, deadline)
        try:
            with io.TextIOWrapper(io.BufferedReader(capped), encoding="utf-8", newline="\n") as text:
                return parse_stream(text, namespaces, options, shown)
        except failures as error:
            raise _failure(shown, error, options.timeout) from None
