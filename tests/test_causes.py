"""The causes' data: its shape, and the facts of the live-server spec it must keep.

The live proofs are in ``tests/live/test_causes.py``. Here the data is held against
rules written out from ``shared/spec/ground-truth.md`` section 8 and
``live-server.md`` independently of the tables: which codes no server feature sends,
which config keys a cause must name, which cause comes first.
"""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from typing import Any

import pytest

import centrifugo_protocol
from centrifugo_protocol import (
    CAUSES_MEASURED_ON,
    ApiErrorCode,
    Cause,
    CauseKind,
    ClientErrorCode,
    ConnectingCode,
    DisconnectCode,
    DisconnectedCode,
    ErrorCode,
    Sender,
    SubscribingCode,
    UnsubscribeCode,
    UnsubscribedCode,
    Untriggerable,
)
from centrifugo_protocol._causes import (
    CAUSES,
    causes_of,
    markdown,
    most_often,
    no_builtin_sender,
    record,
    records,
    senders,
    sent_when,
)

SERVER_FAMILIES: list[Any] = [ErrorCode, UnsubscribeCode, DisconnectCode, ApiErrorCode]
CLIENT_FAMILIES: list[Any] = [ConnectingCode, DisconnectedCode, SubscribingCode, UnsubscribedCode]
PREFIXES = {
    "ErrorCode": "error",
    "UnsubscribeCode": "unsubscribe",
    "DisconnectCode": "disconnect",
    "ApiErrorCode": "api",
    "ConnectingCode": "connecting",
    "DisconnectedCode": "disconnected",
    "SubscribingCode": "subscribing",
    "UnsubscribedCode": "unsubscribed",
}

# ground-truth.md section 8: no sender among Centrifugo v6.9.1's own features.
# Members are ints, and equal across families (ErrorCode 113 == ApiErrorCode 113), so
# they are kept here by family name and code.
NOT_SENT_BY_SERVER_FEATURES = {
    ("ErrorCode", 101),
    ("ErrorCode", 111),
    ("ErrorCode", 113),
    ("UnsubscribeCode", 2502),
    ("DisconnectCode", 3011),
    ("DisconnectCode", 3013),
    ("DisconnectCode", 3014),
    ("DisconnectCode", 3509),
}
# 3000 is never sent; the server API's 113 is referenced by nothing (live-server.md 3.6).
NEVER_SENT = {("DisconnectCode", 3000), ("ApiErrorCode", 113)}

# live-server.md section 3: the config key each of these codes' causes must name.
CONFIG_KEYS: dict[Any, str] = {
    ErrorCode.LIMIT_EXCEEDED: "client.channel_limit",
    ErrorCode.UNKNOWN_CHANNEL: "channel.namespaces",
    ErrorCode.METHOD_NOT_FOUND: "rpc.namespaces",
    DisconnectCode.SLOW: "client.queue_max_size",
    DisconnectCode.NO_PONG: "client.pong_timeout",
    DisconnectCode.STALE: "client.stale_close_delay",
    DisconnectCode.CONNECTION_LIMIT: "client.user_connection_limit",
    DisconnectCode.CHANNEL_LIMIT: "client.channel_limit",
    DisconnectCode.PERMISSION_DENIED: "client.disallow_anonymous_connection_tokens",
}


def _members(families: list[Any]) -> list[Any]:
    return [member for family in families for member in family]


def _name(member: Any) -> str:
    return f"{type(member).__name__}.{member.name}"


# --- Every member is covered ----------------------------------------------------------------


@pytest.mark.parametrize("member", _members(SERVER_FAMILIES), ids=_name)
def test_every_builtin_server_member_has_causes(member: Any) -> None:
    causes: tuple[Cause, ...] = member.causes
    assert isinstance(causes, tuple) and causes, _name(member)
    assert all(type(cause) is Cause for cause in causes)
    assert causes == causes_of(member)
    for cause in causes:
        assert cause.code == member.code
        assert cause.family == type(member).__name__
        assert cause.id.startswith(f"{PREFIXES[type(member).__name__]}.{member.code}.")


