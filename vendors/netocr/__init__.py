"""netocr (seed 003): face comparison, liveness, 人证合一 and ID-card recognition over form
posts, answered in XML or JSON."""

from vendors.common.routing import Facade
from vendors.common.spec import requests_for
from vendors.netocr import auth, envelope, errors, routes, spec

FACADE = Facade(
    name="netocr",
    prefixes=("/verapi", "/api"),
    auth=auth.KeySecretAuth,
    renderer=envelope.RENDERER,
    errors=errors.TABLE,
    apis=routes.APIS,
    aliases=auth.ALIASES,
    requests=requests_for(routes.APIS, spec.DECLARED),
    openapi=spec.OPENAPI,
)
