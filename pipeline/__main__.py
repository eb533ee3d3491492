"""``python -m pipeline build [--sources DIR] [--force] [--only STEP ...]``."""

from pipeline.cli import main

raise SystemExit(main())
