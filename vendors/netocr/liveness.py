"""Silent image liveness (typeId 3035, seed 003 §2) and video liveness (3036, §3).

判定值 is the engine's attack score on netocr's 0..100 scale (contracts.liveness_scores:
threshold 50, lower = live). For a clip it scores the whole verdict: a clip in which the
person changed or left the view is 非活体 whatever its attack score, and then scores at least
50, so that a client reading 判定值 alone refuses it too; 是否有换人 says why.
"""

from __future__ import annotations

from contracts import liveness_scores
from contracts.liveness import ClipVerdict
from engine.liveness import judge_clip, score_image
from vendors.common.routing import Call
from vendors.netocr import errors, inputs
from vendors.netocr.faces import number, yes_no
from vendors.netocr.wire import Entry, Verdict

SUCCESS = "成功"


async def image_verdict(call: Call) -> Verdict:
    """§2: 判定结果 是/否 and 判定值 in `content`."""
    image = await inputs.image(call.services, call.params, inputs.SINGLE)
    verdict = await call.services.pool.run(score_image, image)
    score = liveness_scores.netocr_score(verdict.attack_score)
    entries = (Entry("判定结果", yes_no(verdict.live)), Entry("判定值", number(score)))
    return Verdict(entries, errors.SUCCESS_VERAPI, SUCCESS, negative=not verdict.live)


def clip_score(verdict: ClipVerdict) -> float:
    score = liveness_scores.netocr_score(verdict.attack_score)
    return score if verdict.live else max(score, liveness_scores.NETOCR_THRESHOLD)


async def video_verdict(call: Call) -> Verdict:
    """§3: 判定值, 是否为活体 (活体/非活体), 是否有换人, 是否有眨眼, 是否有张嘴."""
    video = await inputs.video(call.services, call.params)
    verdict = await call.services.pool.run(judge_clip, video)
    entries = (
        Entry("判定值", number(clip_score(verdict))),
        Entry("是否为活体", "活体" if verdict.live else "非活体"),
        Entry("是否有换人", yes_no(verdict.person_changed)),
        Entry("是否有眨眼", yes_no(verdict.blinked)),
        Entry("是否有张嘴", yes_no(verdict.mouth_opened)),
    )
    return Verdict(entries, errors.SUCCESS_VERAPI, SUCCESS, negative=not verdict.live)
