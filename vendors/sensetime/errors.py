"""SenseTime's error codes (seed 000 chapter 7): 2-digit service + 6-digit error.

One canonical kind always renders the same 6-digit code; the message follows the manual's
template with the service in brackets and the parameter or detail where it names one.
"""

from __future__ import annotations

from contracts.errors import ErrorKind, IdfError

# service name -> 2-digit prefix (PROTOCOLS.md); "guns" is the login of the admin console.
SERVICES: dict[str, str] = {
    "guns": "60",
    "ssid-face": "62",
    "ssid-feature": "63",
    "ssid-advanced": "64",
    "ssid-ocr": "65",
    "ssid-liveness": "66",
}

# kind -> (6-digit code, message template); {svc} service, {field} parameter, {detail} detail
TABLE: dict[ErrorKind, tuple[str, str]] = {
    ErrorKind.missing_param: ("010202", "[{svc}]Param {field} can not be blank"),
    ErrorKind.missing_one_of: ("010201", "[{svc}]Param {field} can not both be blank"),
    ErrorKind.bad_param: ("010205", "[{svc}]Param {field} illegal errors"),
    ErrorKind.image_too_large: ("010501", "[{svc}]Image over size"),
    ErrorKind.image_size: (
        "010506",
        "[{svc}]Image height or width need to be between (8px,5000px]",
    ),
    ErrorKind.image_type: ("010505", "[{svc}]Param illegal image type errors"),
    ErrorKind.image_decode: ("010502", "[{svc}]Image corrupted"),
    ErrorKind.video_decode: ("040401", "[{svc}]Video {field} errors"),
    ErrorKind.video_too_short: ("010209", "[{svc}]Liveness insufficient video duration"),
    ErrorKind.no_face: ("040301", "[{svc}]Image {field} no face errors"),
    ErrorKind.too_many_faces: ("040503", "[{svc}]Faces of {field} over size"),
    # chapter 7 040301 "Image ** errors", as no_face: only ssid-ocr raises it (seed 000 §6)
    ErrorKind.no_document: ("040301", "[{svc}]Image {field} no idcard errors"),
    ErrorKind.bad_token: ("040101", "[{svc}]Context {field} analysis errors"),
    ErrorKind.model_mismatch: ("040510", "[{svc}]Feature version not match"),
    ErrorKind.not_found: ("040502", "[{svc}]{detail} is not exist"),
    ErrorKind.already_exists: ("040501", "[{svc}]{detail} is exist"),
    ErrorKind.collection_full: ("040701", "[{svc}]Feature out of max size"),
    ErrorKind.auth: ("010401", "[{svc}]Privilege check errors"),
    ErrorKind.replay: ("010401", "[{svc}]Privilege check errors"),
    ErrorKind.forbidden: ("010304", "[{svc}]Capability is not granted"),
    # chapter 7 has no quota code; 040505 "** not permission" is the nearest it prints
    ErrorKind.quota: ("040505", "[{svc}]Call quota not permission"),
    ErrorKind.busy: ("990201", "[{svc}]Thread pool execution exception"),
    ErrorKind.timeout: ("990201", "[{svc}]Thread pool execution exception"),
    ErrorKind.unsupported: ("040504", "[{svc}]{field} not support"),
    ErrorKind.no_api: ("040502", "[{svc}]Api {detail} is not exist"),
    ErrorKind.internal: ("990101", "[{svc}]System errors"),
}

# A sealed feature string that fails verification is "Incorrect feature" (040705), not a
# context error: the manual gives features their own code.
_INCORRECT_FEATURE = ("040705", "[{svc}]Incorrect feature")

# (kind, parameter) -> (code, template), where the manual gives one parameter's failure its
# own code: a database name against its rule is 040510 (§3.3 sample "dbld not match rule
# [0-9A-Za-z]"), a type other than Face is 040704 ("Type should be Face").
REFINED: dict[tuple[ErrorKind, str], tuple[str, str]] = {
    **{
        (ErrorKind.bad_param, name): ("040510", "[{svc}]{field} not match rule [0-9A-Za-z]")
        for name in ("dbId", "dbName")
    },
    **{
        (ErrorKind.bad_param, name): ("040704", "[{svc}]Type should be Face")
        for name in ("dbType", "featureType", "type")
    },
}


# Verdicts of a liveness clip that chapter 7 gives codes of their own (seed 000 ch. 7).
LIVENESS_OUTCOMES: dict[str, tuple[str, str]] = {
    "target_change": ("010207", "[{svc}]Liveness target change"),
    "target_lost": ("010208", "[{svc}]Liveness target lost"),
}


def liveness_outcome(service: str, outcome: str) -> tuple[str, str]:
    """The 8-digit code and message of a liveness verdict that chapter 7 names."""
    code, template = LIVENESS_OUTCOMES[outcome]
    return SERVICES[service] + code, template.format(svc=service)


# Kinds whose template already says all there is; others get the detail appended.
_TERSE = frozenset(
    {ErrorKind.missing_param, ErrorKind.missing_one_of, ErrorKind.no_face, ErrorKind.internal}
)


def render(service: str, error: IdfError) -> tuple[str, str]:
    """The 8-digit code and the message for `error` raised inside `service`."""
    field = error.field or ""
    code, template = REFINED.get((error.kind, field), TABLE[error.kind])
    if error.kind is ErrorKind.bad_token and "feature" in field.lower():
        code, template = _INCORRECT_FEATURE
    message = template.format(
        svc=service, field=field or error.detail, detail=error.detail or field
    )
    if error.kind not in _TERSE and error.detail and error.detail not in message:
        message = f"{message}: {error.detail}"
    return SERVICES[service] + code, message
