"""Run the binding's pytest suite for `meson test`; never a silent skip.

Fails (exit 1) when pytest is missing, naming the Debian package, and when
no test ran (pytest's exit code 5).
"""

import sys

try:
    import pytest
except ImportError:
    sys.exit(f"{sys.executable} cannot import pytest: install it with "
             "`apt-get install python3-pytest` (Debian's /usr/bin/python3)")

rc = pytest.main(["-q", "-p", "no:cacheprovider", *sys.argv[1:]])
if rc == pytest.ExitCode.NO_TESTS_COLLECTED:
    sys.exit("pytest collected no test: that is a failure here")
sys.exit(int(rc))
