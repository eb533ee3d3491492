"""Run the store benchmark: ``python -m benchmarks.store``."""

from benchmarks.store.bench import main

raise SystemExit(main())
