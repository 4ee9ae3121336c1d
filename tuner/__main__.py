"""`python -m tuner`: the same as the `speech-tuner` command."""

import sys

from tuner.cli import main

sys.exit(main())
