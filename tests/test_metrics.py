# pyright: reportPrivateUsage=false
"""The ``metrics`` subcommand: reading pages, summing nodes, intervals, the report and bad input.

The sample pages in ``tests/metrics_samples/`` were written for these tests from the
metric names and labels the server uses. The expected counts below are summed by hand
from those pages, not taken from the command's output. The text report is compared
with golden files; regenerate them after a deliberate change of wording with::

    CENTRIFUGO_UPDATE_GOLDEN=1 python -m pytest tests/test_metrics.py

and read the diff before committing it.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.error import URLError

import pytest
from hypothesis import given
from hypothesis import strategies as st

from centrifugo_protocol import DisconnectCode, ErrorCode, UnsubscribeCode, _metrics, classify
from centrifugo_protocol._ranges import MAX_CODE
from centrifugo_protocol.metrics import _counting, _sources

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

SAMPLES = Path(__file__).resolve().parent / "metrics_samples"
PROG = "centrifugo-codes"
ERROR_PREFIX = "centrifugo-codes metrics: error: "
UPDATE_GOLDEN = os.environ.get("CENTRIFUGO_UPDATE_GOLDEN") == "1"
NODES = ["node1.prom", "node2.prom", "node3.prom"]
OLD_NODES = ["node1-old.prom", "node2-old.prom", "node3-old.prom"]


class Result:
    def __init__(self, status: int, out: str, err: str) -> None:
        self.status = status
        self.out = out
        self.err = err

    def json(self) -> dict[str, Any]:
        report: dict[str, Any] = json.loads(self.out)
        return report


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    status = _metrics.main(list(args), PROG)
    captured = capsys.readouterr()
    return Result(status, captured.out, captured.err)


def fails(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a command that must fail on its input; return the one error line."""
    result = run(capsys, *args)
    assert result.status == 2
    assert result.out == ""
    assert result.err.startswith(ERROR_PREFIX)
    assert result.err.endswith("\n") and result.err.count("\n") == 1
    return result.err[len(ERROR_PREFIX) : -1]


def usage_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a command that argparse must refuse; return the one error line."""
    with pytest.raises(SystemExit) as exit_info:
        _metrics.main(list(args), PROG)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(ERROR_PREFIX)
    assert captured.err.count("\n") == 1
    return captured.err[len(ERROR_PREFIX) : -1]


def page(tmp_path: Path, text: str | bytes, name: str = "page.prom") -> str:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return str(path)


def by_code(family: dict[str, Any]) -> dict[int | str, int]:
    return {row["code"] if row["code"] is not None else row["label"]: row["count"] for row in family["codes"]}


def families(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {family["family"]: family for family in report["families"]}


def methods(report: dict[str, Any], code: int) -> dict[str, int]:
    rows = [row for row in families(report)["reply_errors"]["codes"] if row["code"] == code]
    return {entry["method"]: entry["count"] for entry in rows[0]["methods"]}


@pytest.fixture
def in_samples(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the samples folder, so that the report names the pages briefly."""
    monkeypatch.chdir(SAMPLES)


# --- Sums, by hand from the sample pages ------------------------------------------------

# Every node's counters since it started: node1 + node2 + node3 (in that order).
ALL_REPLY_ERRORS: dict[int | str, int] = {
    100: 3 + (2 + 1) + 1,
    101: 8,
    103: 25 + 5,
    109: 40 + 6,
    111: (30 + 2) + 10,
    150: 3,
    1000: 12 + 4,
    2001: 1,
}  # 112 counts 0 on node1 and is left out
ALL_UNSUBSCRIBES: dict[int | str, int] = {2000: 5, 2500: 2 + 3, 2502: 1, 2600: 1, 1999: 1}
ALL_DISCONNECTS: dict[int | str, int] = {
    3001: 40,
    3004: 3,
    3008: 120 + 30 + 20,
    3010: 7,
    3012: 15 + 10,
    3500: 6,
    3999: 1,
    4001: 4,
    4501: 9,
    5001: 2,
    "abc": 1,
    "4294967296": 1,
}
# node1 only: v6.9.1 writes the server API family with its _total suffix.
ALL_API_ERRORS: dict[int | str, int] = {102: 4, 107: 1, 108: 1, "unmarshal": 2}
ALL_CLOSES: dict[int | str, int] = {1000: 4, 1009: 2, 3001: 40, 3008: 118 + 30, 3010: 7, 4501: 9, 5001: 2}

# Between the snapshots: node1 - node1-old, node2 - node2-old, and node3 as it is
# (it restarted: its 3008 went from 50 down to 20).
SINCE_REPLY_ERRORS: dict[int | str, int] = {
    100: (3 - 3) + ((2 - 1) + 1) + 1,
    101: 8,
    103: (25 - 20) + 5,
    109: (40 - 30) + 6,
    111: (30 - 10) + 2 + 10,
    150: 3,
    1000: 12 + 4,
    2001: 1,
}
SINCE_UNSUBSCRIBES: dict[int | str, int] = {2500: 2 + 3, 2502: 1, 2600: 1, 1999: 1}  # 2000: 5 - 5
SINCE_DISCONNECTS: dict[int | str, int] = {
    3004: 3,
    3008: (120 - 100) + (30 - 10) + 20,
    3012: (15 - 5) + 10,
    3500: 6,
    3999: 1,
    4001: 4,
    4501: 9,
    5001: 2,
    "abc": 1,
    "4294967296": 1,
}  # 3001: 40 - 40, 3010: 7 - 7
SINCE_API_ERRORS: dict[int | str, int] = {102: 4 - 1, 107: 1, 108: 1, "unmarshal": 2}
SINCE_CLOSES: dict[int | str, int] = {1000: 4, 1009: 2, 3008: (118 - 100) + (30 - 10), 4501: 9, 5001: 2}


# --- The report as JSON -------------------------------------------------------------------

NODE_KEYS = {"node", "source", "since", "namespace", "restarted", "totals"}
FAMILY_KEYS = {"family", "metric", "total", "codes"}
CODE_KEYS = {"code", "label", "kind", "name", "range", "count", "share", "client", "meaning", "methods"}
KINDS = {"known", "application", "client_side", "transport", "unlisted", "invalid", "stage"}
METHOD_KEYS = {"method", "protocol", "count", "client"}


