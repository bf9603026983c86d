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
import socket
import sys
import time
from typing import IO, TYPE_CHECKING, Final, NamedTuple, Protocol

from ._families import BY_METRIC, Family, MetricsError
from ._text import printable

if TYPE_CHECKING:
    import urllib.request
    from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
    from typing import TextIO

    from _typeshed import WriteableBuffer
    from prometheus_client.metrics_core import Metric

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "DETECTED_NAMESPACES",
    "Options",
    "Page",
    "Series",
    "read_page",
    "series_key",
]

#: Namespaces looked for when none is given: Centrifugo's, then the Go library's default.
DETECTED_NAMESPACES: Final = ("centrifugo", "centrifuge")
DEFAULT_TIMEOUT: Final = 10.0
DEFAULT_MAX_BYTES: Final = 64 * 2**20
#: The largest count a float64 counter holds exactly; a larger one is no count.
MAX_COUNT: Final = 2**53
#: What to ask a server for: the classic text format, which the parser reads.
_ACCEPT: Final = "text/plain;version=0.0.4;q=1.0, */*;q=0.1"
_URL_SCHEMES: Final = ("http", "https")
#: Redirects followed for a URL source, all within its one --timeout.
_MAX_REDIRECTS: Final = 3
#: The longest line and the most labels in a series that a page may have: far more
#: than any Centrifugo page needs, and what keeps the parser's time in bounds.
MAX_LINE: Final = 64 * 1024
MAX_LABELS: Final = 64
#: Samples the parser holds at most before it hands them over (see _bounded_lines).
_BATCH: Final = 4096
#: A HELP line for a name that no namespace can start (a namespace has no colon).
_SPLIT: Final = "# HELP :split -\n"
#: Something that starts like a URL: a scheme and "://".
_URL_LIKE: Final = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
#: A host and port without a scheme, such as ``127.0.0.1:8765/metrics``.
_HOST_PORT: Final = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}(?:/\S*)?")

#: One counter on one page, compactly: its family, the labels the report reads (the
#: code, method and protocol, "" when absent) and a text that is the same for two
#: series exactly when all their labels are (it tells series apart for --since).
Series = tuple[Family, str, str, str, str]


def series_key(family: Family, labels: Mapping[str, str]) -> Series:
    """The :data:`Series` of ``family`` with ``labels``."""
    # Lengths before texts, so that no two label sets give the same signature.
    signature = "".join(f"{len(k)}:{k}{len(v)}:{v}" for k, v in sorted(labels.items()))
    return (
        family,
        sys.intern(labels.get(family.code_label, "")),
        sys.intern(labels.get("method", "")),
        sys.intern(labels.get("protocol", "")),
        signature,
    )


class _Readable(Protocol):
    def read1(self, size: int, /) -> bytes: ...


class Capped(io.RawIOBase):
    """A byte stream that refuses to go past a size and, for a URL, past a deadline.

    The parser reads line by line through this, so memory stays bounded however
    large or slow the page is. A socket timeout bounds each read; the deadline
    bounds the whole answer, which a server could otherwise drip out forever.
    """

    def __init__(self, raw: _Readable, where: str, limit: int, deadline: float | None, timeout: float = 0) -> None:
        super().__init__()
        self._timeout = timeout
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
            raise MetricsError(f"{self._where}: no complete answer within {self._timeout:g} s (--timeout)")
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
        if 300 <= error.code < 400:  # urllib gives up on a redirect loop this way
            return MetricsError(f"{where}: more than {_MAX_REDIRECTS} redirects, or a redirect loop")
        return MetricsError(f"{where}: the server answered HTTP {error.code} {printable(str(error.reason))}")
    if isinstance(error, urllib.error.URLError):
        reason: object = error.reason
        if isinstance(reason, TimeoutError):
            error = reason
        else:
            return MetricsError(f"{where}: cannot connect: {printable(str(reason))}")
    if isinstance(error, TimeoutError):
        return MetricsError(f"{where}: no complete answer within {timeout:g} s (--timeout)")
    if isinstance(error, OSError):
        return MetricsError(f"{where}: cannot read: {printable(error.strerror or str(error))}")
    # http.client's own errors: the server broke off or garbled its answer.
    return MetricsError(f"{where}: the server's answer is broken ({type(error).__name__})")


