"""A private SMTP submission server for Inlet's tests, on aiosmtpd (PyPI).

Started by inlet_testkit::SmtpServer (crates/inlet-testkit/src/smtp.rs), which writes the
configuration and reads back the ports and the received messages. Not meant to be run by hand,
but it can be: python3 smtp_server.py CONFIG.json

Two listeners on 127.0.0.1, on ports the kernel picks (no race with other tests):
- "submission" (587-style): plain, offers STARTTLS and requires it (RFC 3207) before anything but
  EHLO/NOOP/QUIT; AUTH is advertised only after TLS. With "starttls": false it offers no STARTTLS
  at all and advertises AUTH in clear, the trap a client must not walk into.
- "submissions" (465-style): implicit TLS from the first byte (RFC 8314), AUTH advertised.

AUTH PLAIN and LOGIN (or the subset in "auth_mechanisms") against the configured users; with
"oauth2", XOAUTH2 and OAUTHBEARER too (when listed), the token checked at the authorization
server's introspection and its account required to be the user who signs in. MAIL
needs a successful AUTH; with "sender_must_be_login" the sender must be the login name, as
submission servers usually enforce. Each accepted message is written to the "maildir" as
N.eml (the DATA bytes) and then N.env (MAIL FROM, then one RCPT TO per line), so a reader that
sees N.env can read the whole message.

When both listeners are up, "ports" is written (atomically) to the state dir as
"SUBMISSION_PORT SUBMISSIONS_PORT".
"""

import asyncio
import base64
import itertools
import json
import logging
import os
import ssl
import sys
import urllib.parse
import urllib.request

from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword

# A bearer token does not fit aiosmtpd's 512-byte command limit nor its 1001-byte line limit
# (a JWT alone can be longer): raise both for every command of this test server.
SMTP.command_size_limit = 16384

HOSTNAME = "mail.example.test"