@pytest.mark.parametrize("member", _members(SERVER_FAMILIES), ids=_name)
def test_who_sends_each_member_agrees_with_the_spec(member: Any) -> None:
    found = senders(member)
    note = no_builtin_sender(member)
    key = (type(member).__name__, member.code)
    if key in NEVER_SENT:
        assert found == {Sender.NOBODY}
        assert note == "Never sent: no frame carries it."
        assert all(cause.untriggerable is Untriggerable.NEVER_SENT for cause in member.causes)
    elif key in NOT_SENT_BY_SERVER_FEATURES:
        assert Sender.SERVER not in found and found, found
        assert note is not None and note.startswith(f"No feature of {CAUSES_MEASURED_ON} sends it by itself: only ")
    else:
        assert Sender.SERVER in found, found
        assert note is None
    assert Sender.SDK not in found


def test_the_notes_name_every_sender_in_order() -> None:
    assert no_builtin_sender(ErrorCode.UNAUTHORIZED) == (
        "No feature of Centrifugo v6.9.1 sends it by itself: only a proxy backend's answer."
    )
    assert no_builtin_sender(DisconnectCode.STATE_INVALIDATED) == (
        "No feature of Centrifugo v6.9.1 sends it by itself: only a proxy backend's answer or a server API call "
        "that names the code."
    )
    assert no_builtin_sender(ErrorCode.CONCURRENT_PAGINATION) == (
        "No feature of Centrifugo v6.9.1 sends it by itself: only a proxy backend's answer or a server built on "
        "the centrifuge library."
    )
    assert no_builtin_sender(UnsubscribeCode.STATE_INVALIDATED) == (
        "No feature of Centrifugo v6.9.1 sends it by itself: only a server built on the centrifuge library."
    )
    assert no_builtin_sender(ConnectingCode.TRANSPORT_CLOSED) is None
    assert no_builtin_sender(ClientErrorCode.TIMEOUT) is None


@pytest.mark.parametrize("member", list(CONFIG_KEYS), ids=_name)
def test_causes_name_the_config_key_involved(member: Any) -> None:
    key = CONFIG_KEYS[member]
    assert any(cause.kind is CauseKind.CONFIG_KEY and cause.involves == key for cause in member.causes), (
        _name(member),
        [(c.kind, c.involves) for c in member.causes],
    )


def test_the_usual_cause_comes_first() -> None:
    # ground-truth.md section 8: 3501 is most often a client that sent no credentials.
    assert DisconnectCode.BAD_REQUEST.causes[0].id == "disconnect.3501.no-credentials"
    assert DisconnectCode.BAD_REQUEST.causes[0].involves == "connect without a token"


def test_most_often_is_the_first_cause() -> None:
    assert most_often(DisconnectCode.BAD_REQUEST) is DisconnectCode.BAD_REQUEST.causes[0]
    assert most_often(ErrorCode.INTERNAL) is ErrorCode.INTERNAL.causes[0]
    assert most_often(ClientErrorCode.TIMEOUT) is None


def test_a_bad_subscription_signature_is_103_not_3500() -> None:
    ids_103 = {cause.id for cause in ErrorCode.PERMISSION_DENIED.causes}
    assert "error.103.subscription-token-bad-signature" in ids_103
    assert not any("bad-signature" in c.id and "subscription" in c.id for c in DisconnectCode.INVALID_TOKEN.causes)
    assert any("subscription token" in c.involves for c in DisconnectCode.INVALID_TOKEN.causes)


def test_101_says_what_a_connect_without_credentials_gets_instead() -> None:
    (cause,) = ErrorCode.UNAUTHORIZED.causes
    assert cause.sender is Sender.PROXY and cause.kind is CauseKind.PROXY_ANSWER
    for instead in ("3501", "3500", "109"):
        assert instead in cause.situation


def test_104_is_an_rpc_namespace_and_not_an_unknown_command() -> None:
    (cause,) = ErrorCode.METHOD_NOT_FOUND.causes
    assert "108" in cause.situation and "3501" in cause.situation


def test_3009_and_113_say_why_they_cannot_be_proven() -> None:
    assert [c.untriggerable for c in DisconnectCode.WRITE_ERROR.causes] == [Untriggerable.NOT_OBSERVABLE]
    assert DisconnectCode.WRITE_ERROR.causes[0].sender is Sender.SERVER
    race = [c for c in ErrorCode.CONCURRENT_PAGINATION.causes if c.untriggerable is not None]
    assert [c.untriggerable for c in race] == [Untriggerable.NOT_DETERMINISTIC]
    assert [c.sender for c in UnsubscribeCode.STATE_INVALIDATED.causes] == [Sender.LIBRARY]


