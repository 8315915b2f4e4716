"""``python -m helpers.report``: the command line of :func:`helpers.report.build.main` (``make report``)."""

import sys

from .build import main

sys.exit(main())