def write_atomically(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


class Handler:
    def __init__(self, config):
        self.maildir = config["maildir"]
        self.sender_must_be_login = config["sender_must_be_login"]
        self.counter = itertools.count(1)
        self.oauth2 = config.get("oauth2")
        if self.oauth2:
            self.tls = ssl.create_default_context(cafile=self.oauth2["ca_file"])

    # ---- bearer sign-in: XOAUTH2 (Google's) and OAUTHBEARER (RFC 7628) -----------------------

    def introspect(self, token):
        """The account the token is for (RFC 7662 introspection), or None when it is not active."""
        o = self.oauth2
        request = urllib.request.Request(
            o["introspection_url"],
            data=urllib.parse.urlencode({"token": token}).encode(),
            headers={
                "Authorization": "Basic " + base64.b64encode(
                    f"{o['client_id']}:{o['client_secret']}".encode()).decode(),
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        with urllib.request.urlopen(request, context=self.tls, timeout=20) as response:
            answer = json.load(response)
        return answer.get("username") if answer.get("active") is True else None

    async def bearer(self, server, args, mechanism):
        if not self.oauth2:
            return AuthResult(success=False, handled=False, message="504 5.5.4 Unrecognized authentication type")
        if len(args) == 2:
            try:
                blob = base64.b64decode(args[1], validate=True)
            except ValueError:
                return AuthResult(success=False, handled=False, message="501 5.5.2 Can't decode base64")
        else:
            blob = await server.challenge_auth("", log_client_response=False)
            if blob is MISSING:
                return AuthResult(success=False, handled=True)
        user, token = parse_bearer(blob, mechanism)
        if token is None:
            return AuthResult(success=False, handled=False, message="501 5.5.2 Malformed " + mechanism + " response")
        loop = asyncio.get_running_loop()
        try:
            account = await loop.run_in_executor(None, self.introspect, token)
        except Exception as e:  # the token server is down: a temporary failure (RFC 4954)
            logging.warning("introspection failed: %s", type(e).__name__)
            return AuthResult(success=False, handled=False, message="454 4.7.0 Temporary authentication failure")
        # The token must be for the user who signs in (Microsoft's "User is authenticated but
        # not connected" when it is not).
        if account is not None and (user is None or user.lower() == account.lower()):
            return AuthResult(success=True, auth_data=LoginPassword(account.encode(), b""))
        # RFC 7628 section 3.2.2: the error as a JSON challenge; the client answers it (an empty
        # response, or %x01 for OAUTHBEARER) and then gets the failure.
        status = "401" if mechanism == "XOAUTH2" else "invalid_token"
        challenge = json.dumps({"status": status, "schemes": "bearer", "scope": self.oauth2["scope"]})
        answer = await server.challenge_auth(challenge, log_client_response=False)
        if answer is MISSING:
            return AuthResult(success=False, handled=True)
        return AuthResult(success=False, handled=False, message="535 5.7.8 Authentication credentials invalid")

    async def auth_XOAUTH2(self, server, args):
        return await self.bearer(server, args, "XOAUTH2")

    async def auth_OAUTHBEARER(self, server, args):
        return await self.bearer(server, args, "OAUTHBEARER")

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        login = session.login_data.decode("utf-8", "replace") if session.login_data else None
        if self.sender_must_be_login and address.lower() != (login or "").lower():
            return f"553 5.7.1 Sender address <{address}> not owned by user {login}"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 Sender OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Recipient OK"

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        base = os.path.join(self.maildir, f"{n:06}")
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        write_atomically(base + ".eml", data)
        lines = [envelope.mail_from] + list(envelope.rcpt_tos)
        write_atomically(base + ".env", ("\n".join(lines) + "\n").encode("utf-8"))
        return f"250 2.0.0 Ok: queued as {n:06}"


def parse_bearer(blob, mechanism):
    """(user or None, token or None) from an XOAUTH2 or OAUTHBEARER client response."""
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        return None, None
    user = None
    if mechanism == "OAUTHBEARER":
        # gs2-header (RFC 5801): "n,a=user," then kvpairs separated by %x01.
        header, _, rest = text.partition("\x01")
        parts = header.split(",")
        if len(parts) < 2 or parts[0] not in ("n", "y"):
            return None, None
        if parts[1].startswith("a="):
            user = parts[1][2:].replace("=2C", ",").replace("=3D", "=")
        fields = rest.split("\x01")
    else:
        fields = text.split("\x01")
    token = None
    for field in fields:
        key, sep, value = field.partition("=")
        if mechanism == "XOAUTH2" and key == "user" and sep:
            user = value
        if key == "auth" and value.lower().startswith("bearer "):
            token = value[7:].strip()
    return user, token


def make_authenticator(users):
    def authenticator(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        ok = users.get(login) == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    return authenticator


async def main(config_path):
    with open(config_path) as f:
        config = json.load(f)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(config["cert"], config["key"])

    users = {login: password for login, password in config["users"]}
    handler = Handler(config)
    offered = {m.upper() for m in config["auth_mechanisms"]}
    excluded = {"PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER"} - offered

    def submission():
        if config["starttls"]:
            return SMTP(
                handler,
                hostname=HOSTNAME,
                ident="Inlet test submission",
                tls_context=tls,
                require_starttls=True,
                auth_required=True,
                auth_require_tls=True,
                auth_exclude_mechanism=excluded,
                authenticator=make_authenticator(users),
            )
        # No STARTTLS, and AUTH offered in clear: a client that sends the password anyway is caught.
        return SMTP(
            handler,
            hostname=HOSTNAME,
            ident="Inlet test submission (no TLS)",
            auth_required=True,
            auth_require_tls=False,
            auth_exclude_mechanism=excluded,
            authenticator=make_authenticator(users),
        )

    def submissions():
        # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; this whole port is TLS.
        return SMTP(
            handler,
            hostname=HOSTNAME,
            ident="Inlet test submissions",
            auth_required=True,
            auth_require_tls=False,
            auth_exclude_mechanism=excluded,
            authenticator=make_authenticator(users),
        )

    loop = asyncio.get_running_loop()
    plain = await loop.create_server(submission, "127.0.0.1", 0)
    implicit = await loop.create_server(submissions, "127.0.0.1", 0, ssl=tls)
    ports = [s.sockets[0].getsockname()[1] for s in (plain, implicit)]
    write_atomically(os.path.join(config["state_dir"], "ports"), " ".join(map(str, ports)).encode())
    logging.info("listening on %s", ports)
    await asyncio.Event().wait()


if __name__ == "__main__":
    # The warning aiosmtpd logs about auth_required without auth_require_tls is expected here.
    asyncio.run(main(sys.argv[1]))