@pytest.mark.parametrize("member", _members(CLIENT_FAMILIES), ids=_name)
def test_client_side_causes_come_from_the_sdk(member: Any) -> None:
    causes: tuple[Cause, ...] = member.causes
    assert isinstance(causes, tuple)
    for cause in causes:
        assert cause.sender is Sender.SDK
        assert cause.code == member.code and cause.family == type(member).__name__


def test_the_client_side_codes_that_sdks_report_for_calls_have_causes() -> None:
    for member in (
        ConnectingCode.CONNECT_CALLED,
        ConnectingCode.TRANSPORT_CLOSED,
        DisconnectedCode.DISCONNECT_CALLED,
        SubscribingCode.SUBSCRIBE_CALLED,
        SubscribingCode.TRANSPORT_CLOSED,
        UnsubscribedCode.UNSUBSCRIBE_CALLED,
    ):
        assert member.causes, _name(member)
    assert ConnectingCode.CONNECT_CALLED.causes[0].involves == "connect()"
    assert causes_of(ClientErrorCode.TIMEOUT) == ()


# --- The data's shape -------------------------------------------------------------------------


def test_ids_are_unique_and_well_formed() -> None:
    ids = [cause.id for cause in CAUSES]
    assert len(ids) == len(set(ids))
    for cause_id in ids:
        assert re.fullmatch(r"[a-z]+\.\d+\.[a-z0-9]+(-[a-z0-9]+)*", cause_id), cause_id


def test_every_cause_belongs_to_a_member() -> None:
    members = {(type(m).__name__, m.code) for m in _members(SERVER_FAMILIES + CLIENT_FAMILIES)}
    for cause in CAUSES:
        assert (cause.family, cause.code) in members, cause.id


def test_causes_of_a_code_sit_together() -> None:
    # Grouped by code, so that "most common first" is an order within each group.
    seen: list[tuple[str, int]] = []
    for cause in CAUSES:
        key = (cause.family, cause.code)
        if not seen or seen[-1] != key:
            assert key not in seen, f"{cause.id} is apart from the other causes of its code"
            seen.append(key)


@pytest.mark.parametrize("cause", CAUSES, ids=lambda c: c.id)
def test_each_cause_reads_as_plain_words(cause: Cause) -> None:
    assert cause.situation[0].isupper() and cause.situation.endswith("."), cause.id
    assert cause.fix is None or (cause.fix[0].isupper() and cause.fix.endswith(".")), cause.id
    assert cause.involves.strip() == cause.involves and cause.involves
    assert isinstance(cause.kind, CauseKind) and isinstance(cause.sender, Sender)
    if cause.kind is CauseKind.CONFIG_KEY:
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)*", cause.involves), cause.id


# The server API's methods (live-server.md 3.6) and the proxies' config keys (3.1).
API_METHODS = {"publish", "broadcast", "subscribe", "unsubscribe", "disconnect", "refresh", "presence",
               "presence_stats", "history", "history_remove", "channels", "info", "rpc", "batch"}  # fmt: skip
PROXY_KEYS = {"client.proxy.connect", "client.proxy.refresh", "channel.proxy.subscribe", "channel.proxy.publish",
              "rpc.proxy"}  # fmt: skip


@pytest.mark.parametrize("cause", CAUSES, ids=lambda c: c.id)
def test_what_is_involved_is_named_as_its_kind_names_things(cause: Cause) -> None:
    involves = cause.involves
    if cause.kind is CauseKind.API_METHOD:
        assert involves in API_METHODS, cause.id
    elif cause.kind is CauseKind.PROXY_ANSWER and involves.startswith("{"):
        answer: dict[str, object] = json.loads(involves)
        assert isinstance(answer, dict) and len(answer) == 1, cause.id
        ((key, value),) = answer.items()
        assert key in ("result", "error", "disconnect"), cause.id
        if key != "result":
            assert value == {"code": cause.code}, cause.id
    elif cause.kind is CauseKind.PROXY_ANSWER:
        assert involves in PROXY_KEYS, cause.id
    else:
        # A name, not a sentence: lower case first (signal names aside), no full stop.
        assert involves[0].islower() or re.fullmatch(r"SIG[A-Z]+( or SIG[A-Z]+)*", involves), cause.id
        assert not involves.endswith("."), cause.id


def test_the_version_measured_is_named() -> None:
    assert CAUSES_MEASURED_ON == "Centrifugo v6.9.1"
    assert centrifugo_protocol.CAUSES_MEASURED_ON == CAUSES_MEASURED_ON


