#!/usr/bin/python3
"""The real openstack CLI, started once and asked many times: the tests' independent look at the devcloud.

Each `openstack ...` process spends seconds importing openstackclient and its plugins before it sends one request
(4-7 s a call on a loaded 2-core machine, most of a devcloud test's time). This runs Debian's own
openstackclient.shell.main in one long-lived process instead: one JSON line in ({"args": [...]}), one JSON line out
({"rc": n, "out": "...", "err": "..."}), prefixed with RS so nothing else printed can be taken for an answer.
Environment (OS_CLIENT_CONFIG_FILE, OS_CLOUD, OS_COMPUTE_API_VERSION) is the caller's. Ends at end of input.
"""
import io
import json
import logging
import sys

from openstackclient import shell

PREFIX = "\x1eOSOPS "


def run(args):
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    # osc configures logging on every run: drop the handlers of the previous one (they hold its buffers).
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    sys.stdout, sys.stderr = out, err
    try:
        rc = shell.main(args)
    except SystemExit as e:  # argparse refusing arguments exits
        rc = e.code if isinstance(e.code, int) else 1
    except Exception as e:  # noqa: BLE001 - reported to the caller as a failed command, as the CLI would
        err.write("%s: %s\n" % (type(e).__name__, e))
        rc = 1
    finally:
        sys.stdout, sys.stderr = saved
    return {"rc": rc or 0, "out": out.getvalue(), "err": err.getvalue()}


def serve():
    answer = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        reply = run(json.loads(line)["args"])
        answer.write(PREFIX + json.dumps(reply) + "\n")
        answer.flush()


if __name__ == "__main__":
    serve()