class Watch:
    """Ends every connection of one fetch at its deadline, whatever it is waiting for.

    A socket timeout bounds each wait; a server that drips its headers or its body
    one line at a time never lets one expire. The watchdog shuts the connections
    down at the deadline instead, so the whole fetch, redirects included, takes at
    most ``--timeout``.
    """

    def __init__(self, seconds: float) -> None:
        import threading

        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.expired = threading.Event()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        with self._lock:
            self.expired.set()
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
        if self.expired.is_set():
            self._expire()

    def stop(self) -> None:
        self._timer.cancel()


def _opener(watch: Watch, where: str) -> urllib.request.OpenerDirector:
    """urllib, with connections the watchdog can end, ports checked, and redirects bounded."""
    import http.client
    import urllib.request

    def checked(port: int) -> None:
        if not 0 <= port <= 65535:  # a larger port would wrap around to another one
            raise http.client.InvalidURL(f"port {port} is out of range 0-65535")

    def connected(address: tuple[str, int], timeout: float, source: tuple[str, int] | None = None) -> socket.socket:
        # Every socket of the fetch, for the watchdog: before TLS, so that a slow
        # handshake is bounded too.
        checked(address[1])
        sock = socket.create_connection(address, timeout, source)
        watch.register(sock)
        return sock

    class Connection(http.client.HTTPConnection):
        def connect(self) -> None:
            self._create_connection = connected
            super().connect()

    class SecureConnection(http.client.HTTPSConnection):
        def connect(self) -> None:
            self._create_connection = connected
            super().connect()

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Connection, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def __init__(self) -> None:
            import ssl

            self._tls = ssl.create_default_context()
            super().__init__(context=self._tls)

        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(SecureConnection, req, context=self._tls)

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = _MAX_REDIRECTS

        def redirect_request(
            self,
            req: urllib.request.Request,
            fp: IO[bytes],
            code: int,
            msg: str,
            headers: http.client.HTTPMessage,
            newurl: str,
        ) -> urllib.request.Request | None:
            scheme = _url_scheme(newurl)
            if scheme not in _URL_SCHEMES:
                raise MetricsError(
                    f"{where}: redirected to {printable(newurl, 60)}, which is not an http:// or https:// URL"
                )
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(Handler, SecureHandler(), Redirects)


@contextlib.contextmanager
def _bounded(watch: Watch, where: str, timeout: float) -> Generator[None, None, None]:
    """Whatever went wrong once the deadline passed, the answer is the timeout.

    (A page read to its end before the deadline is whole, however long it takes to
    count; a read cut off by the watchdog fails in :class:`Capped`, whose deadline
    came first.)
    """
    late = f"{where}: no complete answer within {timeout:g} s (--timeout)"
    try:
        yield
    except Exception as error:
        if watch.expired.is_set():
            raise MetricsError(late) from None
        raise error from None


def _url_scheme(source: str) -> str | None:
    """The scheme of a source written as a URL, lower case, or None for a path."""
    found = _URL_LIKE.match(source)
    return None if found is None else found.group(1).lower()


def _check_host(url: str) -> None:
    """Raise ``ValueError`` for a bracketed host that is no IPv6 address.

    Python checks this itself from 3.11 on; 3.10 would take ``http://[foo]/`` for a
    host name and report it as one that cannot be resolved.
    """
    import ipaddress
    import urllib.parse

    host = urllib.parse.urlsplit(url).netloc.rpartition("@")[2]
    if host.startswith("["):
        ipaddress.IPv6Address(host[1 : host.find("]")].partition("%")[0])


