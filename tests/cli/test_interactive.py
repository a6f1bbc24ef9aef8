"""The interactive CLI under a pty: prompts, the [edit] banner, TAB completion, `?` help,
`load merge terminal` ended by ^D, ^C, ^D to exit and the history file.

libedit redraws the line with cursor-movement escapes, so the raw byte stream does not contain
"show " after `sh<TAB>`; a small terminal model (Screen) renders what a user would see.
"""

import re
import time

import pytest

pexpect = pytest.importorskip("pexpect")

CONFIG = "system {\n    host-name cli-r1;\n}\n"
PROMPT = r"\S+@cli-r1> $"
CONFIG_PROMPT = r"\S+@cli-r1# $"


class Screen:
    """Enough of a VT100/xterm to render libedit's output: text, CR/LF/BS, CSI cursor moves
    and erases. Rows are never scrolled away, so the screen is the whole transcript."""

    def __init__(self):
        self.rows = [[]]
        self.row = 0
        self.col = 0
        self._pending = ""

    def feed(self, data):
        data = self._pending + data
        self._pending = ""
        i = 0
        while i < len(data):
            c = data[i]
            if c == "\x1b":
                m = re.match(r"\x1b\[([?>]?)([0-9;]*)([@-~])", data[i:])
                if m is None:
                    if len(data) - i < 16 and re.fullmatch(r"\x1b(\[[?>]?[0-9;]*)?", data[i:]):
                        self._pending = data[i:]  # an escape split across reads
                        return
                    i += 2 if i + 1 < len(data) else 1  # ESC x: ignore
                    continue
                self._csi(m.group(1), m.group(2), m.group(3))
                i += m.end()
                continue
            if c == "\r":
                self.col = 0
            elif c == "\n":
                self._move(self.row + 1, self.col)
            elif c == "\b":
                self.col = max(0, self.col - 1)
            elif c == "\x07":
                pass
            elif c >= " ":
                line = self._line()
                while len(line) < self.col:
                    line.append(" ")
                if self.col < len(line):
                    line[self.col] = c
                else:
                    line.append(c)
                self.col += 1
            i += 1

    def _line(self):
        while len(self.rows) <= self.row:
            self.rows.append([])
        return self.rows[self.row]

    def _move(self, row, col):
        self.row = max(0, row)
        self.col = max(0, col)
        self._line()

    def _csi(self, private, params, final):
        if private:
            return  # modes (keypad, bracketed paste): no effect on text
        nums = [int(p) if p else 0 for p in params.split(";")] if params else []
        n = nums[0] if nums and nums[0] > 0 else 1
        if final == "A":
            self._move(self.row - n, self.col)
        elif final == "B":
            self._move(self.row + n, self.col)
        elif final == "C":
            self._move(self.row, self.col + n)
        elif final == "D":
            self._move(self.row, self.col - n)
        elif final == "G":
            self._move(self.row, n - 1)
        elif final == "K":
            line = self._line()
            mode = nums[0] if nums else 0
            if mode == 0:
                del line[self.col:]
            elif mode == 1:
                line[: self.col] = [" "] * min(self.col, len(line))
            else:
                line.clear()
        elif final == "J":
            mode = nums[0] if nums else 0
            if mode in (0,):
                del self._line()[self.col:]
                del self.rows[self.row + 1:]
        elif final == "P":  # delete characters
            del self._line()[self.col:self.col + n]
        elif final == "@":  # insert blanks
            self._line()[self.col:self.col] = [" "] * n

    def text(self):
        return "\n".join("".join(r).rstrip() if i != self.row else "".join(r)
                         for i, r in enumerate(self.rows))

    def last_line(self):
        """The cursor's row, up to the cursor at least (a terminal may move the cursor past
        a trailing blank instead of printing it)."""
        line = "".join(self.rows[self.row])
        return line.ljust(self.col)


