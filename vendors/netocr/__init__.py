"""netocr (seed 003): face comparison, liveness, 人证合一 and ID-card recognition over form
posts, answered in XML or JSON."""

from vendors.common.routing import Facade
from vendors.netocr import auth, envelope, errors, routes

FACADE = Facade(
    name="netocr",
    prefixes=("/verapi", "/api"),
    auth=auth.KeySecretAuth,
    renderer=envelope.RENDERER,
    errors=errors.TABLE,
    apis=routes.APIS,
    aliases=auth.ALIASES,
)
