"""Work made ahead in the background (app.ahead): the guessed keys are made once the
request has waited its delay, a session's newer request makes its older guesses stale,
and a guess that fails is forgotten."""

import threading

from app.ahead import Ahead


class Recorder:
    """A ``make`` that records its keys; ``gate`` holds the first call until opened."""

    def __init__(self, fail: frozenset = frozenset()):
        self.made: list = []
        self.fail = fail
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()  # set once a call has begun

    def __call__(self, key):
        self.entered.set()
        self.gate.wait(10)
        if key in self.fail:
            raise RuntimeError(f"cannot make {key}")
        self.made.append(key)


def test_the_guessed_keys_are_made_in_order():
    make = Recorder()
    ahead = Ahead(make, delay=0)

    ahead.request("s1", "view 12", ["11 months", "13 months"]).result(timeout=10)

    assert make.made == ["11 months", "13 months"]


def test_a_newer_request_of_the_same_session_makes_the_older_guesses_stale():
    make = Recorder()
    make.gate.clear()  # the worker is busy with the first key of the first request
    ahead = Ahead(make, delay=0)

    first = ahead.request("s1", "view 12", ["11 months", "13 months"])
    assert make.entered.wait(10)
    second = ahead.request("s1", "view 13", ["12 months", "14 months"])
    make.gate.set()
    first.result(timeout=10), second.result(timeout=10)

    # the first key was under way when the person moved on; the rest of it was dropped
    assert make.made == ["11 months", "12 months", "14 months"]


def test_other_sessions_keep_their_guesses():
    make = Recorder()
    make.gate.clear()
    ahead = Ahead(make, delay=0)

    first = ahead.request("s1", "view 12", ["11", "13"])
    second = ahead.request("s2", "view 6", ["5", "7"])
    make.gate.set()
    first.result(timeout=10), second.result(timeout=10)

    assert make.made == ["11", "13", "5", "7"]


def test_a_guess_that_fails_is_forgotten_and_the_next_is_made():
    make = Recorder(fail=frozenset({"11"}))
    ahead = Ahead(make, delay=0)

    ahead.request("s1", "view 12", ["11", "13"]).result(timeout=10)

    assert make.made == ["13"]


def test_the_sessions_remembered_are_bounded():
    make = Recorder()
    ahead = Ahead(make, delay=0, sessions=3)

    futures = [ahead.request(f"s{i}", "view", [i]) for i in range(10)]
    for future in futures:
        future.result(timeout=10)

    assert len(ahead._latest) <= 3


def test_of_many_requests_queued_behind_a_busy_worker_only_the_latest_is_made():
    make = Recorder()
    make.gate.clear()
    ahead = Ahead(make, delay=0.01)
    first = ahead.request("s1", "view 1", ["a"])
    assert make.entered.wait(10)  # the worker holds "a"; the next requests queue up
    queued = [ahead.request("s1", f"view {i}", [f"k{i}"]) for i in range(2, 40)]
    make.gate.set()
    for future in [first, *queued]:
        future.result(timeout=30)

    assert make.made == ["a", "k39"]
