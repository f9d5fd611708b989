"""Images in responses: inline base64, or a file under the data directory and its path.

SenseTime's manual shows both (`markedImg` as "/images/face/20200629/53/….jpg", and base64
"per the deployment's configuration"), so it is a setting.
"""

from __future__ import annotations

import base64
import time
import uuid

from contracts.images import DecodedImage
from engine.media import encode_image
from vendors.common.services import Services


def render_image(services: Services, image: DecodedImage, kind: str) -> str:
    data = encode_image(image, "jpeg")
    if services.settings.image_return == "base64":
        return base64.b64encode(data).decode()
    folder = services.data_dir / "images" / kind / time.strftime("%Y%m%d")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4()}.jpg"
    path.write_bytes(data)
    return str(path.resolve())