class Cli:
    def __init__(self, child):
        self.child = child
        self.screen = Screen()

    def _pump(self, timeout):
        try:
            self.screen.feed(self.child.read_nonblocking(65536, timeout=timeout))
        except pexpect.TIMEOUT:
            pass

    def wait(self, pattern, where="last", timeout=10, below=None):
        """Waits until `pattern` matches the current line (where="last") or the whole screen;
        with `below`, only once the cursor is on a later row than that."""
        deadline = time.monotonic() + timeout
        while True:
            target = self.screen.last_line() if where == "last" else self.screen.text()
            m = re.search(pattern, target, re.M)
            if m and (below is None or self.screen.row > below):
                return m
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {pattern!r} in {where}:\n"
                                     f"{self.screen.text()}")
            self._pump(0.1)

    def send(self, keys):
        self.child.send(keys)

    def run(self, line, prompt):
        """Types `line` and Enter, and waits for the next prompt matching `prompt`."""
        row = self.screen.row
        self.send(line + "\r")
        return self.wait(prompt, below=row)

    def settle(self, quiet=0.3):
        """Reads until the output has been quiet for `quiet` seconds."""
        while True:
            before = self.screen.text()
            self._pump(quiet)
            if self.screen.text() == before:
                return


@pytest.fixture
def cli(start_sabinad, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    d = start_sabinad(CONFIG, env={"HOME": str(home), "TERM": "xterm"})
    child = d.spawn_cli()
    c = Cli(child)
    c.home = home
    c.daemon = d
    c.wait(PROMPT)
    yield c
    if child.isalive():
        child.terminate(force=True)


def test_tab_completes_a_unique_keyword_and_question_mark_lists_help(cli):
    cli.send("sh\t")
    cli.wait(r"> show $")
    cli.send("?")
    cli.wait(r"^Possible completions:$", where="screen")
    m = cli.wait(r"^  version +(\S.*)$", where="screen")
    assert m.group(1).strip(), "each candidate carries its help text"
    # `?` redraws the line as it was: no `?` inserted.
    cli.wait(r"> show $")
    cli.send("ver\t")
    cli.wait(r"> show version $")
    cli.send("\r")
    cli.wait(r"^Hostname: cli-r1$", where="screen")
    cli.wait(PROMPT)
    # Junos leaves a blank line between a command's output and the next prompt.
    lines = cli.screen.text().splitlines()
    assert lines[-2] == "", lines[-4:]


def test_tab_lists_when_ambiguous_or_placeholder(cli):
    cli.run("configure", CONFIG_PROMPT)
    cli.send("set system host-name ")
    cli.wait(r"# set system host-name $")
    row = cli.screen.row
    cli.send("\t")
    # Nothing to insert for a value: the help says what is expected, the line is unchanged.
    cli.wait(r"^Possible completions:$", where="screen")
    cli.wait(r"^  <host-name>", where="screen")
    cli.wait(r"# set system host-name $", below=row)


def test_configuration_mode_banner_and_prompt(cli):
    cli.run("configure", CONFIG_PROMPT)
    lines = cli.screen.text().splitlines()
    assert lines[-2] == "[edit]", lines[-4:]
    assert lines[-3] == "", "a blank line precedes the banner"
    cli.run("edit system", CONFIG_PROMPT)
    assert cli.screen.text().splitlines()[-2] == "[edit system]"
    row = cli.screen.row
    cli.send("set ?")
    cli.wait(r"^  host-name +\S", where="screen")
    cli.wait(CONFIG_PROMPT[:-1] + "set $", below=row)
    # The banner is repeated above the redrawn prompt after the help list.
    assert cli.screen.text().splitlines()[-2] == "[edit system]"
    cli.send("\x15")  # ^U
    cli.run("top", CONFIG_PROMPT)
    cli.run("exit", PROMPT)


def test_errors_put_a_caret_under_the_bad_word(cli):
    # The interactive client says so in its hello; the server then answers as Junos does at a
    # terminal: a caret under the word (counting the prompt), then the short message.
    cli.run("configure", CONFIG_PROMPT)
    cli.run("set system frobnicate yes", CONFIG_PROMPT)
    lines = cli.screen.text().splitlines()
    i = max(k for k, l in enumerate(lines) if l.endswith("# set system frobnicate yes"))
    assert lines[i + 1].strip() == "^", lines[i:i + 3]
    assert lines[i + 1].index("^") == lines[i].index("frobnicate"), lines[i:i + 3]
    assert lines[i + 2] == "syntax error.", lines[i:i + 3]
    cli.run("exit", PROMPT)
    cli.run("foo", PROMPT)
    lines = cli.screen.text().splitlines()
    i = max(k for k, l in enumerate(lines) if l.endswith("> foo"))
    assert lines[i + 1].index("^") == lines[i].index("foo"), lines[i:i + 3]
    assert lines[i + 2] == "unknown command.", lines[i:i + 3]


def test_question_mark_inside_quotes_is_a_character(cli):
    cli.send('show version | match "a?')
    cli.wait(r'> show version \| match "a\?$')
    assert "Possible completions:" not in cli.screen.text()


def test_load_merge_terminal_until_ctrl_d(cli):
    cli.run("configure", CONFIG_PROMPT)
    cli.send("load merge terminal\r")
    cli.wait(r"^\[Type \^D at a new line to end input\]$", where="screen")
    cli.send("system {\r")
    cli.send("    domain-name example.net;\r")
    cli.send("}\r")
    cli.send("\x04")
    cli.wait(r"^load complete$", where="screen")
    cli.wait(CONFIG_PROMPT)
    assert cli.screen.text().count("[Type ^D at a new line to end input]") == 1
    cli.run("show | compare", CONFIG_PROMPT)
    assert re.search(r"^\+   domain-name example\.net;$", cli.screen.text(), re.M)


def test_ctrl_c_clears_the_line(cli):
    cli.send("show nonsense")
    cli.send("\x03")
    cli.wait(PROMPT)
    cli.send("show version\r")
    cli.wait(r"^Hostname: cli-r1$", where="screen")
    assert "nonsense" not in cli.screen.text().split("Hostname")[1]


def test_ctrl_d_on_empty_line_exits_and_history_is_saved(cli):
    cli.run("show version", PROMPT)
    assert re.search(r"^Hostname: cli-r1$", cli.screen.text(), re.M)
    cli.send("show sys")  # ^D with text on the line must not exit
    cli.send("\x04")
    cli.settle()
    assert cli.child.isalive()
    cli.send("\x15")  # ^U: kill the line
    cli.send("\x04")
    cli.child.expect(pexpect.EOF, timeout=10)
    cli.child.close()
    assert cli.child.exitstatus == 0
    history = (cli.home / ".sabina_history").read_text()
    assert "show\\040version" in history or "show version" in history


def test_exit_in_operational_mode_ends_the_client(cli):
    cli.send("exit\r")
    cli.child.expect(pexpect.EOF, timeout=10)
    cli.child.close()
    assert cli.child.exitstatus == 0


def test_space_completes_unique_keywords_but_not_values(cli):
    cli.send("sh ver")
    cli.wait(r"> show ver$")
    cli.send(" ")
    cli.wait(r"> show version $")
    cli.send("\x15")
    cli.run("configure", CONFIG_PROMPT)
    # A value position (the server offers <host-name>) is never expanded.
    cli.send("set sys host-name s ")
    cli.wait(r"# set system host-name s $")


def test_ctrl_c_abandons_load_terminal(cli):
    cli.run("configure", CONFIG_PROMPT)
    cli.send("load merge terminal\r")
    cli.wait(r"^\[Type \^D at a new line to end input\]$", where="screen")
    cli.send("system {\r    domain-name abandoned.net;\r}\r")
    time.sleep(0.3)
    row = cli.screen.row
    cli.send("\x03")
    cli.wait(CONFIG_PROMPT, below=row)
    cli.run("show | compare", CONFIG_PROMPT)
    assert "abandoned" not in cli.screen.text().split("show | compare")[-1]
