"""Where a test run leaves what it produced (logs, screenshots, reports), and when the run began."""

import time

from deploy.local.process import REPO_ROOT

ARTIFACTS = REPO_ROOT / "test-artifacts"
SESSION_STARTED = time.time()
RUN_LOG = ARTIFACTS / "pytest-run.log"  # every log record of the code run inside the test process
