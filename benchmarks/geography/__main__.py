"""``python -m benchmarks.geography``: see bench.py."""

from benchmarks.geography.bench import main

raise SystemExit(main())