def check_schema(report: dict[str, Any]) -> None:
    assert set(report) == {"interval", "nodes", "families", "notes"}
    assert report["interval"] in ("since_start", "between_snapshots")
    for node in report["nodes"]:
        assert set(node) == NODE_KEYS
        assert set(node["totals"]) == {"reply_errors", "unsubscribes", "disconnects", "closes", "api_errors"}
    assert [family["family"] for family in report["families"]] == [
        "reply_errors",
        "unsubscribes",
        "disconnects",
        "closes",
        "api_errors",
    ]
    assert [family["metric"] for family in report["families"]] == [
        "client_num_reply_errors",
        "client_num_server_unsubscribes",
        "client_num_server_disconnects",
        "transport_outgoing_close_count",
        "api_command_errors_total",
    ]
    for family in report["families"]:
        assert set(family) == FAMILY_KEYS
        assert family["total"] == sum(row["count"] for row in family["codes"])
        counts = [row["count"] for row in family["codes"]]
        assert counts == sorted(counts, reverse=True)
        for row in family["codes"]:
            assert set(row) == CODE_KEYS
            assert row["kind"] in KINDS
            assert row["count"] > 0
            assert row["share"] == round(100 * row["count"] / family["total"], 2)
            assert (row["methods"] is not None) == (family["family"] in ("reply_errors", "api_errors"))
            assert (row["code"] is None) == (row["kind"] in ("invalid", "stage"))
            assert (row["name"] is not None) == (row["kind"] in ("known", "stage"))
            assert (row["kind"] == "stage") <= (family["family"] == "api_errors")
            if row["methods"] is not None:
                assert sum(entry["count"] for entry in row["methods"]) == row["count"]
                for entry in row["methods"]:
                    assert set(entry) == METHOD_KEYS
                    assert (entry["protocol"] is None) == (family["family"] == "reply_errors")
    for note in report["notes"]:
        assert set(note) == {"rule", "text"}


