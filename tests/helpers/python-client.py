"""One shell session through paramiko or asyncssh, scripted as an autograder would.

    python-client.py paramiko|asyncssh PORT FINGERPRINT [--pty TERM:COLSxROWS]
                     [--rekey BYTES] [--pace BYTES] [--key FILE] [--defaults]

Logs in as alice (password goodpassword) after checking the host key's SHA256 fingerprint,
starts a shell (with a pty if --pty), sends its own stdin and then EOF, and copies the
session's output to stdout. The last line on stderr is a JSON summary: the exit status
the server sent (null if none), whether the server's EOF came, and the negotiated cipher and
MAC. The script exits 0 whenever the session ran, whatever its exit status; 1 on an error.

--rekey BYTES   asyncssh: re-exchange keys every BYTES sent (rekey_bytes)
--pace BYTES    send the input in pieces of BYTES, each after the echo of the one before
                (at least as many bytes back), so the rekeys fall all along the transfer
--key FILE      paramiko: offer this key before the password (as it does with ~/.ssh)
--defaults      paramiko: SSHClient.connect() with its defaults (keys in ~/.ssh, the agent)

Run it with Debian's /usr/bin/python3 (python3-paramiko, python3-asyncssh). Used by
tests/clients.test.ts.
"""
import argparse
import base64
import hashlib
import json
import logging
import sys
import warnings

warnings.simplefilter("ignore")  # Debian's cryptography warns about old ciphers on import

TIMEOUT = 60  # seconds, for the whole session


def sha256_fingerprint(blob):
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def parse_pty(spec):
    term, size = spec.split(":")
    cols, rows = (int(n) for n in size.split("x"))
    return term, cols, rows


def run_paramiko(args, data):
    import paramiko

    class CheckFingerprint(paramiko.MissingHostKeyPolicy):
        def missing_host_key(self, client, hostname, key):
            if sha256_fingerprint(key.asbytes()) != args.fingerprint:
                raise paramiko.SSHException("host key fingerprint mismatch")

    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(CheckFingerprint())
    options = {"password": "goodpassword", "timeout": TIMEOUT}
    if args.defaults:
        pass  # look_for_keys=True, allow_agent=True: whatever ~/.ssh and the agent hold
    elif args.key:
        options.update(pkey=paramiko.Ed25519Key.from_private_key_file(args.key),
                       look_for_keys=False, allow_agent=False)
    else:
        options.update(look_for_keys=False, allow_agent=False)
    client.connect("127.0.0.1", args.port, "alice", **options)
    try:
        transport = client.get_transport()
        channel = transport.open_session()
        channel.settimeout(TIMEOUT)
        if args.pty:
            term, cols, rows = parse_pty(args.pty)
            channel.get_pty(term, cols, rows)
        channel.invoke_shell()
        channel.sendall(data)
        channel.shutdown_write()
        output = bytearray()
        while True:
            chunk = channel.recv(65536)
            if not chunk:
                break
            output.extend(chunk)
        status = channel.recv_exit_status() if channel.exit_status_ready() else None
        return output, {
            "exit": status,
            "eof": channel.eof_received,
            "cipher": transport.remote_cipher,
            "mac": transport.remote_mac,
        }
    finally:
        client.close()


def run_asyncssh(args, data):
    import asyncio
    import asyncssh

    class CheckFingerprint(asyncssh.SSHClient):
        def validate_host_public_key(self, host, addr, port, key):
            return key.get_fingerprint("sha256") == args.fingerprint

    # asyncssh 2.10 calls eof_received() only if the EOF comes after the session has started;
    # lessons 3 and 4 send data, EOF and close at once. Its debug log sees every EOF.
    class NoteEof(logging.Handler):
        def emit(self, record):
            if record.getMessage().endswith("Received EOF"):
                state["eof"] = True

    state = {"exit": None, "eof": False}
    logging.getLogger("asyncssh").addHandler(NoteEof())
    logging.getLogger("asyncssh").setLevel(logging.DEBUG)
    asyncssh.set_debug_level(2)

    async def session():
        output = bytearray()
        more = asyncio.Event()
        done = asyncio.Event()

        class Session(asyncssh.SSHClientSession):
            def data_received(self, chunk, datatype):
                output.extend(chunk)
                more.set()

            def exit_status_received(self, status):
                state["exit"] = status

            def connection_lost(self, exc):
                done.set()
                more.set()

        options = {}
        if args.rekey:
            options["rekey_bytes"] = args.rekey
        conn, _ = await asyncssh.create_connection(
            CheckFingerprint, "127.0.0.1", args.port, username="alice", password="goodpassword",
            known_hosts=([], [], []), client_keys=None, agent_path=None, **options)
        async with conn:
            term = {}
            if args.pty:
                term_type, cols, rows = parse_pty(args.pty)
                term = {"term_type": term_type, "term_size": (cols, rows)}
            channel, _ = await conn.create_session(Session, encoding=None, **term)
            pace = args.pace or len(data) or 1
            try:
                for start in range(0, len(data), pace):
                    piece = data[start:start + pace]
                    before = len(output)
                    channel.write(piece)
                    while args.pace and len(output) - before < len(piece) and not done.is_set():
                        more.clear()
                        await more.wait()
                channel.write_eof()
            except BrokenPipeError:
                pass  # the server has closed the session already (lessons 3 and 4 do)
            await done.wait()
            state["cipher"] = conn.get_extra_info("send_cipher")
            state["mac"] = conn.get_extra_info("send_mac")
        return output, state

    return asyncio.run(asyncio.wait_for(session(), TIMEOUT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("library", choices=["paramiko", "asyncssh"])
    parser.add_argument("port", type=int)
    parser.add_argument("fingerprint")
    parser.add_argument("--pty")
    parser.add_argument("--rekey", type=int, default=0)
    parser.add_argument("--pace", type=int, default=0)
    parser.add_argument("--key")
    parser.add_argument("--defaults", action="store_true")
    args = parser.parse_args()
    data = sys.stdin.buffer.read()
    run = run_paramiko if args.library == "paramiko" else run_asyncssh
    output, summary = run(args, data)
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    print(json.dumps(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