@contextlib.contextmanager
def _opened(
    source: str, where: str, timeout: float
) -> Generator[tuple[_Readable, float | None, tuple[type[Exception], ...]], None, None]:
    """The source's bytes, the deadline for reading them, and the errors reading may raise."""
    if source == "-":
        stdin: _Readable | None = getattr(sys.stdin, "buffer", None)
        if stdin is None:  # Python started without a standard input
            raise MetricsError("stdin: there is no standard input to read")
        # Checked between reads, as for every source: a slow writer cannot hold the report.
        yield stdin, time.monotonic() + timeout, (OSError,)
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
        watch = Watch(timeout)
        try:
            with _bounded(watch, where, timeout):
                try:
                    _check_host(source)
                    request = urllib.request.Request(source, headers={"Accept": _ACCEPT})
                    response: http.client.HTTPResponse = _opener(watch, where).open(request, timeout=timeout)
                except (ValueError, http.client.InvalidURL) as error:  # a URL urllib cannot use
                    raise MetricsError(f"{where}: not a usable URL ({printable(str(error))})") from None
                except (OSError, http.client.HTTPException) as error:
                    raise _failure(where, error, timeout) from None
                with response:
                    yield response, deadline, (OSError, http.client.HTTPException)
                    # http.client ends a body cut short without a word when the server
                    # gave its length; a page read in part would count too little.
                    missing: int | None = response.length
                    if missing:
                        raise MetricsError(f"{where}: the answer ended {missing} bytes short of its length")
        finally:
            watch.stop()
        return
    try:
        file = open(source, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as error:
        message = f"{where}: cannot open: {printable(error.strerror or str(error))}"
        if isinstance(error, FileNotFoundError) and _HOST_PORT.fullmatch(source):
            message += f"; did you mean {printable('http://' + source)}?"
        raise MetricsError(message) from None
    with file:
        yield file, time.monotonic() + timeout, (OSError,)


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
                key = series_key(family, sample.labels)
                found = series[ns]
                if key in found:
                    # Written twice, or as both x and x_total: no count can be trusted.
                    shown = ",".join(f"{k}={v!r}" for k, v in sorted(sample.labels.items()))
                    raise MetricsError(
                        f"{where}: the series {printable(f'{sample.name}{{{shown}}}')} is on the page twice "
                        f"(with or without _total)"
                    )
                found[key] = _count(sample.value, sample.name, sample.labels, where)
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


def _bounded_lines(stream: Iterable[str], where: str) -> Iterator[str]:
    """The page's lines, each within :data:`MAX_LINE` characters and :data:`MAX_LABELS` labels.

    The parser keeps a family's samples until the family ends, so one family of a
    million series would be held whole. Every :data:`_BATCH` samples, the family's
    ``# TYPE`` line is given again after a ``# HELP`` line of a name no namespace
    can have: the parser hands over what it holds and goes on with the same family,
    and memory stays within a batch.
    """
    typed: str | None = None
    in_batch = 0
    for number, line in enumerate(stream, start=1):
        if len(line) > MAX_LINE:
            raise MetricsError(f"{where}: line {number} is longer than {MAX_LINE} characters")
        if line.startswith("#"):
            if line.startswith("# TYPE "):
                typed, in_batch = line, 0
        else:
            if line.count("=") > MAX_LABELS:
                raise MetricsError(f"{where}: line {number} has more than {MAX_LABELS} labels")
            in_batch += 1
            if typed is not None and in_batch > _BATCH:
                yield _SPLIT
                yield typed
                in_batch = 1
        yield line


def parse_stream(stream: TextIO, namespaces: Sequence[str], options: Options, where: str) -> Page:
    """Parse a page from a text stream, turning the parser's verdicts into one line."""
    try:
        lines = _bounded_lines(stream, where)
        return collect(options.parse(lines), namespaces, where)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    except UnicodeDecodeError:
        raise MetricsError(f"{where}: the page is not UTF-8 text") from None
    except (ValueError, IndexError) as error:  # the parser's verdict on a line it cannot read
        raise MetricsError(f"{where}: not the Prometheus text format ({printable(str(error))})") from None


def read_page(source: str, namespaces: Sequence[str], options: Options) -> Page:
    """Read and parse the page at ``source``: a file, ``-`` or an http(s) URL."""
    shown = where(source)
    with _opened(source, shown, options.timeout) as (raw, deadline, failures):
        capped = Capped(raw, shown, options.max_bytes, deadline, options.timeout)
        try:
            with io.TextIOWrapper(io.BufferedReader(capped), encoding="utf-8", newline="\n") as text:
                return parse_stream(text, namespaces, options, shown)
        except failures as error:
            raise _failure(shown, error, options.timeout) from None
