"""sphinx-autobuild's `python` in the live preview: hands a build to the warm build server.

Run as `python -S -I warm_sphinx_client.py SOCKET REAL_PYTHON ARGS...` (see
warm_sphinx.py), so it starts in a few milliseconds: standard library only, no
site-packages. `-m sphinx build …` goes to the server, whose output it copies
to stdout and whose exit status it returns; anything else, or a server that
does not answer, runs on the real Python as usual.
"""

import json
import os
import socket
import sys

EXIT_MARKER = b"\0l3ha-exit:"  # as in warm_sphinx.py (this script cannot import the package)


def main() -> int:
    socket_path, real_python, arguments = sys.argv[1], sys.argv[2], sys.argv[3:]
    if arguments[:3] != ["-m", "sphinx", "build"]:
        os.execv(real_python, [real_python, *arguments])
    request = {"arguments": arguments[2:], "cwd": os.getcwd(), "environment": dict(os.environ)}
    try:
        connection = socket.socket(socket.AF_UNIX)
        connection.connect(socket_path)
        connection.sendall(json.dumps(request).encode() + b"\n")
    except OSError:
        os.execv(real_python, [real_python, *arguments])
    received = b""
    with connection:
        while chunk := connection.recv(65536):
            received += chunk
            if EXIT_MARKER not in received:  # relay as it comes, keeping a possible partial marker
                keep = len(EXIT_MARKER)
                sys.stdout.buffer.write(received[:-keep])
                sys.stdout.buffer.flush()
                received = received[-keep:]
    output, _, status = received.partition(EXIT_MARKER)
    sys.stdout.buffer.write(output)
    return int(status) if status.strip() else 1


if __name__ == "__main__":
    sys.exit(main())
