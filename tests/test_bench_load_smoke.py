"""The load benchmark's pieces: every request of the mix succeeds for its role and host, the
wrk script carries the mix and its bounds, and wrk's figures are read back. The load run
itself needs a server on a committed database and runs only in `python -m tests.bench load`."""

import json

import pytest

from tests.bench import bench_load, bench_queue
from tests.graphql import host_of

pytestmark = pytest.mark.django_db


def test_every_request_of_the_mix_succeeds_for_its_caller(federation):
    # given the test federation with tickets in alpha
    bench_queue.prepare_catalogue()
    bench_queue.open_through_action(federation.alpha, 2)
    # when the mix is built over alpha and beta
    mix = bench_load.request_mix([federation.alpha, federation.beta])
    # then it has the weighted requests: 3 + 2 central, and 3 + 1 + 1 per agency
    names = [r.name for r in mix]
    assert len(mix) == 5 + 2 * 5
    assert names.count("service_desk_queue") == 3
    assert names.count("fulfilment_queue") == 2
    assert names.count("agency_tickets") == 6
    assert names.count("catalogue") == 2
    assert names.count("staff_tickets") == 2
    assert {r.host for r in mix} == {host_of(None), host_of(federation.alpha), "beta.localhost"}
    # and each one, sent as the load sends it, is answered 200 without GraphQL errors
    for request in mix:
        caller = bench_queue.Caller(None, request.token, "", {})
        caller.client.defaults["HTTP_HOST"] = request.host
        caller.body = request.body
        response = caller.post()
        assert response.status_code == 200, request
        assert "errors" not in response.json(), (request.name, response.json())


def test_the_wrk_script_carries_the_mix_and_its_bounds():
    # given a mix of one request with quotes and a newline in its body
    body = json.dumps({"query": "{ a }\n{ 'b' }"})
    mix = [bench_load.Request("q", "alpha.localhost", "tok'en", body)]
    # when the script is written for 2 threads and at most 100 requests
    script = bench_load.lua_script(mix, max_requests=100, threads=2)
    # then the mix is a Lua table of escaped strings, and each thread stops at its share
    assert "{'alpha.localhost', 'tok\\'en', " in script
    assert "\\n" in script and "\n{ 'b'" not in script
    assert "local max_requests = 100" in script
    assert "per_thread = math.floor(max_requests / 2)" in script


def test_wrk_figures_are_read_from_the_script_line():
    # given wrk's output with the line the script prints
    output = (
        "Running 20s test @ http://127.0.0.1:1/graphql/\n"
        'SAMNAV {"requests": 400, "seconds": 20.0, "p50_ms": 10.5, "p95_ms": 30.0, '
        '"p99_ms": 45.0, "bad": 1, "connect": 0, "read": 2, "write": 0, "status": 1, '
        '"timeout": 0}\n'
    )
    # when it is parsed
    figures = bench_load.parse_wrk(output)
    # then throughput and percentiles are read, and errors count bad responses and socket
    # errors (wrk's non-2xx count is already among the bad responses)
    assert figures == {
        "requests": 400,
        "seconds": 20.0,
        "rps": 20.0,
        "p50_ms": 10.5,
        "p95_ms": 30.0,
        "p99_ms": 45.0,
        "errors": 3,
    }
    with pytest.raises(ValueError):
        bench_load.parse_wrk("no figures")
