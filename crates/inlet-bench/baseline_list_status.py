#!/usr/bin/env python3
"""The bench's baseline client: the least a program can do to load a folder list over IMAP.

Connects with TLS (trusting only the CA file given), signs in with LOGIN, sends one
`LIST "" "*" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))` (LIST-STATUS, RFC 5819), reads the
answer to its tagged OK without parsing it, logs out. Python's standard library only.

    baseline_list_status.py HOST PORT CA_FILE USER < password
Prints the number of bytes the LIST answer took, how many commands were sent, the
server's tagged OK to the LIST (Dovecot's names its own time for the command), and how long
the client waited from connecting to that tagged OK: the part of its run spent on the network
and the server, not on starting Python or on its own code before and after.
"""

import socket
import ssl
import sys
import time


def main() -> int:
    host, port, ca_file, user = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    password = sys.stdin.readline().rstrip("\r\n")
    context = ssl.create_default_context(cafile=ca_file)
    started = time.perf_counter()
    raw = socket.create_connection((host, port))
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn = context.wrap_socket(raw, server_hostname=host)
    buffer = bytearray()

    def read_until(marker: bytes) -> tuple[int, bytes]:
        """Reads until a line starts with `marker`; drops the bytes up to its end and returns
        how many they were, and that line."""
        scanned = 0
        while True:
            at = 0 if buffer.startswith(marker) else buffer.find(b"\n" + marker, scanned)
            if at != -1:
                end = buffer.find(b"\n", at + 1)
                if end != -1:
                    line = bytes(buffer[at:end + 1]).strip()
                    del buffer[: end + 1]
                    return end + 1, line
                # The marker's line is not whole yet: look from the marker again after the next read.
                scanned = at
            else:
                # A marker may be cut between two reads: look again from just before the end
                # (the newline before it included).
                scanned = max(len(buffer) - len(marker) - 1, 0)
            chunk = conn.recv(256 * 1024)
            if not chunk:
                raise SystemExit("the server closed the connection")
            buffer.extend(chunk)

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    commands = 0

    def command(tag: str, text: str) -> tuple[int, bytes]:
        nonlocal commands
        commands += 1
        conn.sendall(f"{tag} {text}\r\n".encode())
        return read_until(f"{tag} OK".encode())

    read_until(b"* OK")
    command("a1", f"LOGIN {quoted(user)} {quoted(password)}")
    size, done = command("a2", 'LIST "" "*" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))')
    waited_ms = (time.perf_counter() - started) * 1000
    command("a3", "LOGOUT")
    conn.close()
    # Dovecot ends its tagged OK with the command's own time, e.g. "(0.084 + 0.000 + 0.083 secs)".
    print(f"{size} bytes listed, {commands} commands; waited {waited_ms:.1f} ms from connecting to the listing's end;")
    print(f"the server said: {done.decode(errors='replace')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
