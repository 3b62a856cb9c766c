"""The audit's lock-order wrapper sits at the bottom of a connection's wrapper stack: a connection opened
inside another library's `execute_wrapper()` block (pghistory's request context) must not lose ours, nor
keep theirs after the block ends (seen in the live-server tests on PostgreSQL)."""

from django.db import connections

from compliance_site.audit.recorder import _head_first, _install_head_first


def test_a_wrapper_block_around_a_new_connection_leaves_the_stack_as_it_was():
    connection = connections.create_connection("default")
    try:

        def theirs(execute, sql, params, many, context):
            return execute(sql, params, many, context)

        with connection.execute_wrapper(theirs):
            _install_head_first(None, connection)  # the connection opens inside their block
        assert connection.execute_wrappers == [_head_first]
    finally:
        connection.close()
