#!/usr/bin/env python3
"""The bench's bare client for checking many mailboxes: the least a program can do to check that
each one still signs in.

For every (login, password) line of USERS_FILE (tab-separated), with at most CONCURRENCY at once
(an asyncio semaphore): connect with TLS (trusting only the CA file given), sign in with LOGIN,
send `STATUS "INBOX" (MESSAGES UNSEEN)` (what the engine's check asks), read each answer to its
tagged OK without parsing it, LOGOUT. Python's standard library only; no imaplib (it adds its
own CAPABILITY round trip).

    baseline_check_all.py HOST PORT CA_FILE USERS_FILE CONCURRENCY
Prints how many mailboxes were checked, and how many failed.
"""

import asyncio
import ssl
import sys


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


async def check(host: str, port: int, context: ssl.SSLContext, user: str, password: str) -> bool:
    reader, writer = await asyncio.open_connection(host, port, ssl=context, server_hostname=host)
    try:

        async def until(marker: bytes) -> bytes:
            while True:
                line = await reader.readline()
                if not line:
                    raise ConnectionError("the server closed the connection")
                if line.startswith(marker):
                    return line

        await until(b"* OK")
        for tag, text in (("a1", f"LOGIN {quoted(user)} {quoted(password)}"), ("a2", 'STATUS "INBOX" (MESSAGES UNSEEN)')):
            writer.write(f"{tag} {text}\r\n".encode())
            answer = await until(tag.encode() + b" ")
            if not answer.startswith(tag.encode() + b" OK"):
                return False
        writer.write(b"a3 LOGOUT\r\n")
        await until(b"a3 ")
        return True
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except (ConnectionError, ssl.SSLError):
            pass


async def main() -> int:
    host, port, ca_file, users_file, concurrency = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
    with open(users_file, encoding="utf-8") as f:
        users = [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]
    context = ssl.create_default_context(cafile=ca_file)
    gate = asyncio.Semaphore(concurrency)

    async def one(user: str, password: str) -> bool:
        async with gate:
            try:
                return await check(host, port, context, user, password)
            except (OSError, ssl.SSLError):
                return False

    results = await asyncio.gather(*(one(u, p) for u, p in users))
    failed = results.count(False)
    print(f"{len(results)} checked, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
