"""Run the analysis benchmark: ``python -m benchmarks.analysis``."""

from benchmarks.analysis.bench import main

raise SystemExit(main())
