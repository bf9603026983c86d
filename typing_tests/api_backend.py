"""The backend helpers' types against cent 5.2.0's own classes. Checked by mypy and pyright; never run.

cent is never imported by the package: api's Protocol types must match cent's
classes structurally, which only a type checker can show. The lines marked with both
suppressions must stay errors (the unused-suppression checks fail when one stops
being an error).
"""

from __future__ import annotations

from cent import BatchResult, BroadcastResult
from cent.dto import Error
from cent.exceptions import CentApiResponseError, CentTransportError
from typing_extensions import assert_type

from centrifugo_protocol import ApiErrorCode, UnknownApiErrorCode, api, proxy, wire


def from_cent_exception(error: CentApiResponseError) -> None:
    assert_type(api.error_code(error), ApiErrorCode | UnknownApiErrorCode)
    assert_type(api.api_error(error), wire.ApiError)
    assert_type(api.error_code(error).retryable, bool)
    assert_type(api.error_code(error).retry_reason, str)


def from_cent_models(result: BroadcastResult, batch: BatchResult, item: Error) -> None:
    assert_type(api.broadcast_errors(result), dict[int, wire.ApiError])
    assert_type(api.batch_errors(batch), dict[int, wire.ApiError])
    assert_type(api.batch_errors({"replies": []}), dict[int, wire.ApiError])
    assert_type(api.error_code(item), ApiErrorCode | UnknownApiErrorCode)


def from_a_transport_error(error: CentTransportError) -> None:
    assert_type(api.transport_error_codes(error.status_code), tuple[ApiErrorCode, ...])


def builds_bodies() -> None:
    body = api.disconnect_request("u1", 4500, "bye", whitelist=["c1"])
    assert_type(body, api.DisconnectRequestJSON)
    assert_type(body["disconnect"], wire.DisconnectJSON)
    block = proxy.status_to_code_transforms({403: proxy.custom_disconnect(4503, "forbidden")})
    assert_type(block, list[proxy.StatusTransformJSON])
    assert_type(proxy.check_status_to_code_transforms(block), list[proxy.StatusTransformJSON])


def passes_a_transport_error_as_an_api_error(error: CentTransportError) -> None:
    api.error_code(error)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def passes_the_broadcast_result_as_a_batch(result: BroadcastResult) -> None:
    api.batch_errors(result)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def maps_a_status_to_a_plain_dict() -> None:
    proxy.status_to_code_transforms({403: {"code": 4503}})  # type: ignore[dict-item]  # pyright: ignore[reportArgumentType]
