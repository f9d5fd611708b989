"""What a conformance check found in one request (vendors/common/conformance.py).

A finding names the rule a request broke (or the tolerated variant it used) against the
vendor's documented request, the field it concerns, and a detail for a person. The checks put
a `list[Finding]` on `request.state.contract_findings`; the call journal records it with the
call, and `contract_checks = "reject"` answers the vendor's parameter error instead.
"""

from __future__ import annotations

from dataclasses import dataclass

# The rules a finding may name (docs/contract-testing.md "Conformance checks").
UNKNOWN_FIELD = "unknown_field"  # a field the vendor's request does not declare
MISSING_REQUIRED = "missing_required"  # a required field, or every one of a required choice
WRONG_TYPE = "wrong_type"  # text where a number is declared, a list for one value, …
OUT_OF_RANGE = "out_of_range"  # outside the declared range, enum or pattern
IMAGE_LIMIT = "image_limit"  # an image or video over the vendor's byte limit
IMAGE_FORMAT = "image_format"  # an image or video whose magic bytes name no documented format
BASE64_VARIANT = "base64_variant"  # base64 the real vendor may not decode (spaces, data: URI, …)
MISSPELT_FIELD = "misspelt_field"  # a misspelling the gateway reads as the declared name
CONTENT_TYPE = "content_type"  # a body type the vendor does not document for the endpoint
FORM_VARIANT = "form_variant"  # a form the vendor may not parse (a body starting with '&')
SIGNATURE_VARIANT = "signature_variant"  # a signature layout only some clients write


@dataclass(frozen=True)
class Finding:
    rule: str
    field: str
    detail: str
