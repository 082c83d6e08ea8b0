"""The collector pause around building a snapshot (followup.queries.engine.gc_paused)."""

import gc

from styrkort.followup.queries.engine import gc_paused


def test_paused_then_restored_with_new_objects_in_the_oldest_generation():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: no change
            assert not gc.isenabled()
        assert not gc.isenabled()
        built = [[n] for n in range(3)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(item) in oldest for item in built)


def test_collector_already_off_stays_off():
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
