#!/usr/bin/env python3
"""pgproxy.py: a loopback TCP proxy to a PostgreSQL Unix socket, for fault
tests.

    pgproxy.py --socket /dir/.s.PGSQL.5432 --port-file FILE
               [--drop-at-commit N]

Listens on 127.0.0.1 (a free port, written to FILE once listening) and
relays each client to the socket. With --drop-at-commit N, the N-th chunk
from a client that holds the word COMMIT (counted over every client) is
passed on to the server, and then the client is cut off without the
server's answer: the server commits, the client cannot know it.
Runs until killed.
"""
import argparse
import socket
import sys
import threading

commits = 0
lock = threading.Lock()


def is_cut_point(data, args):
    """Whether data holds the COMMIT to cut the client off at."""
    global commits
    if not args.drop_at_commit or b"COMMIT" not in data.upper():
        return False
    with lock:
        commits += 1
        return commits == args.drop_at_commit


def relay(src, dst, watch, args, client, cut):
    """Copy src to dst until either end closes. watch: src is the client,
    whose COMMITs are counted; cut: set once the client is cut off, after
    which nothing more reaches it."""
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if not watch:
                if cut.is_set():
                    break
                dst.sendall(data)
                continue
            if is_cut_point(data, args):
                # No answer may reach the client from here on: stop the
                # other direction before the server can reply.
                cut.set()
                dst.sendall(data)
                print("pgproxy: COMMIT %d passed on; client cut off"
                      % commits, file=sys.stderr, flush=True)
                client.shutdown(socket.SHUT_RDWR)
                client.close()
                return
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client, args):
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        upstream.connect(args.socket)
    except OSError as e:
        print("pgproxy: %s: %s" % (args.socket, e), file=sys.stderr)
        client.close()
        return
    cut = threading.Event()
    threading.Thread(target=relay, args=(upstream, client, False, args,
                                         client, cut), daemon=True).start()
    relay(client, upstream, True, args, client, cut)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--drop-at-commit", type=int, default=0)
    args = ap.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    with open(args.port_file + ".tmp", "w") as f:
        f.write("%d\n" % listener.getsockname()[1])
    import os
    os.rename(args.port_file + ".tmp", args.port_file)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client, args),
                         daemon=True).start()


if __name__ == "__main__":
    main()
