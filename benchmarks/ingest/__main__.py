"""Run the upload benchmark: ``python -m benchmarks.ingest``."""

from benchmarks.ingest.bench import main

raise SystemExit(main())
