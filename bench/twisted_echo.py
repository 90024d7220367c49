"""The last article's server ("Twisted Conch in 60 Seconds: Protocols", 2011-08-01), ported to
Python 3 and today's Twisted, as the benchmark's anchor: `npm run bench -- --compare twisted`.

Changes from the article, all that Python 3 and modern Twisted need: protocol strings are bytes,
`repr` of bytes drops its leading "b", keys and channel names are bytes, print is a function,
and `request_env` refuses quietly (modern Twisted would log a TypeError for Debian's LANG). It
listens on loopback, on the port given (0 = any), with the ed25519 host key in keys/.

Run: /usr/bin/python3 bench/twisted_echo.py --port 0 --keys keys
"""
import argparse
import gc
import signal
import sys
import warnings

warnings.filterwarnings("ignore")  # cryptography's deprecation notices, on import

from twisted.conch.avatar import ConchUser
from twisted.conch.interfaces import IConchUser
from twisted.conch.ssh.factory import SSHFactory
from twisted.conch.ssh.keys import Key
from twisted.conch.ssh.session import SSHSession, SSHSessionProcessProtocol, wrapProtocol
from twisted.cred.checkers import FilePasswordDB
from twisted.cred.portal import Portal
from twisted.internet import reactor
from twisted.internet.protocol import Protocol


class EchoProtocol(Protocol):
    def connectionMade(self):
        self.transport.write(b"Echo protocol connected\r\n")

    def dataReceived(self, data):
        self.transport.write(b"echo: " + repr(data)[1:].encode("ascii") + b"\r\n")

    def connectionLost(self, reason):
        pass  # the article prints here; the benchmark keeps stdout quiet


class SimpleSession(SSHSession):
    name = b"session"

    def request_pty_req(self, data):
        return True

    def request_env(self, data):
        return False

    def request_shell(self, data):
        protocol = EchoProtocol()
        transport = SSHSessionProcessProtocol(self)
        protocol.makeConnection(transport)
        transport.makeConnection(wrapProtocol(protocol))
        self.client = transport
        return True


class SimpleRealm:
    def requestAvatar(self, avatarId, mind, *interfaces):
        user = ConchUser()
        user.channelLookup[b"session"] = SimpleSession
        return IConchUser, user, lambda: None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=2023)
    parser.add_argument("--keys", default="keys")
    options = parser.parse_args()
    with open(f"{options.keys}/ssh_host_ed25519_key", "rb") as private:
        private_key = Key.fromString(private.read())
    public_key = private_key.public()
    factory = SSHFactory()
    factory.privateKeys = {private_key.sshType(): private_key}
    factory.publicKeys = {public_key.sshType(): public_key}
    factory.portal = Portal(SimpleRealm())
    factory.portal.registerChecker(FilePasswordDB(f"{options.keys}/ssh-passwords"))
    # The benchmark asks for a full collection before it reads the memory (see gc-on-signal.ts).
    signal.signal(signal.SIGUSR2, lambda *_: (gc.collect(), print("[bench] gc done", flush=True)))
    port = reactor.listenTCP(options.port, factory, interface="127.0.0.1")
    print(f"listening on port {port.getHost().port}", flush=True)
    reactor.run()


if __name__ == "__main__":
    sys.exit(main())
