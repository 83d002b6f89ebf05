import asyncio

import pytest

from engram import AsyncClient, EngramError


def test_concurrent_calls_are_pipelined_and_answered_out_of_order(server):
    async def main():
        c = await AsyncClient.connect(server.url)
        finished = []

        async def call(name, args, tag):
            r = await c.call(name, args)
            finished.append(tag)
            return r

        results = await asyncio.gather(
            call("probe:sleep", {"ms": 300}, "slow"),
            *(call("probe:echo", {"value": i}, i) for i in range(100)),
        )
        assert results[0] is None and results[1:] == list(range(100))
        assert finished[-1] == "slow"  # the first request finished last
        with pytest.raises(EngramError) as e:
            await c.call("probe:fail", {"code": "X_FAILED"})
        assert e.value.code == "X_FAILED" and e.value.data == "X_FAILED"
        with pytest.raises(EngramError) as e:
            await c.query("SELECT 1")
        assert e.value.code == "NOT_IMPLEMENTED"
        await c.ping()
        await c.close()

    asyncio.run(main())