# --- Cause as a value -------------------------------------------------------------------------


def _make(**changes: Any) -> Cause:
    given: dict[str, Any] = {
        "situation": "Something happened.",
        "kind": CauseKind.CLIENT_ACTION,
        "involves": "a thing",
        "fix": "Do this.",
    }
    cause_id = changes.pop("id", "disconnect.4000.custom")
    given.update(changes)
    return Cause(cause_id, **given)


def test_a_cause_keeps_what_it_was_given() -> None:
    cause = _make(sender=Sender.SERVER_API)
    assert (cause.id, cause.code, cause.family) == ("disconnect.4000.custom", 4000, "DisconnectCode")
    assert (cause.situation, cause.kind, cause.involves, cause.fix) == (
        "Something happened.",
        CauseKind.CLIENT_ACTION,
        "a thing",
        "Do this.",
    )
    assert cause.sender is Sender.SERVER_API and cause.untriggerable is None
    assert _make().sender is Sender.SERVER
    assert repr(cause) == "Cause('disconnect.4000.custom')"


def test_causes_are_equal_by_every_field() -> None:
    assert _make() == _make() and hash(_make()) == hash(_make())
    for change in (
        {"id": "disconnect.4001.custom"},
        {"situation": "Else."},
        {"kind": CauseKind.CONFIG_KEY},
        {"involves": "another thing"},
        {"fix": None},
        {"sender": Sender.PROXY},
        {"untriggerable": Untriggerable.NOT_OBSERVABLE},
    ):
        assert _make(**change) != _make(), change
    assert _make() != "disconnect.4000.custom"
    assert _make().__eq__(object()) is NotImplemented


def test_a_cause_cannot_change() -> None:
    cause = CAUSES[0]
    with pytest.raises(AttributeError, match="Cause is immutable; cannot set '_fix'"):
        cause._fix = "x"  # pyright: ignore[reportPrivateUsage]
    with pytest.raises(AttributeError, match="Cause is immutable; cannot delete"):
        del cause._fix  # pyright: ignore[reportPrivateUsage]
    with pytest.raises(TypeError, match="Cause is immutable; it cannot be initialized again"):
        cause.__init__("error.100.again", situation="S.", kind=CauseKind.CONFIG_KEY, involves="x", fix=None)


def test_a_listed_cause_pickles_to_itself() -> None:
    for cause in CAUSES:
        assert pickle.loads(pickle.dumps(cause)) is cause


