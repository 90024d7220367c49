"""Runs a command in a new pseudo-terminal of a given size, relaying our stdin to it and its
output to our stdout; exits with the command's status. Python's pty module does the same job
on Linux and macOS, where util-linux `script` differs or is missing.

    python3 tests/helpers/in-terminal.py 80 24 ssh -p 2022 alice@localhost
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios

cols, rows, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pid, master = pty.fork()
if pid == 0:
    # The child's stdin is the terminal: give it its size before the command starts.
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execvp(argv[0], argv)

inputs = [master, 0]
while True:
    ready, _, _ = select.select(inputs, [], [])
    if 0 in ready:
        data = os.read(0, 4096)
        if data:
            os.write(master, data)
        else:
            inputs.remove(0)  # our stdin ended; the terminal stays open
    if master in ready:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the command has exited and the terminal is gone
            data = b""
        if not data:
            break
        os.write(1, data)

_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