def test_json_sums_every_node(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    report = run(capsys, "--json", *NODES).json()
    check_schema(report)
    assert report["interval"] == "since_start"
    found = families(report)
    assert by_code(found["reply_errors"]) == ALL_REPLY_ERRORS
    assert by_code(found["unsubscribes"]) == ALL_UNSUBSCRIBES
    assert by_code(found["disconnects"]) == ALL_DISCONNECTS
    assert by_code(found["closes"]) == ALL_CLOSES
    assert by_code(found["api_errors"]) == ALL_API_ERRORS
    api_rows = {row["label"]: row for row in found["api_errors"]["codes"]}
    assert api_rows["108"]["methods"] == [{"method": "history", "protocol": "grpc", "count": 1, "client": "-"}]
    assert found["reply_errors"]["total"] == 153
    assert found["disconnects"]["total"] == 269
    assert methods(report, 100) == {"connect": 2 + 1, "publish": 3, "subscribe": 1}
    assert methods(report, 111) == {"publish": 30 + 10, "refresh": 2}
    assert methods(report, 1000) == {"rpc": 12, "subscribe": 4}
    assert [node["source"] for node in report["nodes"]] == NODES
    assert [node["since"] for node in report["nodes"]] == [None, None, None]
    assert [node["restarted"] for node in report["nodes"]] == [False, False, False]
    assert report["nodes"][0]["totals"] == {
        "reply_errors": 3 + 8 + 40 + 6 + 25 + 30 + 2 + 12,
        "unsubscribes": 5 + 2 + 1,
        "disconnects": 40 + 120 + 15 + 6 + 4 + 9,
        "closes": 2 + 40 + 118 + 9,
        "api_errors": 4 + 1 + 1 + 2,
    }
    assert report["nodes"][2]["totals"] == {
        "reply_errors": 1,
        "unsubscribes": 0,
        "disconnects": 23,
        "closes": 0,
        "api_errors": 0,
    }


def test_json_over_an_interval_with_a_restarted_node(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    args = [f"--since={old}" for old in OLD_NODES]
    report = run(capsys, "--json", *NODES, *args).json()
    check_schema(report)
    assert report["interval"] == "between_snapshots"
    found = families(report)
    assert by_code(found["reply_errors"]) == SINCE_REPLY_ERRORS
    assert by_code(found["unsubscribes"]) == SINCE_UNSUBSCRIBES
    assert by_code(found["disconnects"]) == SINCE_DISCONNECTS
    assert by_code(found["closes"]) == SINCE_CLOSES
    assert by_code(found["api_errors"]) == SINCE_API_ERRORS
    assert methods(report, 100) == {"connect": 1 + 1, "subscribe": 1}
    assert [node["since"] for node in report["nodes"]] == OLD_NODES
    assert [node["restarted"] for node in report["nodes"]] == [False, False, True]
    assert report["nodes"][2]["totals"]["disconnects"] == 20 + 3
    restarted = [note for note in report["notes"] if note["rule"] == "restarted"]
    assert len(restarted) == 1
    assert restarted[0]["text"].startswith("Node 3 (node3.prom) restarted between the two snapshots")


def test_json_rows_carry_the_package_facts(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    report = run(capsys, "--json", *NODES).json()
    rows = {(family["family"], row["label"]): row for family in report["families"] for row in family["codes"]}
    slow = rows["disconnects", "3008"]
    assert slow["name"] == DisconnectCode.SLOW.name
    assert slow["meaning"] == DisconnectCode.SLOW.description
    assert slow["kind"] == "known"
    assert slow["range"] == "server, reconnect (3000-3499)"
    assert slow["client"] == "reconnects"
    assert slow["share"] == round(100 * 170 / 269, 2)
    assert rows["disconnects", "4501"]["range"] == "application, terminal (4500-4999)"
    assert rows["disconnects", "4501"]["kind"] == "application"
    assert rows["disconnects", "4501"]["client"] == "stops"
    assert rows["disconnects", "4501"]["name"] is None
    assert rows["disconnects", "3999"]["kind"] == "unlisted"
    assert rows["disconnects", "3999"]["range"] == "server, terminal (3500-3999)"
    assert rows["disconnects", "5001"]["range"] == "unassigned (5000 and up)"
    invalid = rows["disconnects", "abc"]
    assert (invalid["code"], invalid["kind"], invalid["name"], invalid["range"], invalid["client"]) == (
        None,
        "invalid",
        None,
        None,
        "-",
    )
    assert rows["disconnects", "4294967296"]["code"] is None
    assert rows["closes", "1009"]["client"] == "stops"  # a 1009 close stops the client
    assert rows["closes", "1009"]["kind"] == "transport"
    assert rows["closes", "1000"]["client"] == "reconnects"
    assert rows["closes", "1000"]["range"] == "transport close (0-2999)"
    assert rows["unsubscribes", "2600"]["client"] == "resubscribes"
    assert rows["unsubscribes", "2600"]["range"] == "server, resubscribe (2500-2999)"
    assert rows["unsubscribes", "1999"]["client"] == "ends the subscription"
    assert rows["unsubscribes", "1999"]["range"] == "not an unsubscribe code (0-1999)"
    assert rows["unsubscribes", "2000"]["range"] == "server, ends (2000-2499)"
    assert rows["reply_errors", "109"]["client"] == "new token"
    assert rows["reply_errors", "111"]["client"] == "retries"
    assert rows["reply_errors", "103"]["client"] == "gives up"
    assert rows["reply_errors", "103"]["meaning"] == ErrorCode.PERMISSION_DENIED.description
    assert rows["reply_errors", "1000"]["client"] == "per wire flag"
    assert rows["reply_errors", "1000"]["kind"] == "application"
    assert rows["reply_errors", "150"]["kind"] == "unlisted"
    assert rows["reply_errors", "150"]["range"] == "server (100-399)"
    assert rows["reply_errors", "2001"]["range"] == "outside the error ranges (2000 and up)"
    assert rows["unsubscribes", "2502"]["meaning"] == UnsubscribeCode.STATE_INVALIDATED.description
    per_method = {entry["method"]: entry["client"] for entry in rows["reply_errors", "109"]["methods"]}
    assert per_method == {
        "connect": "fetches a new token and reconnects",
        "subscribe": "fetches a new token and resubscribes",
    }
    per_method = {entry["method"]: entry["client"] for entry in rows["reply_errors", "1000"]["methods"]}
    assert per_method == {"rpc": "error to the app", "subscribe": "per wire flag"}


# --- The text report ----------------------------------------------------------------------


def golden(name: str, text: str) -> None:
    path = SAMPLES / name
    if UPDATE_GOLDEN:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; see the module docstring to regenerate it"


def check_width(text: str) -> None:
    for line in text.splitlines():
        assert len(line) <= 80, line
        assert line == line.rstrip(), line


def test_text_report_golden(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    result = run(capsys, *NODES)
    assert (result.status, result.err) == (0, "")
    check_width(result.out)
    golden("report.txt", result.out)


def test_text_report_over_an_interval_golden(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    result = run(capsys, *NODES, *(arg for old in OLD_NODES for arg in ("--since", old)))
    assert (result.status, result.err) == (0, "")
    check_width(result.out)
    golden("report-since.txt", result.out)
    assert "Node 3: node3.prom (namespace centrifugo), since node3-old.prom; it restarted in" in result.out


def test_text_and_json_agree(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    text = run(capsys, *NODES).out
    report = run(capsys, "--json", *NODES).json()
    for family in report["families"]:
        for row in family["codes"]:
            shown = "stage of the call" if row["kind"] == "stage" else row["name"] or row["range"] or "not a code"
            count = f"{row['count']:,}"
            share = f"{100 * row['count'] / family['total']:.1f}%"
            assert any(
                line.split()[:1] == [row["label"] if row["kind"] != "invalid" else ascii(row["label"])]
                and shown in line
                and count in line
                and share in line
                for line in text.splitlines()
            ), row


def test_one_node_with_nothing_counted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = page(tmp_path, "# TYPE centrifugo_node_num_clients gauge\ncentrifugo_node_num_clients 3\n")
    result = run(capsys, source)
    assert result.status == 0
    lines = result.out.splitlines()
    assert lines[0] == "Protocol codes counted by 1 node (namespace centrifugo). Counts since each node"
    assert "Reply errors (centrifugo_client_num_reply_errors): none counted" in lines
    assert "Close frames sent (centrifugo_transport_outgoing_close_count): none counted" in lines
    assert lines[-1] == "Notes: none."
    report = run(capsys, "--json", source).json()
    check_schema(report)
    assert all(family["total"] == 0 and family["codes"] == [] for family in report["families"])
    assert report["notes"] == []


def test_zero_counts_are_left_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = page(
        tmp_path,
        'centrifugo_client_num_server_disconnects{code="3001"} 0\n'
        'centrifugo_client_num_server_disconnects{code="3008"} 4\n'
        'centrifugo_client_num_reply_errors{code="100",method="connect"} 0\n'
        'centrifugo_client_num_reply_errors{code="100",method="publish"} 2\n',
    )
    report = run(capsys, "--json", source).json()
    assert by_code(families(report)["disconnects"]) == {3008: 4}
    assert methods(report, 100) == {"publish": 2}


# --- Names: both namespaces, --namespace, suffixes ------------------------------------------


def test_the_go_library_namespace_is_found(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    report = run(capsys, "--json", "gonode.prom").json()
    assert report["nodes"][0]["namespace"] == "centrifuge"
    assert by_code(families(report)["disconnects"]) == {3008: 5, 4500: 1}
    text = run(capsys, "gonode.prom").out
    assert "Server disconnects (centrifuge_client_num_server_disconnects): 6" in text


def test_nodes_of_both_namespaces_add_up(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    report = run(capsys, "--json", "node1.prom", "gonode.prom").json()
    assert [node["namespace"] for node in report["nodes"]] == ["centrifugo", "centrifuge"]
    assert by_code(families(report)["disconnects"])[3008] == 120 + 5
    text = run(capsys, "node1.prom", "gonode.prom").out
    assert "(namespace centrifuge, centrifugo)" in text
    assert "Server disconnects (<ns>_client_num_server_disconnects): " in text


def test_namespace_option(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    report = run(capsys, "--json", "--namespace", "myapp", "myapp.prom").json()
    assert report["nodes"][0]["namespace"] == "myapp"
    assert by_code(families(report)["disconnects"]) == {3012: 7}
    # Without it, the stray centrifugo_ metric makes the page a Centrifugo page with
    # none of the four families.
    report = run(capsys, "--json", "myapp.prom").json()
    assert all(family["total"] == 0 for family in report["families"])
    assert "no metric named gonode_*" in fails(capsys, "--namespace", "gonode", "gonode.prom")


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("# TYPE centrifugo_client_num_server_disconnects counter\n", "centrifugo_client_num_server_disconnects"),
        ("# TYPE centrifugo_client_num_server_disconnects counter\n", "centrifugo_client_num_server_disconnects_total"),
        (
            "# TYPE centrifugo_client_num_server_disconnects_total counter\n",
            "centrifugo_client_num_server_disconnects_total",
        ),
        ("# TYPE centrifugo_client_num_server_disconnects untyped\n", "centrifugo_client_num_server_disconnects"),
        ("", "centrifugo_client_num_server_disconnects_total"),
        ("", "centrifugo_client_num_server_disconnects"),
    ],
)
def test_total_suffix_in_every_form(capsys: pytest.CaptureFixture[str], tmp_path: Path, header: str, name: str) -> None:
    source = page(tmp_path, f'{header}{name}{{code="3012"}} 5\n{name}{{code="3001"}} 2\n')
    assert by_code(families(run(capsys, "--json", source).json())["disconnects"]) == {3012: 5, 3001: 2}


def test_other_metrics_are_ignored(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = page(
        tmp_path,
        'centrifugo_client_num_server_disconnects_created{code="3012"} 1.7e9\n'
        'centrifugo_client_num_server_disconnects_total_total{code="3012"} 4\n'
        'centrifugo_client_num_server_disconnects{code="3012"} 1\n'
        'centrifuge_client_num_server_disconnects{code="3012"} 9\n',
    )
    # Detection sees both namespaces here, so name one.
    report = run(capsys, "--json", "--namespace", "centrifugo", source).json()
    assert by_code(families(report)["disconnects"]) == {3012: 1}


def test_extra_labels_are_summed_and_a_repeated_series_is_a_page_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = [
        'centrifugo_client_num_reply_errors{code="103",method="subscribe",channel_namespace="a",client_name="js"} 2\n',
        'centrifugo_client_num_reply_errors{code="103",method="subscribe",channel_namespace="b",client_name="go"} 3\n',
        'centrifugo_client_num_reply_errors{code="0103",method="subscribe",channel_namespace="b",client_name="go"} 1\n',
    ]
    report = run(capsys, "--json", page(tmp_path, "".join(lines))).json()
    rows = families(report)["reply_errors"]["codes"]
    assert [(row["code"], row["label"], row["count"]) for row in rows] == [(103, "103", 2 + 3 + 1)]
    # The same series again (in another label order), or as both x and x_total.
    again = (
        'centrifugo_client_num_reply_errors{method="subscribe",code="103",client_name="js",channel_namespace="a"} 4\n'
    )
    twice = fails(capsys, page(tmp_path, "".join([*lines, again])))
    assert ": the series centrifugo_client_num_reply_errors{channel_namespace='a',client_name='js'," in twice
    assert twice.endswith(" is on the page twice (with or without _total)")
    total = 'centrifugo_client_num_server_disconnects{code="3001"} 1\ncentrifugo_client_num_server_disconnects_total{code="3001"} 1\n'
    assert "is on the page twice" in fails(capsys, page(tmp_path, total))


def test_labels_that_are_no_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    labels = ["", "-1", "3.5", " 3008", "٣٠٠٨", "4294967296", "99999999999999999999999", "x" * 300, "é"]
    lines = [f'centrifugo_client_num_server_disconnects{{code="{label}"}} 1' for label in labels]
    lines.append('centrifugo_client_num_reply_errors{method="connect"} 1')  # no code label at all
    lines.append('centrifugo_client_num_reply_errors{code="4294967295"} 2')  # no method label
    source = page(tmp_path, "\n".join(lines) + "\n")
    report = run(capsys, "--json", source).json()
    check_schema(report)
    disconnects = families(report)["disconnects"]["codes"]
    assert sorted(row["label"] for row in disconnects) == sorted(labels)
    assert all(row["kind"] == "invalid" for row in disconnects)
    errors = {row["label"]: row for row in families(report)["reply_errors"]["codes"]}
    assert errors[""]["methods"] == [{"method": "connect", "protocol": None, "count": 1, "client": "-"}]
    assert errors["4294967295"]["methods"] == [
        {"method": "", "protocol": None, "count": 2, "client": "error to the app"}
    ]
    assert errors["4294967295"]["range"] == "outside the error ranges (2000 and up)"
    result = run(capsys, source)
    check_width(result.out)
    assert "  - 10 counted with a code label that is not a whole number" in result.out
    assert "\n  ''          not a code" in result.out
    assert "\n  '\\xe9'        not a code" in result.out
    assert "\n  'xxxxxxxx...  not a code" in result.out
    # A label that only looks like a code is quoted, so it cannot pass for one.
    assert "\n  ' 3008'       not a code" in result.out
    assert "by method: '' 2 (error to the app)" in result.out


def test_huge_counts_and_codes_still_fit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    big = 2**53
    source = page(
        tmp_path,
        f'centrifugo_client_num_server_unsubscribes{{code="4294967295"}} {big}\n'
        f'centrifugo_client_num_server_unsubscribes{{code="2000"}} {big}\n'
        f'centrifugo_client_num_reply_errors{{code="1999",method="{"m" * 60}"}} {big}\n',
    )
    result = run(capsys, source, source, source)
    assert result.status == 0
    check_width(result.out)
    assert f"{3 * big:,}" in result.out
    assert "  4294967295  not an u...  27,021,597,764,222,976   50.0%  resubscribes\n" in result.out


# --- Notes ----------------------------------------------------------------------------------


def notes(capsys: pytest.CaptureFixture[str], source: str) -> dict[str, str]:
    """The report's rule notes, without the cause notes (tests of their own, below)."""
    report = run(capsys, "--json", source).json()
    return {note["rule"]: note["text"] for note in report["notes"] if not note["rule"].startswith("cause_")}


def cause_notes(capsys: pytest.CaptureFixture[str], source: str) -> dict[str, str]:
    report = run(capsys, "--json", source).json()
    return {note["rule"]: note["text"] for note in report["notes"] if note["rule"].startswith("cause_")}


def disconnects_page(tmp_path: Path, counts: dict[int, int], name: str = "page.prom") -> str:
    text = "".join(f'centrifugo_client_num_server_disconnects{{code="{code}"}} {n}\n' for code, n in counts.items())
    return page(tmp_path, text, name)


def test_golden_notes_name_their_rules(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    found = notes(capsys, "node1.prom")
    assert set(found) == {
        "insufficient_state",
        "slow",
        "too_many_requests",
        "server_error",
        "invalid_token",
        "server_terminal",
        "application_terminal",
        "application_errors",
    }
    assert found["slow"].startswith("120 of 194 server disconnects (61.9%; noted from 10%) were 3008 (slow): ")
    # 3012 is 15 of 194 here (7.7%): below the mark, so no note.
    assert found["insufficient_state"].startswith("2 unsubscribes 2500 (insufficient state): ")
    assert found["invalid_token"].startswith("6 disconnects 3500 (invalid token): ")
    assert found["server_terminal"].startswith("6 disconnects in the server's terminal band 3500-3999: ")
    assert found["application_terminal"].startswith("9 disconnects in the application's terminal band 4500-4999: ")
    assert found["application_errors"].startswith("12 reply errors with application codes 400-1999: ")
    assert found["server_error"].startswith("3 reply errors 100 (internal server error): ")
    assert found["too_many_requests"].startswith("32 reply errors 111 (too many requests): ")


@pytest.mark.parametrize(("member", "rule"), [(DisconnectCode.SLOW, "slow"), (DisconnectCode.NO_PONG, "no_pong")])
def test_frequent_means_ten_percent_or_more(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, member: DisconnectCode, rule: str
) -> None:
    at = disconnects_page(tmp_path, {member.code: 1, 3001: 9}, "at.prom")
    assert notes(capsys, at)[rule] == (
        f"1 of 10 server disconnects (10.0%; noted from 10%) were {member.code} ({member.reason}): "
        + notes(capsys, at)[rule].split(": ", 1)[1]
    )
    below = disconnects_page(tmp_path, {member.code: 1, 3001: 10}, "below.prom")
    assert rule not in notes(capsys, below)


def test_rate_limit_note_from_either_family(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert "too_many_requests" in notes(capsys, disconnects_page(tmp_path, {3013: 1, 3001: 9}))
    assert "too_many_requests" not in notes(capsys, disconnects_page(tmp_path, {3013: 1, 3001: 10}))
    errors = page(
        tmp_path,
        'centrifugo_client_num_reply_errors{code="111",method="publish"} 1\n'
        'centrifugo_client_num_reply_errors{code="103",method="publish"} 10\n',
    )
    assert "too_many_requests" not in notes(capsys, errors)
    errors = page(
        tmp_path,
        'centrifugo_client_num_reply_errors{code="111",method="publish"} 1\n'
        'centrifugo_client_num_reply_errors{code="103",method="publish"} 9\n',
    )
    assert notes(capsys, errors)["too_many_requests"].startswith("1 reply error 111 (too many requests): ")


def test_notes_at_any_count(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    many = {3001: 10_000}
    found = notes(capsys, disconnects_page(tmp_path, {**many, 3010: 1, 3004: 1, 3500: 1, 3502: 1, 4999: 1}))
    assert found["insufficient_state"].startswith("1 disconnect 3010 (insufficient state): ")
    assert found["server_error"].startswith("1 disconnect 3004 (internal server error): ")
    assert found["invalid_token"].startswith("1 disconnect 3500 ")
    assert found["server_terminal"].startswith("2 disconnects in the server's terminal band 3500-3999")
    assert found["application_terminal"].startswith(
        "1 disconnect in the application's terminal band 4500-4999: sent by the application"
    )
    assert found["application_terminal"].endswith("that client stops and does not reconnect by itself.")
    assert found["server_terminal"].endswith("those clients stop and do not reconnect by themselves.")
    found = notes(capsys, disconnects_page(tmp_path, {**many, 3502: 1}))
    assert set(found) == {"server_terminal"}
    assert notes(capsys, disconnects_page(tmp_path, {**many, 4499: 1, 4000: 1})) == {}
    assert set(notes(capsys, disconnects_page(tmp_path, {**many, 3003: 1}))) == {"unlisted"}
    assert set(notes(capsys, disconnects_page(tmp_path, {**many, 2999: 1}))) == set()  # a transport code


def test_unsubscribe_insufficient_state_alone(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = page(tmp_path, 'centrifugo_client_num_server_unsubscribes{code="2500"} 3\n')
    assert set(notes(capsys, source)) == {"insufficient_state"}


def test_reply_errors_with_client_side_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # The server never sends these, but a page may say so; the range decides.
    source = page(tmp_path, 'centrifugo_client_num_reply_errors{code="7",method="connect"} 2\n')
    report = run(capsys, "--json", source).json()
    row = families(report)["reply_errors"]["codes"][0]
    assert (row["kind"], row["range"], row["client"], row["name"]) == (
        "client_side",
        "client side (0-99)",
        "retries",
        None,
    )
    assert row["methods"] == [{"method": "connect", "protocol": None, "count": 2, "client": "reconnects"}]


def test_disconnects_with_transport_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    report = run(capsys, "--json", disconnects_page(tmp_path, {1001: 2})).json()
    row = families(report)["disconnects"]["codes"][0]
    assert (row["kind"], row["range"], row["client"]) == ("transport", "transport close (0-2999)", "reconnects")


# --- Reading: stdin, URLs ---------------------------------------------------------------------


def stdin_with(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    stdin_with(monkeypatch, (SAMPLES / "node1.prom").read_bytes())
    report = run(capsys, "--json", "-").json()
    assert report["nodes"][0]["source"] == "-"
    assert by_code(families(report)["disconnects"])[3008] == 120
    stdin_with(monkeypatch, (SAMPLES / "node1.prom").read_bytes())
    assert run(capsys, "-").out.splitlines()[2] == "Node 1: stdin (namespace centrifugo)"


def test_stdin_as_the_old_snapshot(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    stdin_with(monkeypatch, (SAMPLES / "node1-old.prom").read_bytes())
    report = run(capsys, "--json", str(SAMPLES / "node1.prom"), "--since", "-").json()
    assert by_code(families(report)["disconnects"])[3008] == 120 - 100


def test_stdin_twice_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert usage_error(capsys, "-", "-") == "standard input (-) can be read only once"
    assert usage_error(capsys, "-", "x", "--since", "-", "--since", "y") == "standard input (-) can be read only once"


def test_no_stdin_at_all(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    assert fails(capsys, "-") == "stdin: there is no standard input to read"


def test_stdin_that_fails_to_read(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def read1(self, size: int) -> bytes:
            raise OSError(5, "Input/output error")

    class Stdin:
        buffer = Broken()

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert fails(capsys, "-") == "stdin: cannot read: Input/output error"


class Handler(http.server.BaseHTTPRequestHandler):
    """Serves the sample pages, and the ways a server can go wrong."""

    pages: ClassVar[dict[str, bytes]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def answer(self, body: bytes, length: int | None = None, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        # The client may give up first, as tests make it.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.route()

    def route(self) -> None:
        path = self.path
        if path.startswith("/metrics/"):
            self.answer(self.pages[path.removeprefix("/metrics/")])
        elif path == "/accept":  # a page in the text format only for those who ask for it
            if self.headers["Accept"].startswith("text/plain;version=0.0.4"):
                self.answer(b"centrifugo_node_num_clients 1\n")
            else:
                self.answer(b"<html>ask for text/plain</html>\n")
        elif path == "/missing":
            self.send_error(404, "Not Found")
        elif path == "/html":
            self.answer(b"<!doctype html><html><body>Hello</body></html>\n")
        elif path == "/big":
            self.answer(b"centrifugo_node_num_clients 1\n" * 200)
        elif path == "/short":
            self.answer(b"centrifugo_node_num_clients 1\n", length=1000)
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"1e\r\ncentrifugo_node_num_clients 1\n\r\n")  # and no last chunk
        elif path == "/garbled":
            self.wfile.write(b"NONSENSE\r\n\r\n")
        elif path == "/slow":
            time.sleep(1.0)
            self.answer(b"centrifugo_node_num_clients 1\n")
        elif path == "/stall":  # headers and one line, then nothing for a while
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"centrifugo_node_num_clients 1\n")
            self.wfile.flush()
            time.sleep(1.0)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(40):  # at most 4 s, then the handler ends by itself
                self.wfile.write(b"# still coming\n")
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self.send_error(500)


@pytest.fixture(scope="module")
def http_server() -> Iterator[str]:
    Handler.pages = {path.name: path.read_bytes() for path in SAMPLES.glob("*.prom")}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture
def server(http_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test server's address, reached directly whatever proxy the environment names."""
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1")
    return http_server


def test_urls_read_like_files(capsys: pytest.CaptureFixture[str], server: str, in_samples: None) -> None:
    urls = [f"{server}/metrics/{name}" for name in NODES]
    olds = [arg for name in OLD_NODES for arg in ("--since", f"{server}/metrics/{name}")]
    from_urls = run(capsys, "--json", *urls, *olds).json()
    from_files = run(capsys, "--json", *NODES, *(arg for old in OLD_NODES for arg in ("--since", old))).json()
    assert from_urls["families"] == from_files["families"]
    assert [node["source"] for node in from_urls["nodes"]] == urls
    assert from_urls["notes"][1:] == from_files["notes"][1:]  # the first names the restarted node's source


def test_url_asks_for_the_text_format(capsys: pytest.CaptureFixture[str], server: str) -> None:
    assert run(capsys, f"{server}/accept").status == 0


def test_url_errors(capsys: pytest.CaptureFixture[str], server: str) -> None:
    where = server
    assert fails(capsys, f"{server}/missing") == f"{where}/missing: the server answered HTTP 404 Not Found"
    assert fails(capsys, f"{server}/html").startswith(f"{where}/html: not the Prometheus text format (")
    assert fails(capsys, "--max-bytes", "1000", f"{server}/big") == (
        f"{where}/big: the page is larger than 1000 bytes (--max-bytes)"
    )
    assert run(capsys, "--max-bytes", "6000", f"{server}/big").status == 0  # 200 lines of 30 bytes
    assert fails(capsys, f"{server}/short") == f"{where}/short: the answer ended {1000 - 30} bytes short of its length"
    assert fails(capsys, f"{server}/chunked") == f"{where}/chunked: the server's answer is broken (IncompleteRead)"
    assert fails(capsys, f"{server}/garbled") == f"{where}/garbled: the server's answer is broken (BadStatusLine)"


def test_url_timeouts(capsys: pytest.CaptureFixture[str], server: str) -> None:
    started = time.monotonic()
    assert (
        fails(capsys, "--timeout", "0.3", f"{server}/slow")
        == f"{server}/slow: no complete answer within 0.3 s (--timeout)"
    )
    assert (
        fails(capsys, "--timeout", "0.3", f"{server}/stall")
        == f"{server}/stall: no complete answer within 0.3 s (--timeout)"
    )
    assert fails(capsys, "--timeout", "0.5", f"{server}/drip") == (
        f"{server}/drip: no complete answer within 0.5 s (--timeout)"
    )
    assert time.monotonic() - started < 4


def test_unreachable_url(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port that nothing listens on once this closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/metrics"
    assert fails(capsys, url).startswith(f"{url}: cannot connect: ")
    assert fails(capsys, "http://") == "http://: cannot connect: no host given"
    assert fails(capsys, "http://127.0.0.1:port/") == (
        "http://127.0.0.1:port/: not a usable URL (nonnumeric port: 'port')"
    )


def test_connect_timeout(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.request

    def refuse(*args: object, **kwargs: object) -> object:
        raise URLError(TimeoutError("timed out"))

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    assert fails(capsys, "--timeout", "2", "HTTPS://example.invalid/m") == (
        "HTTPS://example.invalid/m: no complete answer within 2 s (--timeout)"
    )


# --- Bad pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2.5", "2.5"),
        ("NaN", "nan"),
        ("+Inf", "inf"),
        ("-Inf", "-inf"),
        ("-1", "-1"),
        ("-1.0", "-1"),
        ("-0.5", "-0.5"),
        ("1e16", "1e+16"),
        ("-9007199254740992.0", "-9007199254740992"),
        ("-9007199254740994.0", "-9007199254740994.0"),
        ("1e300", "1e+300"),
    ],
)
def test_counts_that_are_not_counts(capsys: pytest.CaptureFixture[str], tmp_path: Path, value: str, shown: str) -> None:
    source = page(tmp_path, f'centrifugo_client_num_server_disconnects{{code="3012"}} {value}\n')
    assert fails(capsys, source) == (
        f"{source}: centrifugo_client_num_server_disconnects{{code='3012'}} has the value {shown}; a count "
        f"must be a whole number from 0 to 2**53"
    )


@pytest.mark.parametrize("value", ["3.0", "1e3", "0", "9007199254740992", "0.0"])
def test_whole_floats_are_counts(capsys: pytest.CaptureFixture[str], tmp_path: Path, value: str) -> None:
    source = page(tmp_path, f'centrifugo_client_num_server_disconnects{{code="3012"}} {value}\n')
    counts = by_code(families(run(capsys, "--json", source).json())["disconnects"])
    assert counts == ({3012: int(float(value))} if float(value) else {})


@pytest.mark.parametrize(
    "text",
    [
        "<html><body>Not found</body></html>\n",
        '{"error": "not found"}\n',
        "404 page not found\n",
        "centrifugo_client_num_server_disconnects{code=3012} 1\n",
        'centrifugo_client_num_server_disconnects{code="3012"}\n',
        "# TYPE centrifugo_x\n",
    ],
)
def test_pages_in_another_format(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str) -> None:
    source = page(tmp_path, text)
    assert fails(capsys, source).startswith(f"{source}: not the Prometheus text format (")


def test_not_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = page(tmp_path, b'centrifugo_client_num_server_disconnects{code="\xff"} 1\n')
    assert fails(capsys, source) == f"{source}: the page is not UTF-8 text"


@pytest.mark.parametrize("text", ["", "# just a comment\n", "go_goroutines 5\nprocess_open_fds 7\n"])
def test_pages_without_centrifugo_metrics(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str) -> None:
    source = page(tmp_path, text)
    assert fails(capsys, source) == (
        f"{source}: no metric named centrifugo_* or centrifuge_*, so this is not a Centrifugo metrics page "
        f"(a server with its own namespace needs --namespace)"
    )


def test_a_page_with_both_namespaces(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = page(tmp_path, "centrifugo_node_num_clients 1\ncentrifuge_node_num_clients 2\n")
    assert fails(capsys, source) == (
        f"{source}: has metrics of both namespaces centrifugo and centrifuge; choose one with --namespace"
    )


def test_the_old_snapshot_is_read_with_the_new_pages_namespace(
    capsys: pytest.CaptureFixture[str], in_samples: None
) -> None:
    assert fails(capsys, "node1.prom", "--since", "gonode.prom").startswith(
        "gonode.prom: no metric named centrifugo_*, "
    )


def test_a_huge_page(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lines = [f'centrifugo_client_num_server_disconnects{{code="{code}"}} 1\n' for code in range(3000, 3100)]
    size = len("".join(lines))
    source = page(tmp_path, "".join(lines))
    assert fails(capsys, "--max-bytes", str(size - 1), source) == (
        f"{source}: the page is larger than {size - 1} bytes (--max-bytes)"
    )
    assert by_code(
        families(run(capsys, "--json", "--max-bytes", str(size), source).json())["disconnects"]
    ) == dict.fromkeys(range(3000, 3100), 1)
    assert _sources.DEFAULT_MAX_BYTES == 64 * 1024 * 1024


def test_a_huge_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = page(tmp_path, "#" * 50_000)
    assert "larger than 10000 bytes" in fails(capsys, "--max-bytes", "10000", source)


def test_files_that_cannot_be_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.prom")
    assert fails(capsys, missing) == f"{missing}: cannot open: No such file or directory"
    assert fails(capsys, str(tmp_path)) == f"{tmp_path}: cannot open: Is a directory"
    odd = str(tmp_path / "odd\nname")
    assert fails(capsys, odd) == f"{odd!r}: cannot open: No such file or directory"


def test_the_first_bad_source_stops_the_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, in_samples: None
) -> None:
    missing = str(tmp_path / "missing.prom")
    assert fails(capsys, "node1.prom", missing).startswith(f"{missing}: cannot open")


# --- Arguments ----------------------------------------------------------------------------------


def test_since_once_per_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert usage_error(capsys, "a", "b", "--since", "c") == "give --since once per SOURCE, in the same order (1 for 2)"
    assert usage_error(capsys, "a", "--since", "b", "--since", "c") == (
        "give --since once per SOURCE, in the same order (2 for 1)"
    )


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "nan", "inf", "3600.5", ""])
def test_bad_timeout(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    assert usage_error(capsys, "--timeout", bad, "x") == (
        f"argument --timeout: {bad!r} is not a number of seconds above 0 and at most 3600"
    )


@pytest.mark.parametrize("bad", ["0", "-1", "1e3", "abc", "", "1234567890123", "٣"])
def test_bad_max_bytes(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    assert usage_error(capsys, "--max-bytes", bad, "x") == (
        f"argument --max-bytes: {bad!a} is not a whole number of bytes above 0"
    )


@pytest.mark.parametrize("bad", ["", "1abc", "a-b", "a:b", "ns é"])
def test_bad_namespace(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    assert usage_error(capsys, "--namespace", bad, "x") == (
        f"argument --namespace: {bad!a} is not a metrics namespace ([A-Za-z_][A-Za-z0-9_]*)"
    )


def test_good_option_values(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    assert (
        run(capsys, "--timeout", "3600", "--max-bytes", "999999999999", "--namespace", "_A9", "myapp.prom").status == 2
    )
    assert run(capsys, "--timeout", "0.001", "--namespace", "centrifugo", "myapp.prom").status == 0


def test_no_source_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert usage_error(capsys) == "give at least one SOURCE, or --prometheus URL"


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _metrics.main(["--help"], PROG)
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: centrifugo-codes metrics ")
    for needed in (
        "--since OLD",
        "--namespace NS",
        "--json",
        "--timeout SECONDS",
        "--max-bytes N",
        "once per SOURCE",
        "pip install 'centrifugo-protocol[metrics]'",
        "from 10%",
    ):
        assert needed in out, needed


def test_without_the_extra(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "prometheus_client", None)
    monkeypatch.setitem(sys.modules, "prometheus_client.parser", None)
    assert fails(capsys, str(SAMPLES / "node1.prom")) == (
        "needs the prometheus-client package: pip install 'centrifugo-protocol[metrics]'"
    )


# --- The real process ----------------------------------------------------------------------------

ENTRY = "import sys; from centrifugo_protocol import _metrics; raise SystemExit(_metrics.main(sys.argv[1:], 'centrifugo-codes'))"


def process(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *args], input=stdin, capture_output=True, timeout=60, cwd=SAMPLES
    )


def test_in_a_process(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    result = process("-", "node2.prom", stdin=(SAMPLES / "node1.prom").read_bytes())
    assert result.returncode == 0
    assert result.stderr == b""
    assert result.stdout.decode().splitlines()[3:] == run(capsys, "node1.prom", "node2.prom").out.splitlines()[3:]


@pytest.mark.parametrize(
    "stdin", [b"<html>\n", b"\xff\xfe\x00", b'centrifugo_client_num_server_disconnects{code="1"} -3\n', b""]
)
def test_bad_input_in_a_process_is_one_line(stdin: bytes) -> None:
    result = process("-", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.startswith(ERROR_PREFIX.encode())
    assert result.stderr.count(b"\n") == 1
    assert b"Traceback" not in result.stderr


def test_the_package_does_not_import_the_command() -> None:
    code = "import sys, centrifugo_protocol; print('centrifugo_protocol._metrics' in sys.modules, 'prometheus_client' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout == "False False\n"
    code = "import sys, centrifugo_protocol._metrics; print('prometheus_client' in sys.modules, 'urllib.request' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout == "False False\n"


# --- Every code is explained from the package ---------------------------------------------------

codes = st.integers(min_value=0, max_value=MAX_CODE)


@given(codes)
def test_disconnect_rows_follow_the_range_rule(code: int) -> None:
    meaning = _counting._disconnect_meaning(code)
    found = DisconnectCode.lookup(code)
    assert meaning.client == ("reconnects" if found.reconnect else "stops")
    assert meaning.meaning == found.description
    assert meaning.name == (found.name if isinstance(found, DisconnectCode) else None)


@given(codes)
def test_close_rows_follow_classify(code: int) -> None:
    transition = classify.on_close(code)
    meaning = _counting._close_meaning(code)
    words = {classify.ClientState.CONNECTING: "reconnects", classify.ClientState.DISCONNECTED: "stops"}
    assert meaning.client.removeprefix("new token, ") == words[transition.state]
    if code >= 3000:
        assert meaning == _counting._disconnect_meaning(code)


@given(codes)
def test_unsubscribe_rows_follow_the_rule(code: int) -> None:
    found = UnsubscribeCode.lookup(code)
    meaning = _counting._unsubscribe_meaning(code)
    assert meaning.client == ("resubscribes" if found.resubscribe else "ends the subscription")
    assert meaning.meaning == found.description


@given(codes)
def test_error_rows_follow_the_temporary_flag_and_classify(code: int) -> None:
    found = ErrorCode.lookup(code)
    meaning = _counting._error_meaning(code)
    assert meaning.meaning == found.description
    if classify.on_connect_error(code).refresh_token:
        assert meaning.client == "new token"
    elif isinstance(found, ErrorCode):
        assert meaning.client == ("retries" if found.temporary else "gives up")
    elif classify.on_connect_error(code, temporary=False).state is classify.ClientState.CONNECTING:
        assert meaning.client == "retries"
    else:
        assert meaning.client == "per wire flag"


@given(codes, st.sampled_from(["connect", "refresh", "subscribe", "sub_refresh", "publish", "rpc"]))
def test_method_outcomes_follow_classify(code: int, method: str) -> None:
    outcome = _counting.method_outcome(method, code)
    found = ErrorCode.lookup(code)
    if method not in ("connect", "refresh", "subscribe", "sub_refresh"):
        assert outcome == "error to the app"
        return
    decisions: dict[str, Callable[[bool], str]] = {
        "connect": lambda t: classify.on_connect_error(code, temporary=t).state.value,
        "refresh": lambda t: classify.on_refresh_error(code, temporary=t).state.value,
        "subscribe": lambda t: classify.on_subscribe_error(code, temporary=t).state.value,
        "sub_refresh": lambda t: classify.on_subscription_refresh_error(code, temporary=t).state.value,
    }
    decide = decisions[method]
    if not isinstance(found, ErrorCode) and decide(True) != decide(False):
        assert outcome == "per wire flag"
    else:
        assert outcome != "per wire flag"


@given(st.text(max_size=40))
def test_any_code_label_is_reported(label: str) -> None:
    escaped = label.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    data = f'centrifugo_client_num_server_disconnects{{code="{escaped}"}} 1\n'.encode()
    out = io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", stdin)
        patch.setattr(sys, "stdout", out)
        assert _metrics.main(["-"], PROG) == 0
    text = out.getvalue()
    check_width(text)
    assert "Server disconnects (centrifugo_client_num_server_disconnects): 1" in text


# --- Details the rest leaves open ------------------------------------------------------------


def test_help_golden(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        _metrics.main(["--help"], PROG)
    out = capsys.readouterr().out
    check_width(out)
    golden("help.txt", out)


def test_json_is_indented(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    out = run(capsys, "--json", "node3.prom").out
    assert out.startswith('{\n  "interval": "since_start",\n  "nodes": [\n    {\n      "node": 1,\n')
    assert out.endswith("\n}\n")
    assert [node["node"] for node in run(capsys, "--json", *NODES).json()["nodes"]] == [1, 2, 3]


def test_a_series_gone_from_the_new_page_means_a_restart(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    new = disconnects_page(tmp_path, {3008: 5}, "new.prom")
    gone = disconnects_page(tmp_path, {3008: 5, 3012: 1}, "gone.prom")
    zero = disconnects_page(tmp_path, {3008: 5, 3012: 0}, "zero.prom")
    report = run(capsys, "--json", new, "--since", gone).json()
    assert report["nodes"][0]["restarted"] is True
    assert by_code(families(report)["disconnects"]) == {3008: 5}
    report = run(capsys, "--json", new, "--since", zero).json()
    assert report["nodes"][0]["restarted"] is False
    assert by_code(families(report)["disconnects"]) == {}


def test_labels_in_odd_but_valid_forms(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = page(
        tmp_path,
        'centrifugo_client_num_reply_errors{code="0",method="connect"} 1\n'
        'centrifugo_client_num_server_disconnects{code="000000000003008"} 2\n'
        'centrifugo_client_num_server_disconnects{code="03012"} 3\n'
        'centrifugo_client_num_server_unsubscribes{code="a\rb"} 1\n',
    )
    report = run(capsys, "--json", source).json()
    assert by_code(families(report)["reply_errors"]) == {0: 1}
    assert by_code(families(report)["disconnects"]) == {3008: 2, 3012: 3}
    assert by_code(families(report)["unsubscribes"]) == {"a\rb": 1}
    text = run(capsys, source).out
    assert "\n  3012  NO_PONG " in text
    assert "\n  0     client side (0-99) " in text
    assert "\n  'a\\rb'  not a code " in text


def test_methods_sorted_by_count_then_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = page(
        tmp_path,
        'centrifugo_client_num_reply_errors{code="103",method="subscribe"} 2\n'
        'centrifugo_client_num_reply_errors{code="103",method="publish"} 1\n'
        'centrifugo_client_num_reply_errors{code="103",method="history"} 2\n'
        'centrifugo_client_num_reply_errors{code="103",method="rpc"} 7\n',
    )
    report = run(capsys, "--json", source).json()
    assert list(methods(report, 103)) == ["rpc", "history", "subscribe", "publish"]
    assert families(report)["reply_errors"]["codes"][0]["range"] == "server (100-399)"


def test_codes_sorted_by_count_then_code(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = disconnects_page(tmp_path, {3012: 2, 3001: 2, 3008: 5, 3500: 2})
    report = run(capsys, "--json", source).json()
    assert [row["code"] for row in families(report)["disconnects"]["codes"]] == [3008, 3001, 3012, 3500]


def test_just_below_ten_percent(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert "slow" not in notes(capsys, disconnects_page(tmp_path, {3008: 99, 3001: 900}))  # 9.9%
    assert "slow" in notes(capsys, disconnects_page(tmp_path, {3008: 100, 3001: 900}))


def test_every_rule_name(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    report = run(capsys, "--json", *NODES, *(arg for old in OLD_NODES for arg in ("--since", old))).json()
    assert [note["rule"] for note in report["notes"] if not note["rule"].startswith("cause_")] == [
        "restarted",
        "invalid",
        "unlisted",
        "insufficient_state",
        "slow",
        "no_pong",
        "too_many_requests",
        "server_error",
        "invalid_token",
        "server_terminal",
        "application_terminal",
        "application_errors",
    ]
    texts = {note["rule"]: note["text"] for note in report["notes"]}
    assert texts["invalid"].startswith("2 counted with a code label that is not a whole number from 0 to 4294967295")
    assert texts["unlisted"].startswith("11 counted with codes that no table in this package lists")


def test_long_names_are_cut(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    namespace = "n" * 70
    source = page(tmp_path, f'{namespace}_client_num_reply_errors{{code="100",method="{"m" * 30}"}} 1\n')
    text = run(capsys, "--namespace", namespace, source).out
    check_width(text)
    lines = text.splitlines()
    start = next(number for number, line in enumerate(lines) if line.startswith("Reply errors ("))
    assert lines[start] == f"Reply errors ({namespace[:66]}"
    assert lines[start + 1] == f"  {namespace[66:]}_client_num_reply_errors): 1"
    start = next(number for number, line in enumerate(lines) if line.startswith("Server unsubscribes ("))
    assert lines[start + 1] == f"  {namespace[59:]}_client_num_server_unsubscribes): none counted"
    assert f"by method: {'m' * 21}... 1 (error to the app)" in text
    long_path = str(tmp_path / ("p" * 300))
    assert fails(capsys, long_path) == f"{long_path[:97]}...: cannot open: File name too long"


def test_two_nodes_are_plural(capsys: pytest.CaptureFixture[str], in_samples: None) -> None:
    assert run(capsys, "node1.prom", "node3.prom").out.startswith("Protocol codes counted by 2 nodes ")


def test_read_errors_without_a_system_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        def read1(self, size: int) -> bytes:
            raise OSError("the pipe went away")

    class Stdin:
        buffer = Broken()

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert fails(capsys, "-") == "stdin: cannot read: the pipe went away"


def test_count_errors_name_the_series(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = page(tmp_path, 'centrifugo_client_num_reply_errors{method="rpc",code="1000"} 0.5\n')
    assert fails(capsys, source) == (
        f"{source}: centrifugo_client_num_reply_errors{{code='1000',method='rpc'}} has the value 0.5; a count "
        f"must be a whole number from 0 to 2**53"
    )


def test_parser_messages_are_passed_on(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = page(tmp_path, "404 quokka not found\n")
    message = fails(capsys, source)
    # The parser's own words differ between its versions; they quote the bad line.
    assert message.startswith(f"{source}: not the Prometheus text format (")
    assert "quokka" in message


def test_tiny_byte_limits(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = page(tmp_path, "centrifugo_node_num_clients 1\n")
    assert fails(capsys, "--max-bytes", "1", source) == f"{source}: the page is larger than 1 bytes (--max-bytes)"
    assert fails(capsys, "--max-bytes", "9", source) == f"{source}: the page is larger than 9 bytes (--max-bytes)"


def test_frequent_listed_codes_name_their_usual_cause(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from centrifugo_protocol import DisconnectCode

    # 3501 is 120 of 130 disconnects, 3012 is 10 (7.7%, under the bar), 4501 is no member.
    found = cause_notes(capsys, disconnects_page(tmp_path, {3501: 120, 3012: 10, 4501: 1}))
    usual = DisconnectCode.BAD_REQUEST.causes[0]
    assert usual.id == "disconnect.3501.no-credentials"
    assert found == {
        f"cause_{usual.id}": f"3501 BAD_REQUEST x120 (disconnects, 91.6%), most often sent when: {usual.situation}"
    }
