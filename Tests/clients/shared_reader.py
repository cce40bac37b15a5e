"""Reading several HTTP responses off one socket with http.client."""


class KeepOpen:
    """http.client closes its file after each body; the next response still needs the buffered bytes."""

    def __init__(self, file):
        self.file = file

    def __getattr__(self, name):
        return getattr(self.file, name)

    def close(self):
        pass


class SharedReader:
    """Stands in for a socket: http.client reads each response through makefile(), all from one buffer."""

    def __init__(self, sock):
        self.reader = sock.makefile("rb")

    def makefile(self, *args, **kwargs):
        return KeepOpen(self.reader)
