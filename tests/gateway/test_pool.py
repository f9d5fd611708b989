import asyncio
import threading

import pytest

from contracts.errors import ErrorKind, IdfError
from gateway.pool import BoundedPool


def test_pool_runs_work_in_threads_and_returns_results():
    pool = BoundedPool(workers=2, queue=0, deadline=5)
    assert asyncio.run(pool.run(sum, [1, 2, 3])) == 6
    pool.shutdown()


def test_full_pool_answers_busy_at_once():
    pool = BoundedPool(workers=1, queue=0, deadline=5)
    release = threading.Event()

    async def scenario():
        first = asyncio.ensure_future(pool.run(release.wait))
        await asyncio.sleep(0.05)
        with pytest.raises(IdfError) as err:
            await pool.run(sum, [1])
        release.set()
        assert await first is True
        return err.value

    assert asyncio.run(scenario()).kind is ErrorKind.busy
    pool.shutdown()


def test_call_past_the_deadline_answers_timeout_and_frees_its_slot_when_done():
    pool = BoundedPool(workers=1, queue=0, deadline=0.05)
    release = threading.Event()

    async def scenario():
        with pytest.raises(IdfError) as err:
            await pool.run(release.wait)
        release.set()
        await asyncio.sleep(0.05)
        assert await pool.run(sum, [2, 2]) == 4
        return err.value

    assert asyncio.run(scenario()).kind is ErrorKind.timeout
    pool.shutdown()