def test_an_unlisted_cause_does_not_pickle_to_a_wrong_one() -> None:
    from centrifugo_protocol._causes import _cause_by_id  # pyright: ignore[reportPrivateUsage]

    with pytest.raises(KeyError, match=r"no cause has the id 'disconnect\.4000\.custom'"):
        _cause_by_id(_make().id)


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"id": 3501}, TypeError, r"Cause\(\) expects id to be a str, got 3501 \(int\)"),
        ({"id": "disconnect.3501"}, ValueError, r"expects an id like 'disconnect\.3501\.no-credentials'.*'disconnect\.3501'"),
        ({"id": "close.1009.big"}, ValueError, r"got 'close\.1009\.big'"),
        ({"id": "disconnect.03501.x"}, ValueError, r"got 'disconnect\.03501\.x'"),
        ({"id": "disconnect.3501.Bad"}, ValueError, r"got 'disconnect\.3501\.Bad'"),
        ({"id": "disconnect.3501.a-"}, ValueError, r"got 'disconnect\.3501\.a-'"),
        ({"id": " disconnect.3501.a"}, ValueError, r"got ' disconnect\.3501\.a'"),
        ({"situation": " "}, ValueError, r"expects situation to say something, got ' '"),
        ({"situation": None}, TypeError, r"expects situation to be a str, got None \(NoneType\)"),
        ({"involves": ""}, ValueError, r"expects involves to say something, got ''"),
        ({"involves": b"x"}, TypeError, r"expects involves to be a str"),
        ({"fix": ""}, ValueError, r"expects fix to be None or to say something, got ''"),
        ({"fix": 1}, TypeError, r"expects fix to be a str, got 1 \(int\)"),
        ({"kind": "config key"}, TypeError, r"expects kind to be a CauseKind, got 'config key' \(str\)"),
        ({"sender": "server"}, TypeError, r"expects sender to be a Sender, got 'server' \(str\)"),
        ({"untriggerable": "never sent"}, TypeError, r"expects untriggerable to be a Untriggerable, got 'never sent'"),
        ({"sender": Sender.SDK}, ValueError, r"disconnect\.4000\.custom is a server code, so its sender must not be Sender\.SDK"),
        ({"id": "connecting.1.x"}, ValueError, r"connecting\.1\.x is a client-side code, so its sender must be Sender\.SDK, got <Sender\.SERVER"),
        ({"sender": Sender.NOBODY}, ValueError, r"Sender\.NOBODY goes with Untriggerable\.NEVER_SENT and only with it"),
        ({"untriggerable": Untriggerable.NEVER_SENT}, ValueError, r"Sender\.NOBODY goes with Untriggerable\.NEVER_SENT"),
        ({"sender": Sender.LIBRARY}, ValueError, r"a cause only a library server sends needs an Untriggerable reason"),
        ({"sender": Sender.PROXY, "untriggerable": Untriggerable.NOT_OBSERVABLE}, ValueError, r"untriggerable must be None"),
        ({"sender": Sender.SERVER_API, "untriggerable": Untriggerable.NOT_DETERMINISTIC}, ValueError, r"untriggerable must be None"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_value(changes: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        _make(**changes)


def test_the_allowed_combinations_are_accepted() -> None:
    assert _make(sender=Sender.NOBODY, untriggerable=Untriggerable.NEVER_SENT).untriggerable is Untriggerable.NEVER_SENT
    assert _make(sender=Sender.LIBRARY, untriggerable=Untriggerable.NOT_IN_CENTRIFUGO).sender is Sender.LIBRARY
    assert _make(untriggerable=Untriggerable.NOT_OBSERVABLE).sender is Sender.SERVER
    assert _make(id="connecting.0.x", sender=Sender.SDK).family == "ConnectingCode"
    assert _make(id="error.0.x").code == 0
    assert _make(id="disconnect.4294967295.x").code == 4294967295
    assert _make(fix=None).fix is None


def test_the_enums_print_their_words() -> None:
    assert [str(kind) for kind in CauseKind] == [
        "config key",
        "server API method",
        "proxy answer",
        "client action",
        "server event",
    ]
    assert [str(sender) for sender in Sender] == ["server", "proxy", "server API", "library", "SDK", "nobody"]
    assert {sender: sender.text for sender in Sender} == {
        Sender.SERVER: "the server's own features",
        Sender.PROXY: "a proxy backend's answer only",
        Sender.SERVER_API: "a server API call that names the code only",
        Sender.LIBRARY: "a server built on the centrifuge library only, never Centrifugo",
        Sender.SDK: "the client SDK itself",
        Sender.NOBODY: "nothing: the code never travels on the wire",
    }
    assert [str(reason) for reason in Untriggerable] == [
        "never sent",
        "not in Centrifugo",
        "not observable",
        "not deterministic",
    ]
    assert {reason: reason.text for reason in Untriggerable} == {
        Untriggerable.NEVER_SENT: "no frame ever carries this code, so no client can receive it",
        Untriggerable.NOT_IN_CENTRIFUGO: "Centrifugo v6.9.1 has no feature that sends it",
        Untriggerable.NOT_OBSERVABLE: "the connection it ends is already broken, so its client never receives it",
        Untriggerable.NOT_DETERMINISTIC: "it needs two requests to race, which a test cannot force",
    }


def test_the_public_types_are_the_packages() -> None:
    for name in ("Cause", "CauseKind", "Sender", "Untriggerable", "CAUSES_MEASURED_ON"):
        assert name in centrifugo_protocol.__all__
    for public in (Cause, CauseKind, Sender, Untriggerable):
        assert public.__module__ == "centrifugo_protocol"
        assert getattr(centrifugo_protocol, public.__name__) is public


def test_the_causes_load_only_when_asked_for() -> None:
    code = (
        "import sys, centrifugo_protocol as c\n"
        "before = 'centrifugo_protocol._causes' in sys.modules\n"
        "first = c.DisconnectCode.STALE.causes[0].id\n"
        "print(before, 'centrifugo_protocol._causes' in sys.modules, first)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.strip() == "False True disconnect.3502.never-connects", result.stderr


# --- What users read --------------------------------------------------------------------------


def test_sent_when_lists_each_cause_with_its_fix() -> None:
    lines = sent_when(DisconnectCode.SLOW)
    assert lines == (
        "sent when (measured on Centrifugo v6.9.1):",
        "- More data waited for the client than client.queue_max_size allows, because the client read too slowly "
        "or a single message was larger than the queue. [config key: client.queue_max_size]",
        "  fix: Raise client.queue_max_size, publish smaller messages, or give the client more bandwidth.",
    )


def test_sent_when_says_who_sends_a_code_no_feature_sends_and_why_it_cannot_be_proven() -> None:
    lines = sent_when(UnsubscribeCode.STATE_INVALIDATED)
    assert lines[0] == "sent when (measured on Centrifugo v6.9.1):"
    assert lines[1] == no_builtin_sender(UnsubscribeCode.STATE_INVALIDATED)
    assert lines[2].startswith("- A server built on the centrifuge library changed the tags filter")
    assert lines[-1] == "  not provable live: Centrifugo v6.9.1 has no feature that sends it"
    assert not any(line.startswith("  fix:") for line in lines)
    assert sent_when(ClientErrorCode.TIMEOUT) == ()


@pytest.mark.parametrize("member", _members(SERVER_FAMILIES + CLIENT_FAMILIES), ids=_name)
def test_sent_when_has_a_line_per_cause(member: Any) -> None:
    lines = sent_when(member)
    bullets = [line for line in lines if line.startswith("- ")]
    assert len(bullets) == len(member.causes)
    for line, cause in zip(bullets, member.causes, strict=True):
        assert line == f"- {cause.situation} [{cause.kind}: {cause.involves}]"
    assert sum(line.startswith("  fix: ") for line in lines) == sum(c.fix is not None for c in member.causes)


def test_records_are_json() -> None:
    (cause,) = DisconnectCode.WRITE_ERROR.causes
    assert record(cause) == {
        "id": "disconnect.3009.write-error",
        "situation": cause.situation,
        "kind": "server event",
        "involves": "a failed write to the connection",
        "fix": None,
        "sender": "server",
        "untriggerable": "not observable",
    }
    everything = [r for member in _members(SERVER_FAMILIES + CLIENT_FAMILIES) for r in records(member)]
    assert len(everything) == len(CAUSES)
    assert json.loads(json.dumps(everything)) == everything


def test_the_markdown_has_a_row_per_cause() -> None:
    text = markdown()
    lines = text.splitlines()
    assert lines[0] == (
        "Measured on Centrifugo v6.9.1. Causes are listed most common first; each id is proven by a live test, "
        "except where the last column says why none can be."
    )
    header = "| Code | Cause | Situation | Involves | Fix | Not provable live |"
    assert lines.count(header) == len(SERVER_FAMILIES + CLIENT_FAMILIES)
    assert lines[lines.index(header) + 1] == "|---|---|---|---|---|---|"
    assert text.endswith(" |\n")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`" in line.split("|")[2]]
    assert len(rows) == len(CAUSES)
    for cause in CAUSES:
        assert sum(f"| `{cause.id}` |" in row for row in rows) == 1, cause.id
    for family in SERVER_FAMILIES + CLIENT_FAMILIES:
        assert f"### `{family.__name__}`" in text
    # The note on who sends a code stands once, in its first row.
    note = no_builtin_sender(DisconnectCode.STATE_INVALIDATED)
    assert note is not None
    rows_3014 = [row for row in rows if row.startswith("| 3014 ")]
    assert len(rows_3014) == 2
    assert [note in row for row in rows_3014] == [True, False]


def test_table_cells_escape_the_column_bar() -> None:
    from centrifugo_protocol._causes import _cell  # pyright: ignore[reportPrivateUsage]

    assert _cell("a|b|c") == "a\\|b\\|c"
    assert _cell("plain") == "plain"


def test_the_markdown_of_chosen_families() -> None:
    text = markdown([ApiErrorCode])
    assert "### `ApiErrorCode`" in text and "### `ErrorCode`" not in text
    assert "| 113 `CONFLICT` | `api.113.never-sent` |" in text
    assert "nothing to fix" in text


def test_the_code_reference_shows_every_cause() -> None:
    import importlib.util
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    spec = importlib.util.spec_from_file_location("docs_hooks", docs / "hooks.py")
    assert spec is not None and spec.loader is not None
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    built: str = hooks.expand((docs / "codes.md").read_text(encoding="utf-8"), "codes.md")
    assert markdown().strip() in built
    section = built[built.index("## Why a code was sent") :]
    for cause in CAUSES:
        assert f"`{cause.id}`" in section, cause.id
