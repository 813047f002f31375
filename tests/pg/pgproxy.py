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


def relay(src, dst, watch, args, client):
    global commits
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
            if watch and args.drop_at_commit and b"COMMIT" in data.upper():
                with lock:
                    commits += 1
                    hit = commits == args.drop_at_commit
                if hit:
                    print("pgproxy: COMMIT %d passed on; client cut off"
                          % commits, file=sys.stderr, flush=True)
                    client.shutdown(socket.SHUT_RDWR)
                    client.close()
                    return
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
    threading.Thread(target=relay, args=(upstream, client, False, args,
                                         client), daemon=True).start()
    relay(client, upstream, True, args, client)


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
